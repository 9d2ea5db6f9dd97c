import { Redis } from "ioredis";
import {
  ENDED_KEPT_MS,
  KEPT_SEND_ID,
  parseStoredSession,
  type KeptSend,
  type KeptSendBounds,
  type SessionRecordStore,
  type StoredSession,
} from "./record-store";
import { RedisSignInLedger, type RedisLedgerOptions } from "./redis-sign-in-ledger";

const RENEW = `
local lost = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
  else
    table.insert(lost, i)
  end
end
return lost`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Keeps a send's answer in one step: drops the session's answers past their time and the
 * oldest ones over its bounds, then stores it. KEYS: the answers, their "until bytes", the
 * session's record. ARGV: id, until, bytes, sealed, keepMs, maxCount, maxBytes, now. Returns
 * how many were dropped for it, or -1 when the session has no record. */
const KEEP_SENT = `
if redis.call('EXISTS', KEYS[3]) == 0 then return -1 end
local id, bytes = ARGV[1], tonumber(ARGV[3])
local maxCount, maxBytes, now = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local info = redis.call('HGETALL', KEYS[2])
local others = {}
local count, total = 1, bytes
for i = 1, #info, 2 do
  local field = info[i]
  local untilAt, size = string.match(info[i + 1], '^(%d+) (%d+)$')
  untilAt, size = tonumber(untilAt), tonumber(size)
  if field == id or not untilAt or untilAt <= now then
    redis.call('HDEL', KEYS[1], field)
    redis.call('HDEL', KEYS[2], field)
  else
    table.insert(others, { field = field, untilAt = untilAt, size = size })
    count, total = count + 1, total + size
  end
end
table.sort(others, function(a, b) return a.untilAt < b.untilAt end)
local dropped = 0
for _, e in ipairs(others) do
  if count <= maxCount and total <= maxBytes then break end
  redis.call('HDEL', KEYS[1], e.field)
  redis.call('HDEL', KEYS[2], e.field)
  count, total, dropped = count - 1, total - e.size, dropped + 1
end
redis.call('HSET', KEYS[1], id, ARGV[4])
redis.call('HSET', KEYS[2], id, ARGV[2] .. ' ' .. ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return dropped`;

/** How long a gateway's "I mark myself running" key lasts unless renewed (renewed every 10 s). */
const RUNNING_MARK_MS = 60_000;

/**
 * Sessions in Redis or Valkey, shared by every gateway: a record is a string key with the
 * idle time as its TTL (and never past its absolute end), the lease a key holding the gateway's
 * id, messages go through pub/sub on a second connection (a subscribed connection can do
 * nothing else).
 */
export class RedisSessionStore implements SessionRecordStore {
  readonly kind = "redis";
  private readonly handlers = new Map<string, (message: string) => void>();

  private constructor(
    private readonly db: Redis,
    private readonly sub: Redis,
    private readonly prefix: string,
  ) {
    sub.on("message", (channel: string, message: string) => {
      this.handlers.get(channel.slice(prefix.length))?.(message);
    });
  }

  /** Connects (both connections) or rejects naming the URL's host, never its password. */
  static async connect(url: string, opts: { prefix?: string; onError?: (error: Error) => void } = {}) {
    const options = { lazyConnect: true, maxRetriesPerRequest: 3, enableReadyCheck: true };
    const db = new Redis(url, options);
    const sub = new Redis(url, options);
    for (const client of [db, sub]) client.on("error", (error: Error) => opts.onError?.(error));
    try {
      await Promise.all([db.connect(), sub.connect()]);
    } catch (error) {
      db.disconnect();
      sub.disconnect();
      const where = safeUrl(url);
      throw new Error(`Cannot reach the session store at ${where}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return new RedisSessionStore(db, sub, opts.prefix ?? "pismo:");
  }

  private key(kind: "s" | "lease" | "ended" | "sent" | "sentinfo", ref: string): string {
    return `${this.prefix}${kind}:${ref}`;
  }

  /** The sign-in limiter's shared counts, on this store's connection and under its prefix. */
  signInLedger(secret: Buffer, opts: Omit<RedisLedgerOptions, "prefix" | "secret"> = {}): RedisSignInLedger {
    return new RedisSignInLedger(this.db, { ...opts, prefix: this.prefix, secret });
  }

  async save(ref: string, record: StoredSession, idleMs: number): Promise<void> {
    await this.db.set(this.key("s", ref), JSON.stringify(record), "PX", ttl(record.expiresAt, idleMs));
  }

  async load(ref: string): Promise<StoredSession | null> {
    const record = parseStoredSession(await this.db.get(this.key("s", ref)));
    return record && record.expiresAt > Date.now() ? record : null;
  }

  async touch(refs: readonly string[], idleMs: number): Promise<string[]> {
    if (refs.length === 0) return [];
    // PEXPIRE cannot know each record's absolute end; the record's owner ends it at that
    // moment anyway, and `load` refuses a record past it.
    const pipeline = this.db.pipeline();
    for (const ref of refs) pipeline.pexpire(this.key("s", ref), idleMs).exists(this.key("ended", ref));
    const answers = (await pipeline.exec()) ?? [];
    // Gone (PEXPIRE 0) and said to have ended; an error answer says nothing either way.
    return refs.filter((_ref, i) => {
      const [touchError, touched] = answers[2 * i] ?? [null, 1];
      const [endedError, ended] = answers[2 * i + 1] ?? [null, 0];
      return !touchError && !endedError && touched === 0 && ended === 1;
    });
  }

  async remove(ref: string): Promise<void> {
    await this.db
      .multi()
      .del(this.key("s", ref), this.key("lease", ref), this.key("sent", ref), this.key("sentinfo", ref))
      .set(this.key("ended", ref), "1", "PX", ENDED_KEPT_MS)
      .exec();
  }

  /** Two hashes per session, by send id: the sealed answers, and each one's "until bytes" (what
   * the bounds read, without loading the answers into the script). */
  async keepSent(ref: string, id: string, sent: KeptSend, bounds: KeptSendBounds): Promise<number | null> {
    checkSentId(id);
    if (sent.bytes > bounds.maxBytes) throw new Error("The send's answer is larger than a session keeps");
    const now = Date.now();
    const dropped = (await this.db.eval(
      KEEP_SENT,
      3,
      this.key("sent", ref),
      this.key("sentinfo", ref),
      this.key("s", ref),
      id,
      String(now + bounds.keepMs),
      String(sent.bytes),
      sent.sealed,
      String(bounds.keepMs),
      String(bounds.maxCount),
      String(bounds.maxBytes),
      String(now),
    )) as number;
    return dropped < 0 ? null : dropped;
  }

  async findSent(ref: string, id: string): Promise<string | null> {
    checkSentId(id);
    const answers = (await this.db
      .pipeline()
      .hget(this.key("sentinfo", ref), id)
      .hget(this.key("sent", ref), id)
      .exec()) as Array<[Error | null, string | null]> | null;
    const [infoError, info] = answers?.[0] ?? [null, null];
    const [sealedError, sealed] = answers?.[1] ?? [null, null];
    if (infoError) throw infoError;
    if (sealedError) throw sealedError;
    // Each answer has its own time; the hashes live as long as the newest.
    const until = Number(info?.split(" ")[0]);
    if (!sealed || !(until > Date.now())) return null;
    return sealed;
  }

  async forgetSent(ref: string, id: string): Promise<void> {
    checkSentId(id);
    await this.db.multi().hdel(this.key("sent", ref), id).hdel(this.key("sentinfo", ref), id).exec();
  }

  async takeLease(ref: string, holder: string, ttlMs: number): Promise<string | null> {
    // SET ... GET (Redis 6.2+, Valkey): takes the lease and reads the old holder in one step.
    const previous = (await this.db.call(
      "SET",
      this.key("lease", ref),
      holder,
      "PX",
      String(ttlMs),
      "GET",
    )) as string | null;
    return previous && previous !== holder ? previous : null;
  }

  async renewLeases(refs: readonly string[], holder: string, ttlMs: number): Promise<string[]> {
    if (refs.length === 0) return [];
    const lost = (await this.db.eval(
      RENEW,
      refs.length,
      ...refs.map((ref) => this.key("lease", ref)),
      holder,
      String(ttlMs),
    )) as number[];
    return lost.map((i) => refs[i - 1]).filter((ref): ref is string => ref !== undefined);
  }

  async releaseLease(ref: string, holder: string): Promise<void> {
    await this.db.eval(RELEASE, 1, this.key("lease", ref), holder);
  }

  leaseHolder(ref: string): Promise<string | null> {
    return this.db.get(this.key("lease", ref));
  }

  /** A channel of the gateway's own, subscribed on the pub/sub connection: Redis counts its
   * subscribers, and a process that dies (even by SIGKILL) drops its connection, so the count
   * falls to 0 at once. The client subscribes again after a reconnect; subscribing again is
   * harmless. A key says the gateway marks itself so (a minute, renewed), so that a gateway
   * that does not (an older version, mid-deploy) is not taken for stopped. */
  async markRunning(gateway: string): Promise<void> {
    await this.sub.subscribe(this.runningChannel(gateway));
    await this.db.set(`${this.prefix}runs:${gateway}`, "1", "PX", RUNNING_MARK_MS);
  }

  async isRunning(gateway: string): Promise<boolean> {
    const channel = this.runningChannel(gateway);
    const [marks, subscribers] = await Promise.all([
      this.db.exists(`${this.prefix}runs:${gateway}`),
      this.db.call("PUBSUB", "NUMSUB", channel) as Promise<[string, number]>,
    ]);
    return marks === 0 || Number(subscribers[1]) > 0;
  }

  private runningChannel(gateway: string): string {
    return `${this.prefix}running:${gateway}`;
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.db.publish(this.prefix + channel, message);
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<void> {
    if (this.handlers.has(channel)) return;
    this.handlers.set(channel, onMessage);
    await this.sub.subscribe(this.prefix + channel);
  }

  async unsubscribe(channel: string): Promise<void> {
    if (!this.handlers.delete(channel)) return;
    await this.sub.unsubscribe(this.prefix + channel);
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.all([this.db.quit().catch(() => undefined), this.sub.quit().catch(() => undefined)]);
  }
}

function checkSentId(id: string): void {
  if (!KEPT_SEND_ID.test(id)) throw new Error("not a send id");
}

function ttl(expiresAt: number, idleMs: number): number {
  return Math.max(1, Math.min(idleMs, expiresAt - Date.now()));
}

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = "";
    u.username = "";
    return u.toString();
  } catch {
    return "(an unreadable URL)";
  }
}
