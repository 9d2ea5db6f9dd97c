import {
  defaultLimiterOptions,
  type LedgerView,
  type SharedAttempt,
  type SharedPlace,
  type SignInLedger,
} from "./sign-in-limiter";

/**
 * The ledger's contract in one process's memory, as the Redis ledger keeps it
 * (stores/redis-sign-in-ledger.ts): failures per account and per address for the window, a
 * success forgets the account's failures and remembers the address, the most recent
 * `goodAddressesPerAccount` of them; places held by running attempts per account and per
 * address until given back or past their end. Limiters sharing one stand for gateways sharing
 * Redis, in tests; a single gateway needs none (its limiter keeps the same counts itself).
 */
export class MemorySignInLedger implements SignInLedger {
  private readonly failures = new Map<string, number[]>();
  private readonly good = new Map<string, Map<string, number>>();
  /** Held places by key: attempt id -> the time it lapses. */
  private readonly running = new Map<string, Map<string, number>>();
  private readonly windowMs: number;
  private readonly goodPerAccount: number;

  constructor(opts: { windowMs?: number; goodAddressesPerAccount?: number } = {}) {
    this.windowMs = opts.windowMs ?? defaultLimiterOptions.windowMs;
    this.goodPerAccount = opts.goodAddressesPerAccount ?? defaultLimiterOptions.goodAddressesPerAccount;
  }

  load(account: string, address: string, now: number): Promise<LedgerView> {
    const inWindow = (t: number) => now - t < this.windowMs;
    const good = this.good.get(account);
    return Promise.resolve({
      accountFailures: (this.failures.get(`a:${account}`) ?? []).filter(inWindow),
      addressFailures: (this.failures.get(`ip:${address}`) ?? []).filter(inWindow),
      addressGoodAt: good?.get(address) ?? null,
      lastSuccessAt: good && good.size > 0 ? Math.max(...good.values()) : null,
    });
  }

  hold(account: string, address: string, attempt: SharedAttempt): Promise<SharedPlace> {
    const { now } = attempt;
    const spent = attempt.spentUntil ?? -Infinity;
    const accountFailures = (this.failures.get(`a:${account}`) ?? []).filter(
      (t) => now - t < this.windowMs && t > spent,
    );
    const addressFailures = (this.failures.get(`ip:${address}`) ?? []).filter((t) => now - t < this.windowMs);
    const counts = [
      {
        key: `a:${account}`,
        failed: Math.max(accountFailures.length, attempt.accountFailures),
        most: attempt.maxPerAccount,
      },
      {
        key: `ip:${address}`,
        failed: Math.max(addressFailures.length, attempt.addressFailures),
        most: attempt.maxPerAddress,
      },
    ];
    let answer: SharedPlace["answer"] = "held";
    for (const { key, failed, most } of counts) {
      if (failed >= most) answer = "full";
      else if (answer === "held" && failed + this.places(key, now).size >= most) answer = "busy";
    }
    if (answer === "held") for (const { key } of counts) this.places(key, now).set(attempt.id, attempt.until);
    return Promise.resolve({ answer, accountFailures, addressFailures });
  }

  renew(account: string, address: string, id: string, until: number): Promise<void> {
    for (const key of [`a:${account}`, `ip:${address}`]) {
      const places = this.running.get(key);
      if (places?.has(id)) places.set(id, until);
    }
    return Promise.resolve();
  }

  recordFailure(account: string, address: string, at: number, id?: string): Promise<void> {
    for (const key of [`a:${account}`, `ip:${address}`]) {
      const times = (this.failures.get(key) ?? []).filter((t) => at - t < this.windowMs);
      times.push(at);
      this.failures.set(key, times);
      if (id !== undefined) this.running.get(key)?.delete(id);
    }
    return Promise.resolve();
  }

  succeeded(account: string, address: string, at: number, id?: string): Promise<void> {
    this.failures.delete(`a:${account}`);
    const good = this.good.get(account) ?? new Map<string, number>();
    good.set(address, Math.max(at, good.get(address) ?? -Infinity));
    const newest = [...good].sort((a, b) => b[1] - a[1]).slice(0, this.goodPerAccount);
    this.good.set(account, new Map(newest));
    if (id !== undefined)
      for (const key of [`a:${account}`, `ip:${address}`]) this.running.get(key)?.delete(id);
    return Promise.resolve();
  }

  /** The places held under a key, those past their end dropped. */
  private places(key: string, now: number): Map<string, number> {
    const places = this.running.get(key) ?? new Map<string, number>();
    this.running.set(key, places);
    for (const [id, until] of places) if (until <= now) places.delete(id);
    return places;
  }
}
