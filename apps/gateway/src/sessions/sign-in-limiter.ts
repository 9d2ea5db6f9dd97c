/**
 * Counts failed sign-ins per client address and per account in a sliding window, so that
 * password guessing through the gateway is slow (the mail server only sees the gateway's
 * address). Pure: time comes from the caller.
 */
export interface LimiterOptions {
  windowMs: number;
  maxPerAccount: number;
  maxPerAddress: number;
}

export const defaultLimiterOptions: LimiterOptions = {
  windowMs: 15 * 60_000,
  maxPerAccount: 5,
  maxPerAddress: 20,
};

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly opts: LimiterOptions = defaultLimiterOptions) {}

  /** True when another attempt from this address for this account may go to the server. */
  allowed(address: string, account: string, now: number): boolean {
    return (
      this.count(`a:${account.toLowerCase()}`, now) < this.opts.maxPerAccount &&
      this.count(`ip:${address}`, now) < this.opts.maxPerAddress
    );
  }

  recordFailure(address: string, account: string, now: number): void {
    for (const key of [`a:${account.toLowerCase()}`, `ip:${address}`]) {
      const list = this.failures.get(key) ?? [];
      list.push(now);
      this.failures.set(key, list);
    }
  }

  recordSuccess(account: string): void {
    this.failures.delete(`a:${account.toLowerCase()}`);
  }

  private count(key: string, now: number): number {
    const list = this.failures.get(key);
    if (!list) return 0;
    const fresh = list.filter((t) => now - t < this.opts.windowMs);
    if (fresh.length === 0) this.failures.delete(key);
    else this.failures.set(key, fresh);
    return fresh.length;
  }
}
