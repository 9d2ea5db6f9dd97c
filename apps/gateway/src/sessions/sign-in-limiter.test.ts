import { describe, expect, it } from "vitest";
import { SignInLimiter } from "./sign-in-limiter";

const opts = {
  windowMs: 1000,
  maxPerAccount: 3,
  maxPerAddress: 5,
  ownerBaseDelayMs: 100,
  ownerMaxDelayMs: 400,
};

/** One attempt that fails at once; true when it was allowed to reach the server. */
function fail(l: SignInLimiter, address: string, account: string, now: number): boolean {
  const r = l.reserve(address, account, now);
  if (!r.ok) return false;
  r.release(false, now);
  return true;
}

describe("SignInLimiter", () => {
  it("blocks an account after its failures and lets it go when the window passes", () => {
    const l = new SignInLimiter(opts);
    for (let i = 0; i < 3; i++) expect(fail(l, "1.1.1.1", "A@x.test", 0)).toBe(true);
    expect(l.reserve("2.2.2.2", "a@x.test", 10).ok).toBe(false);
    expect(l.reserve("2.2.2.2", "b@x.test", 10).ok).toBe(true);
    expect(l.reserve("2.2.2.2", "a@x.test", 1001).ok).toBe(true);
  });

  it("reserves before the login: parallel attempts beyond the limit never start", () => {
    const l = new SignInLimiter(opts);
    const all = Array.from({ length: 50 }, () => l.reserve("1.1.1.1", "a@x.test", 0));
    expect(all.filter((r) => r.ok)).toHaveLength(3);
    const refused = all.find((r) => !r.ok);
    expect(refused && !refused.ok ? refused.retryAfterMs : 0).toBeGreaterThan(0);
    // A success gives the account's attempts back.
    const first = all[0];
    if (first?.ok) first.release(true, 1);
    for (const r of all.slice(1)) if (r.ok) r.release(false, 1);
    expect(l.reserve("9.9.9.9", "a@x.test", 2).ok).toBe(true);
  });

  it("blocks an address that tries many accounts", () => {
    const l = new SignInLimiter(opts);
    for (let i = 0; i < 5; i++) fail(l, "1.1.1.1", `u${i}@x.test`, 0);
    expect(l.reserve("1.1.1.1", "new@x.test", 1).ok).toBe(false);
    expect(l.reserve("9.9.9.9", "new@x.test", 1).ok).toBe(true);
  });

  it("slows the owner down from a known-good address instead of locking them out", () => {
    const l = new SignInLimiter(opts);
    const owner = l.reserve("10.0.0.1", "a@x.test", 0);
    if (!owner.ok) throw new Error("refused");
    owner.release(true, 0);
    expect(l.isGoodAddress("10.0.0.1", "a@x.test")).toBe(true);
    // A stranger uses up the account.
    for (let i = 0; i < 3; i++) fail(l, "6.6.6.6", "a@x.test", 10);
    expect(l.reserve("7.7.7.7", "a@x.test", 11).ok).toBe(false);
    // The owner still gets in, one attempt at a time, with a growing delay after failures.
    expect(fail(l, "10.0.0.1", "a@x.test", 20)).toBe(true);
    expect(l.reserve("10.0.0.1", "a@x.test", 50).ok).toBe(false);
    expect(fail(l, "10.0.0.1", "a@x.test", 121)).toBe(true);
    expect(l.reserve("10.0.0.1", "a@x.test", 250).ok).toBe(false);
    const third = l.reserve("10.0.0.1", "a@x.test", 322);
    expect(third.ok).toBe(true);
    // Only one attempt in flight on the owner's lane.
    expect(l.reserve("10.0.0.1", "a@x.test", 323).ok).toBe(false);
    if (third.ok) third.release(true, 330);
    expect(l.reserve("7.7.7.7", "a@x.test", 331).ok).toBe(true);
  });

  it("caps the owner's delay and remembers a bounded number of good addresses", () => {
    const l = new SignInLimiter({ ...opts, goodAddressesPerAccount: 2, accountsRemembered: 2 });
    for (const address of ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) {
      const r = l.reserve(address, "a@x.test", 0);
      if (r.ok) r.release(true, 0);
    }
    expect(l.isGoodAddress("10.0.0.1", "a@x.test")).toBe(false);
    expect(l.isGoodAddress("10.0.0.3", "a@x.test")).toBe(true);
    for (const account of ["b@x.test", "c@x.test"]) {
      const r = l.reserve("10.0.0.9", account, 0);
      if (r.ok) r.release(true, 0);
    }
    expect(l.isGoodAddress("10.0.0.3", "a@x.test")).toBe(false);
    for (let i = 0; i < 3; i++) fail(l, "6.6.6.6", "c@x.test", 0);
    let t = 1;
    for (let i = 0; i < 6; i++) {
      const r = l.reserve("10.0.0.9", "c@x.test", t);
      expect(r.ok).toBe(true);
      if (r.ok) r.release(false, t);
      t += 400; // the cap: never more than ownerMaxDelayMs
    }
  });
});

describe("sign-ins at the same moment", () => {
  it("lets twenty concurrent good sign-ins of one account through, one place at a time", async () => {
    const l = new SignInLimiter({ maxPerAccount: 5 });
    let running = 0;
    let most = 0;
    const signIn = async () => {
      const r = await l.acquire("1.1.1.1", "a@x.test", 5_000);
      if (!r.ok) return false;
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      r.release(true);
      return true;
    };
    const results = await Promise.all(Array.from({ length: 20 }, signIn));
    expect(results.every(Boolean)).toBe(true);
    expect(most).toBeLessThanOrEqual(5);
  });

  it("refuses the waiting guesses once the running ones have failed", async () => {
    const l = new SignInLimiter({ maxPerAccount: 5 });
    let reached = 0;
    const guess = async () => {
      const r = await l.acquire("1.1.1.1", "a@x.test", 5_000);
      if (!r.ok) return false;
      reached += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      r.release(false);
      return true;
    };
    const results = await Promise.all(Array.from({ length: 50 }, guess));
    expect(reached).toBe(5);
    expect(results.filter(Boolean)).toHaveLength(5);
  });
});
