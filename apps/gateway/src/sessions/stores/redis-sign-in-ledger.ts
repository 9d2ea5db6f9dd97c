import { createHmac, randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { defaultLimiterOptions, type LedgerView, type SignInLedger } from "../sign-in-limiter";

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
 * The sign-in limiter's counts in Redis or Valkey, shared by every gateway and kept across
 * restarts (sign-in-limiter.ts says what is shared and what stays in each process):
 *
 * - `<prefix>signin:a:<h>` and `<prefix>signin:ip:<h>`: sorted sets of failures of an account
 *   and of an address, scored by time, trimmed to the window and expiring with it (PEXPIRE on
 *   every write), so an idle key goes by itself.
 * - `<prefix>signin:good:<h>`: the account's good addresses (hashed), scored by their last
 *   success, capped to the most recent, expiring `rememberMs` after the last success.
 *
 * Accounts and addresses are never stored in clear: `<h>` is an HMAC under a key made from
 * PISMO_SECRET, so a copy of Redis does not list who signs in from where. A read is one
 * pipeline, a write one MULTI: one round trip each.
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
    return { account: `${p}a:${a}`, address: `${p}ip:${ip}`, good: `${p}good:${a}`, member: ip };
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

  async recordFailure(account: string, address: string, at: number): Promise<void> {
    const k = this.keys(account, address);
    // A member of its own: two failures in one millisecond (two gateways) are two.
    const member = `${at}:${randomBytes(6).toString("base64url")}`;
    const tx = this.db.multi();
    for (const key of [k.account, k.address])
      tx.zadd(key, at, member)
        .zremrangebyscore(key, "-inf", at - this.windowMs)
        .pexpire(key, this.windowMs);
    results(await tx.exec(), 6);
  }

  async succeeded(account: string, address: string, at: number): Promise<void> {
    const k = this.keys(account, address);
    results(
      await this.db
        .multi()
        .del(k.account)
        .zadd(k.good, at, k.member)
        .zremrangebyrank(k.good, 0, -(this.goodPerAccount + 1))
        .pexpire(k.good, this.rememberMs)
        .exec(),
      4,
    );
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
