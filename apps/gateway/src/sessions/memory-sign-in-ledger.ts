import { defaultLimiterOptions, type LedgerView, type SignInLedger } from "./sign-in-limiter";

/**
 * The ledger's contract in one process's memory, as the Redis ledger keeps it
 * (stores/redis-sign-in-ledger.ts): failures per account and per address for the window, a
 * success forgets the account's failures and remembers the address, the most recent
 * `goodAddressesPerAccount` of them. Limiters sharing one stand for gateways sharing Redis, in
 * tests; a single gateway needs none (its limiter keeps the same counts itself).
 */
export class MemorySignInLedger implements SignInLedger {
  private readonly failures = new Map<string, number[]>();
  private readonly good = new Map<string, Map<string, number>>();
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

  recordFailure(account: string, address: string, at: number): Promise<void> {
    for (const key of [`a:${account}`, `ip:${address}`]) {
      const times = (this.failures.get(key) ?? []).filter((t) => at - t < this.windowMs);
      times.push(at);
      this.failures.set(key, times);
    }
    return Promise.resolve();
  }

  succeeded(account: string, address: string, at: number): Promise<void> {
    this.failures.delete(`a:${account}`);
    const good = this.good.get(account) ?? new Map<string, number>();
    good.set(address, Math.max(at, good.get(address) ?? -Infinity));
    const newest = [...good].sort((a, b) => b[1] - a[1]).slice(0, this.goodPerAccount);
    this.good.set(account, new Map(newest));
    return Promise.resolve();
  }
}
