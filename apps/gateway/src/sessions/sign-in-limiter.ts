import { randomUUID } from "node:crypto";
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
 *   the account's good addresses, and the attempts running on every gateway. `acquire` merges
 *   the ledger's view of the two keys into this process's buckets and reserves synchronously as
 *   without one; then the ledger checks the same limits against every gateway's failures and
 *   running attempts and takes a place there in the same atomic step (`hold`), so a burst of
 *   guesses spread over N gateways still starts at most `maxPerAccount` logins, not N times as
 *   many. `release` gives the place back and writes the failure or success in one step (a
 *   failed attempt's place never stands empty in between). A place lapses by itself
 *   `attemptLeaseMs` after its gateway last renewed it, so one that dies mid-attempt frees it
 *   then. The owner's lane stays in this process.
 * - A ledger that fails or is slow is skipped (logged once until it answers again): the local
 *   counts still hold (running attempts then per gateway), and a sign-in never fails because
 *   of it.
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
  /**
   * Takes a place for an attempt about to start if every gateway's failures and running
   * attempts leave one, in one atomic step with the check.
   */
  hold(account: string, address: string, attempt: SharedAttempt): Promise<SharedPlace>;
  /** Moves a held place's end to `until`, while its login still runs; nothing if it is gone. */
  renew(account: string, address: string, id: string, until: number): Promise<void>;
  /** With `id`, the attempt's held place is given back in the same step. */
  recordFailure(account: string, address: string, at: number, id?: string): Promise<void>;
  /** With `id`, the attempt's held place is given back in the same step. */
  succeeded(account: string, address: string, at: number, id?: string): Promise<void>;
}

/** An attempt asking the ledger for a place among every gateway's. Times in epoch ms. */
export interface SharedAttempt {
  /** Names the place until it is given back (random). */
  id: string;
  now: number;
  /** The place lapses at this time unless renewed: its gateway may die mid-attempt. */
  until: number;
  /** The account's failures up to this time are spent (its last success known here). */
  spentUntil: number | null;
  /** Failures counted here (the merged view): the ledger counts at least as many. */
  accountFailures: number;
  addressFailures: number;
  maxPerAccount: number;
  maxPerAddress: number;
}

export interface SharedPlace {
  /** `busy`: attempts still running fill the places; `full`: failures alone do. */
  answer: "held" | "busy" | "full";
  /** The failures the ledger counted (in the window, not spent), for this process's buckets. */
  accountFailures: readonly number[];
  addressFailures: readonly number[];
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
  /**
   * How long an attempt's place in the ledger outlives word from its gateway: renewed every
   * third of it while the login runs (which has no overall deadline: imapflow's and the POP3
   * client's timeouts are per step), so that a gateway that dies mid-attempt holds a place at
   * most this long. @default 30_000
   */
  attemptLeaseMs?: number;
}

/** Places held on other gateways are given back there, unheard here: how often to look again. */
const SHARED_POLL_MS = 250;

/** A place taken in this process's buckets, not yet answered for. */
interface Place {
  acc: Bucket;
  addr: Bucket;
}

/** A place held in the ledger too: given back with the attempt's outcome. */
interface HeldThere {
  id: string;
  renewal: NodeJS.Timeout | null;
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
  private readonly attemptLeaseMs: number;
  private ledgerDown = false;
  private ledgerTriedAt = 0;
  /** Writes to the ledger not yet answered. */
  private readonly writes = new Set<Promise<void>>();

  constructor(opts: Partial<LimiterOptions> = {}, shared: LedgerOptions = {}) {
    this.opts = { ...defaultLimiterOptions, ...opts };
    this.ledger = shared.ledger ?? null;
    this.log = shared.log ?? null;
    this.ledgerTimeoutMs = shared.ledgerTimeoutMs ?? 1_000;
    this.attemptLeaseMs = shared.attemptLeaseMs ?? 30_000;
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
    const held = this.hold(address, account, now);
    return "acc" in held ? this.placed(held, address, account, null) : held;
  }

  /**
   * `reserve`, waiting (at most `maxWaitMs`) while the places are held only by attempts still
   * running; refused at once when failures fill them. With a ledger, the place is held among
   * every gateway's too.
   */
  async acquire(address: string, account: string, maxWaitMs = 15_000): Promise<Reservation> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      // The ledger's counts first; from here to the local reservation nothing waits.
      const view = await this.load(address, account);
      if (view) this.merge(address, account, view, Date.now());
      const held = this.hold(address, account, Date.now());
      let r: Reservation;
      if (!("acc" in held)) r = held;
      else if (view) r = await this.holdThere(held, address, account, this.spentUntil(account, view));
      // No ledger, or it is down: the local place stands alone.
      else r = this.placed(held, address, account, null);
      const now = Date.now();
      if (r.ok || !r.busy || now >= deadline) return r;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        // Places held on other gateways are given back there, without a word to this one.
        const timer = setTimeout(wake, Math.min(deadline - now, view ? SHARED_POLL_MS : Infinity));
        this.waiters.add(wake);
      });
    }
  }

  /** `reserve`'s check: a place in the buckets (taken), the owner's lane, or a refusal. */
  private hold(address: string, account: string, now: number): Place | Reservation {
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
      return { acc, addr };
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

  /** The attempt behind a place taken here, given back (and told to the ledger) on release. */
  private placed(place: Place, address: string, account: string, there: HeldThere | null): Reservation {
    return this.reservation((success, at) => {
      this.unplace(place);
      if (there?.renewal) clearInterval(there.renewal);
      if (success) this.succeeded(account, address, at, there?.id);
      else {
        place.acc.failures.push(at);
        place.addr.failures.push(at);
        this.write((l) => l.recordFailure(account.toLowerCase(), address, at, there?.id));
      }
    });
  }

  private unplace(place: Place): void {
    place.acc.inflight -= 1;
    place.addr.inflight -= 1;
  }

  /**
   * Holds the place taken here in the ledger too, checked there against every gateway's
   * failures and running attempts. Refused there, it is given back here without waking the
   * waiters: nothing has ended, and they would only be refused there in turn.
   */
  private async holdThere(
    place: Place,
    address: string,
    account: string,
    spentUntil: number | null,
  ): Promise<Reservation> {
    const key = account.toLowerCase();
    const now = Date.now();
    const attempt: SharedAttempt = {
      id: randomUUID(),
      now,
      until: now + this.attemptLeaseMs,
      spentUntil,
      accountFailures: place.acc.failures.length,
      addressFailures: place.addr.failures.length,
      maxPerAccount: this.opts.maxPerAccount,
      maxPerAddress: this.opts.maxPerAddress,
    };
    let there: SharedPlace;
    try {
      there = await this.ask((l) => l.hold(key, address, attempt));
    } catch {
      // Unanswered: the local place stands. The ledger may have held it all the same; the
      // outcome gives it back, or it lapses.
      return this.placed(place, address, account, { id: attempt.id, renewal: null });
    }
    if (there.answer === "held") {
      const renewal = setInterval(
        () => this.write((l) => l.renew(key, address, attempt.id, Date.now() + this.attemptLeaseMs)),
        this.attemptLeaseMs / 3,
      );
      renewal.unref();
      return this.placed(place, address, account, { id: attempt.id, renewal });
    }
    this.unplace(place);
    const counted: LedgerView = {
      accountFailures: there.accountFailures,
      addressFailures: there.addressFailures,
      lastSuccessAt: spentUntil,
      addressGoodAt: null,
    };
    this.merge(address, account, counted, Date.now());
    if (there.answer === "busy") return { ok: false, retryAfterMs: 1_000, busy: true };
    // Failures fill the places, some of them made on other gateways since the view was read:
    // the owner's lane or a refusal, as when they are counted here.
    const again = this.hold(address, account, Date.now());
    if (!("acc" in again)) return again;
    this.unplace(again);
    return { ok: false, retryAfterMs: 1_000, busy: false };
  }

  /** The account's last success known here or to the ledger: failures up to it are spent. */
  private spentUntil(account: string, view: LedgerView): number | null {
    let last = view.lastSuccessAt ?? -Infinity;
    for (const at of this.good.get(account.toLowerCase())?.values() ?? []) last = Math.max(last, at);
    return Number.isFinite(last) ? last : null;
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
    if (!this.ledger) return null;
    // A ledger that stopped answering is asked again only now and then, so that sign-ins do
    // not each wait for it meanwhile.
    if (this.ledgerDown && Date.now() - this.ledgerTriedAt < this.ledgerTimeoutMs * 5) return null;
    this.ledgerTriedAt = Date.now();
    try {
      return await this.ask((l) => l.load(account.toLowerCase(), address, Date.now()));
    } catch {
      return null;
    }
  }

  /** The ledger's answer within `ledgerTimeoutMs`, or the error (said once per outage). */
  private async ask<T>(op: (ledger: SignInLedger) => Promise<T>): Promise<T> {
    const ledger = this.ledger;
    if (!ledger) throw new Error("no sign-in ledger");
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        op(ledger),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer in ${this.ledgerTimeoutMs} ms`)),
            this.ledgerTimeoutMs,
          );
        }),
      ]);
      this.ledgerAnswered();
      return answer;
    } catch (error) {
      this.ledgerFailed(error);
      throw error;
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

  private succeeded(account: string, address: string, at: number, id?: string): void {
    const key = account.toLowerCase();
    this.buckets.get(`a:${key}`)?.failures.splice(0);
    this.owners.delete(`${key}\n${address}`);
    this.remember(key, address, at);
    this.write((l) => l.succeeded(key, address, at, id));
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
