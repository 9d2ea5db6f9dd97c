import type { Logger } from "../log";

/**
 * Sign-in attempts per account and per client address in a sliding window, so that password
 * guessing through the gateway is slow (the mail server sees only the gateway's address).
 * The core (`reserve`, `merge`) is pure and synchronous: time comes from the caller, and
 * addresses come already grouped (client-address.ts).
 *
 * - An attempt is reserved before the login starts, in one synchronous step, and counts as
 *   spent while it runs: fifty parallel guesses cannot all pass a check made before any of
 *   them failed. A success gives the account's attempts back.
 * - Attempts still running hold their place but are not failures: an attempt that finds the
 *   places taken only by running ones waits for one to end (`acquire`) instead of being
 *   refused, so several tabs, devices or colleagues behind one address signing in at once all
 *   get in, while guesses stop as soon as the failures themselves fill the places.
 * - An address that has signed in to an account before is that account's owner's lane: when
 *   strangers have used up the account's attempts, the owner is slowed down (a growing delay
 *   between attempts from that address), never locked out. Good addresses are remembered per
 *   account, a bounded number of each and of accounts.
 * - Several gateways share what counts through a `SignInLedger` (Redis: redis-sign-in-ledger.ts),
 *   which also outlives a restart: the failures of each account and address, with their times,
 *   and the account's good addresses. `acquire` merges the ledger's view of the two keys into
 *   this process's buckets, then reserves synchronously as without one; `release` writes the
 *   failure or success through. Attempts still running and the owner's lane stay in this
 *   process: while none has failed yet, each gateway lets up to `maxPerAccount` run at once.
 *   A ledger that fails or is slow is skipped (logged once until it answers again): the
 *   local counts still hold, and a sign-in never fails because of it.
 */
export interface LimiterOptions {
  /** @default 15 * 60_000 */
  windowMs: number;
  /** Attempts on one account in the window, from addresses it has not signed in from. @default 5 */
  maxPerAccount: number;
  /** Attempts from one address (or IPv6 /64) in the window, whatever the account. @default 20 */
  maxPerAddress: number;
  /** First delay of the owner's lane after a failure; doubles with each. @default 1_000 */
  ownerBaseDelayMs: number;
  /** @default 60_000 */
  ownerMaxDelayMs: number;
  /** Good addresses remembered per account (the most recent). @default 10 */
  goodAddressesPerAccount: number;
  /** Accounts whose good addresses are remembered (the most recent). @default 10_000 */
  accountsRemembered: number;
}

export const defaultLimiterOptions: LimiterOptions = {
  windowMs: 15 * 60_000,
  maxPerAccount: 5,
  maxPerAddress: 20,
  ownerBaseDelayMs: 1_000,
  ownerMaxDelayMs: 60_000,
  goodAddressesPerAccount: 10,
  accountsRemembered: 10_000,
};

export type Reservation =
  | {
      ok: true;
      /** Call once, when the login attempt is over. */
      release(success: boolean, now?: number): void;
    }
  | {
      ok: false;
      retryAfterMs: number;
      /** Refused only because attempts still running hold the places: worth waiting for. */
      busy: boolean;
    };

/** What a ledger holds for one attempt's account and address, times in epoch ms. */
export interface LedgerView {
  /** The account's failures in the window (since its last success, from any gateway). */
  accountFailures: readonly number[];
  /** The address's failures in the window, whatever the account. */
  addressFailures: readonly number[];
  /** The account's last success from any address: failures before it are spent. */
  lastSuccessAt: number | null;
  /** When this address last signed in to this account, if still remembered. */
  addressGoodAt: number | null;
}

/**
 * Where the limiter's counts live beyond this process. `account` comes lower-cased; an
 * implementation keeps a failure for the window and a good address as long as it likes, at
 * most `goodAddressesPerAccount` per account.
 */
export interface SignInLedger {
  load(account: string, address: string, now: number): Promise<LedgerView>;
  recordFailure(account: string, address: string, at: number): Promise<void>;
  succeeded(account: string, address: string, at: number): Promise<void>;
}

export interface LedgerOptions {
  ledger?: SignInLedger;
  /** Says once that the ledger stopped answering, and once that it is back. */
  log?: Pick<Logger, "warn" | "info">;
  /**
   * How long `acquire` waits for the ledger before going on with the local counts; once it
   * has failed, it is asked again after five times this. @default 1_000
   */
  ledgerTimeoutMs?: number;
}

interface Bucket {
  /** When each failure happened. */
  failures: number[];
  inflight: number;
}

interface OwnerLane {
  failures: number;
  nextAt: number;
  inflight: boolean;
}

export class SignInLimiter {
  private readonly opts: LimiterOptions;
  private readonly buckets = new Map<string, Bucket>();
  private readonly good = new Map<string, Map<string, number>>();
  private readonly owners = new Map<string, OwnerLane>();
  private lastSweep = 0;
  /** Callers of `acquire` waiting for a running attempt to end. */
  private readonly waiters = new Set<() => void>();
  private readonly ledger: SignInLedger | null;
  private readonly log: Pick<Logger, "warn" | "info"> | null;
  private readonly ledgerTimeoutMs: number;
  private ledgerDown = false;
  private ledgerTriedAt = 0;
  /** Writes to the ledger not yet answered. */
  private readonly writes = new Set<Promise<void>>();

  constructor(opts: Partial<LimiterOptions> = {}, shared: LedgerOptions = {}) {
    this.opts = { ...defaultLimiterOptions, ...opts };
    this.ledger = shared.ledger ?? null;
    this.log = shared.log ?? null;
    this.ledgerTimeoutMs = shared.ledgerTimeoutMs ?? 1_000;
  }

  /**
   * Adds what the ledger holds for this address and account to this process's counts. A
   * failure is one time in a bucket: the same time seen here and there counts once (the
   * ledger holds this process's own failures too), as many times as the side that has more.
   * The account's failures before its last success, here or on the ledger, are dropped.
   */
  merge(address: string, account: string, view: LedgerView, now: number): void {
    const key = account.toLowerCase();
    const inWindow = (t: number) => now - t < this.opts.windowMs;
    const acc = this.bucket(`a:${key}`, now);
    const addr = this.bucket(`ip:${address}`, now);
    let lastSuccess = view.lastSuccessAt ?? -Infinity;
    for (const at of this.good.get(key)?.values() ?? []) lastSuccess = Math.max(lastSuccess, at);
    // The same millisecond counts as before: times are all a failure carries, and one that
    // really came after a success in the same millisecond is one attempt, not a way around.
    const spent = (t: number) => t <= lastSuccess;
    acc.failures = mergeTimes(
      acc.failures.filter((t) => !spent(t)),
      view.accountFailures.filter((t) => inWindow(t) && !spent(t)),
    );
    addr.failures = mergeTimes(addr.failures, view.addressFailures.filter(inWindow));
    const goodAt = view.addressGoodAt;
    if (goodAt !== null && !((this.good.get(key)?.get(address) ?? -Infinity) >= goodAt))
      this.remember(key, address, goodAt);
  }

  /** Resolves when every write to the ledger made so far has been answered (or failed), or
   * after `maxWaitMs`, whichever comes first. */
  async settled(maxWaitMs = 2_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const out = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs)));
    const all = (async () => {
      while (this.writes.size > 0) await Promise.all([...this.writes]);
    })();
    await Promise.race([all, out]);
    clearTimeout(timer);
  }

  /** Reserves one attempt for this address on this account, or says when to try again. */
  reserve(address: string, account: string, now: number): Reservation {
    this.sweep(now);
    const accountKey = `a:${account.toLowerCase()}`;
    const addressKey = `ip:${address}`;
    const acc = this.bucket(accountKey, now);
    const addr = this.bucket(addressKey, now);
    const accountFull = acc.failures.length + acc.inflight >= this.opts.maxPerAccount;
    const addressFull = addr.failures.length + addr.inflight >= this.opts.maxPerAddress;

    if (!accountFull && !addressFull) {
      acc.inflight += 1;
      addr.inflight += 1;
      return this.reservation((success, at) => {
        acc.inflight -= 1;
        addr.inflight -= 1;
        if (success) this.succeeded(account, address, at);
        else {
          acc.failures.push(at);
          addr.failures.push(at);
          this.write((l) => l.recordFailure(account.toLowerCase(), address, at));
        }
      });
    }

    // Places held only by attempts still running: wait for them (the caller's `acquire`).
    const busy =
      acc.failures.length < this.opts.maxPerAccount && addr.failures.length < this.opts.maxPerAddress;
    if (busy) return { ok: false, retryAfterMs: 1_000, busy: true };

    // The owner's lane: strangers used up the account, but this address is known to it.
    if (this.good.get(account.toLowerCase())?.has(address)) {
      const laneKey = `${account.toLowerCase()}\n${address}`;
      const lane = this.owners.get(laneKey) ?? { failures: 0, nextAt: 0, inflight: false };
      this.owners.set(laneKey, lane);
      if (lane.inflight || now < lane.nextAt)
        return { ok: false, retryAfterMs: Math.max(1_000, lane.nextAt - now), busy: lane.inflight };
      lane.inflight = true;
      return this.reservation((success, at) => {
        lane.inflight = false;
        if (success) this.succeeded(account, address, at);
        else {
          lane.failures += 1;
          lane.nextAt =
            at + Math.min(this.opts.ownerMaxDelayMs, this.opts.ownerBaseDelayMs * 2 ** (lane.failures - 1));
        }
      });
    }

    const oldest = Math.min(...(accountFull ? acc.failures : []), ...(addressFull ? addr.failures : []), now);
    return { ok: false, retryAfterMs: Math.max(1_000, oldest + this.opts.windowMs - now), busy: false };
  }

  /**
   * `reserve`, waiting (at most `maxWaitMs`) while the places are held only by attempts still
   * running; refused at once when failures fill them.
   */
  async acquire(address: string, account: string, maxWaitMs = 15_000): Promise<Reservation> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      // The ledger's counts first; from here to the reservation nothing waits.
      const view = await this.load(address, account);
      if (view) this.merge(address, account, view, Date.now());
      const now = Date.now();
      const r = this.reserve(address, account, now);
      if (r.ok || !r.busy || now >= deadline) return r;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, deadline - now);
        this.waiters.add(wake);
      });
    }
  }

  /** True when this address has signed in to this account before (and is still remembered). */
  isGoodAddress(address: string, account: string): boolean {
    return this.good.get(account.toLowerCase())?.has(address) ?? false;
  }

  private reservation(release: (success: boolean, at: number) => void): Reservation {
    let done = false;
    return {
      ok: true,
      release: (success, at = Date.now()) => {
        if (done) return;
        done = true;
        release(success, at);
        for (const wake of [...this.waiters]) wake();
      },
    };
  }

  private async load(address: string, account: string): Promise<LedgerView | null> {
    const ledger = this.ledger;
    if (!ledger) return null;
    // A ledger that stopped answering is asked again only now and then, so that sign-ins do
    // not each wait for it meanwhile.
    if (this.ledgerDown && Date.now() - this.ledgerTriedAt < this.ledgerTimeoutMs * 5) return null;
    this.ledgerTriedAt = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const view = await Promise.race([
        ledger.load(account.toLowerCase(), address, Date.now()),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer in ${this.ledgerTimeoutMs} ms`)),
            this.ledgerTimeoutMs,
          );
        }),
      ]);
      this.ledgerAnswered();
      return view;
    } catch (error) {
      this.ledgerFailed(error);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private write(op: (ledger: SignInLedger) => Promise<void>): void {
    const ledger = this.ledger;
    if (!ledger) return;
    // Sent now, before the caller answers the browser, so that the next attempt (on any
    // gateway) finds it there.
    let sent: Promise<void>;
    try {
      sent = op(ledger);
    } catch (error) {
      sent = Promise.reject(error);
    }
    const done: Promise<void> = sent
      .then(
        () => this.ledgerAnswered(),
        (error: unknown) => this.ledgerFailed(error),
      )
      .finally(() => this.writes.delete(done));
    this.writes.add(done);
  }

  private ledgerAnswered(): void {
    if (!this.ledgerDown) return;
    this.ledgerDown = false;
    this.log?.info("sign_in.ledger_back");
  }

  /** Said once per outage, with the error's message only (never the account or a password). */
  private ledgerFailed(error: unknown): void {
    if (this.ledgerDown) return;
    this.ledgerDown = true;
    this.log?.warn("sign_in.ledger_unreachable", {
      message: error instanceof Error ? error.message : String(error),
    });
  }

  private succeeded(account: string, address: string, at: number): void {
    const key = account.toLowerCase();
    this.buckets.get(`a:${key}`)?.failures.splice(0);
    this.owners.delete(`${key}\n${address}`);
    this.remember(key, address, at);
    this.write((l) => l.succeeded(key, address, at));
  }

  private remember(key: string, address: string, at: number): void {
    // Most recent last, in both maps, so the oldest is the first to go.
    const addresses = this.good.get(key) ?? new Map<string, number>();
    this.good.delete(key);
    addresses.delete(address);
    addresses.set(address, at);
    while (addresses.size > this.opts.goodAddressesPerAccount) {
      const oldest = addresses.keys().next().value;
      if (oldest === undefined) break;
      addresses.delete(oldest);
    }
    this.good.set(key, addresses);
    while (this.good.size > this.opts.accountsRemembered) {
      const oldest = this.good.keys().next().value;
      if (oldest === undefined) break;
      this.good.delete(oldest);
    }
  }

  private bucket(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { failures: [], inflight: 0 };
      this.buckets.set(key, bucket);
    }
    const fresh = bucket.failures.filter((t) => now - t < this.opts.windowMs);
    if (fresh.length !== bucket.failures.length) bucket.failures = fresh;
    return bucket;
  }

  /** Forgets buckets with nothing in them, so memory follows the live attempts only. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.opts.windowMs / 10) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      bucket.failures = bucket.failures.filter((t) => now - t < this.opts.windowMs);
      if (bucket.failures.length === 0 && bucket.inflight === 0) this.buckets.delete(key);
    }
    for (const [key, lane] of this.owners)
      if (!lane.inflight && now - lane.nextAt > this.opts.windowMs) this.owners.delete(key);
  }
}

/**
 * Two lists of failure times as one: each time as many times as the list that has it more
 * often, sorted.
 */
export function mergeTimes(local: readonly number[], remote: readonly number[]): number[] {
  const have = new Map<number, number>();
  for (const t of local) have.set(t, (have.get(t) ?? 0) + 1);
  const out = [...local];
  const seen = new Map<number, number>();
  for (const t of remote) {
    const n = (seen.get(t) ?? 0) + 1;
    seen.set(t, n);
    if (n > (have.get(t) ?? 0)) out.push(t);
  }
  return out.sort((a, b) => a - b);
}
