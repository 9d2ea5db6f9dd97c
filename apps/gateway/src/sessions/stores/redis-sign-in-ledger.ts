import { createHmac, randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import {
  defaultLimiterOptions,
  type LedgerView,
  type SharedAttempt,
  type SharedPlace,
  type SignInLedger,
} from "../sign-in-limiter";

export interface RedisLedgerOptions {
  /** The session store's prefix, so that one Redis can hold several Pismos. */
  prefix: string;
  /** PISMO_SECRET (the same on every gateway): keys and members are keyed hashes of it. */
  secret: Buffer;
  /** The limiter's window: a failure key expires this long after its last failure. @default 15 * 60_000 */
  windowMs?: number;
  /** @default 10 */
  goodAddressesPerAccount?: number;
  /** How long an account's good addresses are kept after its last success. @default 90 days */
  rememberMs?: number;
}

/** More than any limit counts: only bounds the size of an answer. */
const MOST_TIMES = 256;

/**
 * The check and the place in one step, so that two gateways cannot both take the last place.
 * KEYS: the account's and the address's failures, then their places (scored by their end).
 * ARGV: id, now, until, the window's start, the account's (its last success if later), the
 * failures the gateway counts (each key counts at least as many), the two limits.
 * Answers the verdict and the failures counted ([member, score, ...] each).
 */
const HOLD = `
local now = tonumber(ARGV[2])
local answer = 'held'
local counted = {}
for i = 1, 2 do
  redis.call('ZREMRANGEBYSCORE', KEYS[i + 2], '-inf', now)
  local since = i == 1 and ARGV[5] or ARGV[4]
  counted[i] = redis.call('ZRANGEBYSCORE', KEYS[i], '(' .. since, '+inf', 'WITHSCORES', 'LIMIT', 0, ${MOST_TIMES})
  local failed = math.max(#counted[i] / 2, tonumber(ARGV[5 + i]))
  local most = tonumber(ARGV[7 + i])
  if failed >= most then
    answer = 'full'
  elseif answer == 'held' and failed + redis.call('ZCARD', KEYS[i + 2]) >= most then
    answer = 'busy'
  end
end
if answer == 'held' then
  local ttl = math.max(1, tonumber(ARGV[3]) - now)
  for i = 3, 4 do
    redis.call('ZADD', KEYS[i], ARGV[3], ARGV[1])
    if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
  end
end
return { answer, counted[1], counted[2] }`;

/**
 * Moves a place's end, if it is still there (one given back is not taken again). The key lives
 * as long as its last place: never shortened. KEYS: the two keys of places. ARGV: id, until, now.
 */
const RENEW = `
local ttl = math.max(1, tonumber(ARGV[2]) - tonumber(ARGV[3]))
for i = 1, 2 do
  if redis.call('ZSCORE', KEYS[i], ARGV[1]) then
    redis.call('ZADD', KEYS[i], ARGV[2], ARGV[1])
    if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
  end
end
return 0`;

/**
 * The sign-in limiter's counts in Redis or Valkey, shared by every gateway and kept across
 * restarts (sign-in-limiter.ts says what is shared and what stays in each process):
 *
 * - `<prefix>signin:a:<h>` and `<prefix>signin:ip:<h>`: sorted sets of failures of an account
 *   and of an address, scored by time, trimmed to the window and expiring with it (PEXPIRE on
 *   every write), so an idle key goes by itself.
 * - `<prefix>signin:good:<h>`: the account's good addresses (hashed), scored by their last
 *   success, capped to the most recent, expiring `rememberMs` after the last success.
 * - `<prefix>signin:run:a:<h>` and `<prefix>signin:run:ip:<h>`: the places held by attempts
 *   running on any gateway (random ids), scored by when each lapses unless renewed; the lapsed
 *   are dropped before each count, and the key expires with its last place (its TTL is only
 *   ever lengthened).
 *
 * Accounts and addresses are never stored in clear: `<h>` is an HMAC under a key made from
 * PISMO_SECRET, so a copy of Redis does not list who signs in from where. A read is one
 * pipeline, a write one MULTI, a place or its renewal one script: one round trip each. Times
 * are the gateways' clocks, as the failures' are; places last far longer than clocks drift.
 */
export class RedisSignInLedger implements SignInLedger {
  private readonly key: Buffer;
  private readonly windowMs: number;
  private readonly goodPerAccount: number;
  private readonly rememberMs: number;

  constructor(
    private readonly db: Redis,
    private readonly opts: RedisLedgerOptions,
  ) {
    this.key = createHmac("sha256", opts.secret).update("pismo sign-in ledger").digest();
    this.windowMs = opts.windowMs ?? defaultLimiterOptions.windowMs;
    this.goodPerAccount = opts.goodAddressesPerAccount ?? defaultLimiterOptions.goodAddressesPerAccount;
    this.rememberMs = opts.rememberMs ?? 90 * 24 * 3_600_000;
  }

  private hash(kind: "a" | "ip", value: string): string {
    return createHmac("sha256", this.key).update(`${kind}\n${value}`).digest("base64url").slice(0, 24);
  }

  private keys(account: string, address: string) {
    const p = `${this.opts.prefix}signin:`;
    const a = this.hash("a", account);
    const ip = this.hash("ip", address);
    return {
      account: `${p}a:${a}`,
      address: `${p}ip:${ip}`,
      good: `${p}good:${a}`,
      member: ip,
      running: [`${p}run:a:${a}`, `${p}run:ip:${ip}`],
    };
  }

  async load(account: string, address: string, now: number): Promise<LedgerView> {
    const k = this.keys(account, address);
    const since = `(${now - this.windowMs}`;
    const answers = await this.db
      .pipeline()
      .zrangebyscore(k.account, since, "+inf", "WITHSCORES", "LIMIT", 0, MOST_TIMES)
      .zrangebyscore(k.address, since, "+inf", "WITHSCORES", "LIMIT", 0, MOST_TIMES)
      .zscore(k.good, k.member)
      .zrange(k.good, "-1", "-1", "WITHSCORES")
      .exec();
    const [accountTimes, addressTimes, goodAt, last] = results(answers, 4);
    return {
      accountFailures: scores(accountTimes),
      addressFailures: scores(addressTimes),
      addressGoodAt: goodAt == null ? null : Number(goodAt),
      lastSuccessAt: scores(last)[0] ?? null,
    };
  }

  async hold(account: string, address: string, attempt: SharedAttempt): Promise<SharedPlace> {
    const k = this.keys(account, address);
    const since = attempt.now - this.windowMs;
    const answer = await this.db.eval(
      HOLD,
      4,
      k.account,
      k.address,
      ...k.running,
      attempt.id,
      String(attempt.now),
      String(attempt.until),
      String(since),
      String(Math.max(since, attempt.spentUntil ?? since)),
      String(attempt.accountFailures),
      String(attempt.addressFailures),
      String(attempt.maxPerAccount),
      String(attempt.maxPerAddress),
    );
    if (!Array.isArray(answer) || !["held", "busy", "full"].includes(String(answer[0])))
      throw new Error("the sign-in ledger's script answered something else");
    return {
      answer: String(answer[0]) as SharedPlace["answer"],
      accountFailures: scores(answer[1]),
      addressFailures: scores(answer[2]),
    };
  }

  async renew(account: string, address: string, id: string, until: number): Promise<void> {
    const running = this.keys(account, address).running;
    await this.db.eval(RENEW, 2, ...running, id, String(until), String(Date.now()));
  }

  async recordFailure(account: string, address: string, at: number, id?: string): Promise<void> {
    const k = this.keys(account, address);
    // A member of its own: two failures in one millisecond (two gateways) are two.
    const member = `${at}:${randomBytes(6).toString("base64url")}`;
    const tx = this.db.multi();
    for (const key of [k.account, k.address])
      tx.zadd(key, at, member)
        .zremrangebyscore(key, "-inf", at - this.windowMs)
        .pexpire(key, this.windowMs);
    // The place becomes the failure in the same step: the count never dips in between.
    if (id !== undefined) for (const key of k.running) tx.zrem(key, id);
    results(await tx.exec(), id === undefined ? 6 : 8);
  }

  async succeeded(account: string, address: string, at: number, id?: string): Promise<void> {
    const k = this.keys(account, address);
    const tx = this.db
      .multi()
      .del(k.account)
      .zadd(k.good, at, k.member)
      .zremrangebyrank(k.good, 0, -(this.goodPerAccount + 1))
      .pexpire(k.good, this.rememberMs);
    if (id !== undefined) for (const key of k.running) tx.zrem(key, id);
    results(await tx.exec(), id === undefined ? 4 : 6);
  }
}

/** A pipeline's or transaction's answers, or the first error among them. */
function results(answers: [Error | null, unknown][] | null, expected: number): unknown[] {
  if (!answers || answers.length !== expected)
    throw new Error("the sign-in ledger's transaction was aborted");
  return answers.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

/** The scores of a WITHSCORES answer ([member, score, member, score, ...]). */
function scores(reply: unknown): number[] {
  if (!Array.isArray(reply)) return [];
  const out: number[] = [];
  for (let i = 1; i < reply.length; i += 2) out.push(Number(reply[i]));
  return out;
}
