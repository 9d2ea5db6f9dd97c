/**
 * Sign-in attempts per account and per client address in a sliding window, so that password
 * guessing through the gateway is slow (the mail server sees only the gateway's address).
 * Pure: time comes from the caller, and addresses come already grouped (client-address.ts).
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

  constructor(opts: Partial<LimiterOptions> = {}) {
    this.opts = { ...defaultLimiterOptions, ...opts };
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

  private succeeded(account: string, address: string, at: number): void {
    const key = account.toLowerCase();
    this.buckets.get(`a:${key}`)?.failures.splice(0);
    this.owners.delete(`${key}\n${address}`);
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
