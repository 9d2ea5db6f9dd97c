import { describe, expect, it } from "vitest";
import { MemorySignInLedger } from "./memory-sign-in-ledger";
import {
  mergeTimes,
  SignInLimiter,
  type LedgerView,
  type SharedPlace,
  type SignInLedger,
} from "./sign-in-limiter";

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

describe("merging a shared ledger", () => {
  const view = (v: Partial<LedgerView> = {}): LedgerView => ({
    accountFailures: [],
    addressFailures: [],
    lastSuccessAt: null,
    addressGoodAt: null,
    ...v,
  });

  it("counts each failure time as often as the side that has it more", () => {
    expect(mergeTimes([5, 1, 5], [5, 3, 5, 5])).toEqual([1, 3, 5, 5, 5]);
    expect(mergeTimes([], [2, 2])).toEqual([2, 2]);
    expect(mergeTimes([2, 2], [])).toEqual([2, 2]);
  });

  it("locks an account on failures made elsewhere, and counts its own echoed back once", () => {
    const l = new SignInLimiter(opts);
    expect(fail(l, "1.1.1.1", "a@x.test", 10)).toBe(true);
    // The ledger holds this failure and two from another gateway.
    l.merge("2.2.2.2", "A@x.test", view({ accountFailures: [10, 11, 12] }), 20);
    expect(l.reserve("2.2.2.2", "a@x.test", 20).ok).toBe(false);
    expect(l.reserve("3.3.3.3", "b@x.test", 20).ok).toBe(true);
  });

  it("does not count the same failures twice when merged again", () => {
    const l = new SignInLimiter(opts);
    for (let i = 0; i < 3; i++) l.merge("2.2.2.2", "a@x.test", view({ accountFailures: [10, 11] }), 20);
    expect(fail(l, "2.2.2.2", "a@x.test", 20)).toBe(true);
    expect(l.reserve("2.2.2.2", "a@x.test", 21).ok).toBe(false);
  });

  it("counts failures of an address on other accounts", () => {
    const l = new SignInLimiter(opts);
    l.merge("6.6.6.6", "new@x.test", view({ addressFailures: [1, 2, 3, 4, 5] }), 10);
    expect(l.reserve("6.6.6.6", "new@x.test", 10).ok).toBe(false);
    expect(l.reserve("7.7.7.7", "new@x.test", 10).ok).toBe(true);
  });

  it("ignores failures past the window", () => {
    const l = new SignInLimiter(opts);
    l.merge("2.2.2.2", "a@x.test", view({ accountFailures: [0, 1, 2] }), 1002);
    expect(l.reserve("2.2.2.2", "a@x.test", 1002).ok).toBe(true);
  });

  it("drops the failures before a success elsewhere, its own included", () => {
    const l = new SignInLimiter(opts);
    for (let i = 0; i < 3; i++) fail(l, "1.1.1.1", "a@x.test", 10 + i);
    expect(l.reserve("1.1.1.1", "a@x.test", 20).ok).toBe(false);
    // Another gateway signed the owner in at 15; the ledger forgot the failures then.
    l.merge("1.1.1.1", "a@x.test", view({ lastSuccessAt: 15 }), 20);
    expect(l.reserve("1.1.1.1", "a@x.test", 20).ok).toBe(true);
  });

  it("does not bring back failures a success here has spent, from a view read before it", () => {
    const l = new SignInLimiter(opts);
    for (let i = 0; i < 2; i++) fail(l, "1.1.1.1", "a@x.test", 10 + i);
    const ok = l.reserve("1.1.1.1", "a@x.test", 12);
    if (ok.ok) ok.release(true, 12);
    l.merge("1.1.1.1", "a@x.test", view({ accountFailures: [5, 10, 11] }), 13);
    expect(fail(l, "6.6.6.6", "a@x.test", 13)).toBe(true);
    expect(fail(l, "6.6.6.6", "a@x.test", 14)).toBe(true);
    expect(l.reserve("6.6.6.6", "a@x.test", 15).ok).toBe(true);
  });

  it("opens the owner's lane to an address that signed in on another gateway", () => {
    const l = new SignInLimiter(opts);
    l.merge("10.0.0.1", "a@x.test", view({ accountFailures: [1, 2, 3], addressGoodAt: 0 }), 5);
    expect(l.isGoodAddress("10.0.0.1", "a@x.test")).toBe(true);
    expect(l.reserve("10.0.0.1", "a@x.test", 5).ok).toBe(true);
    l.merge("7.7.7.7", "a@x.test", view({ accountFailures: [1, 2, 3] }), 5);
    expect(l.reserve("7.7.7.7", "a@x.test", 5).ok).toBe(false);
  });
});

describe("limiters sharing one ledger (gateways sharing Redis)", () => {
  const fast = { ...opts, windowMs: 60_000 };

  async function attempt(l: SignInLimiter, address: string, account: string, success: boolean) {
    // Attempts a few milliseconds apart, as real ones are: a failure in a success's own
    // millisecond counts as spent by it.
    await new Promise((resolve) => setTimeout(resolve, 2));
    const r = await l.acquire(address, account, 0);
    if (!r.ok) return false;
    r.release(success);
    await l.settled();
    return true;
  }

  it("holds the account's limit across them and after a new one starts", async () => {
    const ledger = new MemorySignInLedger(fast);
    const one = new SignInLimiter(fast, { ledger });
    const two = new SignInLimiter(fast, { ledger });
    expect(await attempt(one, "6.6.6.6", "a@x.test", false)).toBe(true);
    expect(await attempt(two, "6.6.6.7", "a@x.test", false)).toBe(true);
    expect(await attempt(one, "6.6.6.8", "a@x.test", false)).toBe(true);
    expect(await attempt(two, "6.6.6.9", "a@x.test", false)).toBe(false);
    expect(await attempt(one, "6.6.6.9", "a@x.test", false)).toBe(false);
    const restarted = new SignInLimiter(fast, { ledger });
    expect(await attempt(restarted, "6.6.6.9", "a@x.test", false)).toBe(false);
  });

  it("gives the account's attempts back on every one after a success on one", async () => {
    const ledger = new MemorySignInLedger(fast);
    const one = new SignInLimiter(fast, { ledger });
    const two = new SignInLimiter(fast, { ledger });
    // The owner signed in through the first; strangers then use the account up on both.
    expect(await attempt(one, "10.0.0.1", "a@x.test", true)).toBe(true);
    for (const l of [one, two, one]) expect(await attempt(l, "6.6.6.6", "a@x.test", false)).toBe(true);
    expect(await attempt(two, "6.6.6.6", "a@x.test", false)).toBe(false);
    // A new gateway knows the owner's address, and the owner's success there frees the account.
    const three = new SignInLimiter(fast, { ledger });
    expect(await attempt(three, "10.0.0.1", "a@x.test", true)).toBe(true);
    expect(await attempt(two, "7.7.7.7", "a@x.test", false)).toBe(true);
    expect(await attempt(one, "7.7.7.7", "a@x.test", false)).toBe(true);
  });
});

describe("attempts running on limiters sharing one ledger", () => {
  const fast = { ...opts, windowMs: 60_000 };

  /** Parallel sign-ins split across the limiters in turn; how many reached the server. */
  async function burst(limiters: SignInLimiter[], n: number, success: boolean, account = "a@x.test") {
    let reached = 0;
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const l = limiters[i % limiters.length];
        const r = await l?.acquire(`6.6.${i}.1`, account, 5_000);
        if (!r?.ok) return;
        reached += 1;
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        running -= 1;
        r.release(success);
      }),
    );
    return { reached, most };
  }

  it("start no more logins of one account across them than one limiter would", async () => {
    const ledger = new MemorySignInLedger(fast);
    const limiters = [0, 1, 2].map(() => new SignInLimiter(fast, { ledger }));
    expect((await burst(limiters, 12, false)).reached).toBe(fast.maxPerAccount);
    expect((await burst([new SignInLimiter(fast)], 12, false, "b@x.test")).reached).toBe(fast.maxPerAccount);
  });

  it("let good sign-ins through one place at a time across them", async () => {
    const ledger = new MemorySignInLedger(fast);
    const limiters = [0, 1].map(() => new SignInLimiter(fast, { ledger }));
    expect(await burst(limiters, 10, true)).toEqual({ reached: 10, most: fast.maxPerAccount });
  });

  it("keep the owner's lane, outside the shared places", async () => {
    const ledger = new MemorySignInLedger(fast);
    const [one, two] = [new SignInLimiter(fast, { ledger }), new SignInLimiter(fast, { ledger })];
    const owner = await one.acquire("10.0.0.1", "a@x.test", 0);
    if (owner.ok) owner.release(true);
    await new Promise((resolve) => setTimeout(resolve, 2));
    expect((await burst([one, two], 6, false)).reached).toBe(fast.maxPerAccount);
    // Strangers used the account up: the owner's address still gets in, slowed down, on either.
    const lane = await two.acquire("10.0.0.1", "a@x.test", 0);
    expect(lane.ok).toBe(true);
    if (lane.ok) lane.release(false);
    expect(await two.acquire("10.0.0.1", "a@x.test", 0)).toMatchObject({ ok: false, busy: false });
    expect((await one.acquire("10.0.0.1", "a@x.test", 0)).ok).toBe(true);
  });
});

describe("a ledger that fails", () => {
  class DownLedger implements SignInLedger {
    calls = 0;
    constructor(private readonly mode: "reject" | "hang") {}
    private answer<T>(): Promise<T> {
      this.calls += 1;
      return this.mode === "reject"
        ? Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:6379"))
        : new Promise<T>(() => undefined);
    }
    load = () => this.answer<LedgerView>();
    hold = () => this.answer<SharedPlace>();
    renew = () => this.answer<void>();
    recordFailure = () => this.answer<void>();
    succeeded = () => this.answer<void>();
  }

  for (const mode of ["reject", "hang"] as const)
    it(`(${mode}) leaves the local limits in force, and is logged once`, async () => {
      const ledger = new DownLedger(mode);
      const lines: string[] = [];
      const log = {
        warn: (e: string) => lines.push(`warn ${e}`),
        info: (e: string) => lines.push(`info ${e}`),
      };
      const l = new SignInLimiter(opts, { ledger, log, ledgerTimeoutMs: 20 });
      for (let i = 0; i < 3; i++) {
        const r = await l.acquire("1.1.1.1", "a@x.test", 0);
        expect(r.ok).toBe(true);
        if (r.ok) r.release(false);
      }
      const refused = await l.acquire("1.1.1.1", "a@x.test", 0);
      expect(refused.ok).toBe(false);
      await l.settled(50);
      expect(ledger.calls).toBeGreaterThanOrEqual(4);
      expect(lines).toEqual(["warn sign_in.ledger_unreachable"]);
    });

  for (const mode of ["reject", "hang"] as const)
    it(`(${mode}) when asked for a place: the local place stands, and is logged once`, async () => {
      const shared = new MemorySignInLedger(opts);
      const lines: string[] = [];
      const log = {
        warn: (e: string) => lines.push(`warn ${e}`),
        info: (e: string) => lines.push(`info ${e}`),
      };
      const ledger: SignInLedger = {
        load: (...a) => shared.load(...a),
        hold: () =>
          mode === "reject"
            ? Promise.reject(new Error("NOSCRIPT"))
            : new Promise<SharedPlace>(() => undefined),
        renew: (...a) => shared.renew(...a),
        recordFailure: (...a) => shared.recordFailure(...a),
        succeeded: (...a) => shared.succeeded(...a),
      };
      const l = new SignInLimiter(opts, { ledger, log, ledgerTimeoutMs: 20 });
      const held = await Promise.all([0, 1, 2, 3].map(() => l.acquire("1.1.1.1", "a@x.test", 0)));
      expect(held.map((r) => r.ok)).toEqual([true, true, true, false]);
      for (const r of held) if (r.ok) r.release(false);
      expect((await l.acquire("1.1.1.1", "a@x.test", 0)).ok).toBe(false);
      // Said once; the writes of the outcomes answered afterwards, and said so.
      expect(lines.filter((line) => line.startsWith("warn"))).toEqual(["warn sign_in.ledger_unreachable"]);
    });

  it("is asked again a while after it failed, and its counts hold again once it answers", async () => {
    const shared = new MemorySignInLedger(opts);
    let down = true;
    const flaky: SignInLedger = {
      load: (...a) => (down ? Promise.reject(new Error("down")) : shared.load(...a)),
      hold: (...a) => (down ? Promise.reject(new Error("down")) : shared.hold(...a)),
      renew: (...a) => (down ? Promise.reject(new Error("down")) : shared.renew(...a)),
      recordFailure: (...a) => (down ? Promise.reject(new Error("down")) : shared.recordFailure(...a)),
      succeeded: (...a) => (down ? Promise.reject(new Error("down")) : shared.succeeded(...a)),
    };
    const lines: string[] = [];
    const log = {
      warn: (e: string) => lines.push(`warn ${e}`),
      info: (e: string) => lines.push(`info ${e}`),
    };
    const l = new SignInLimiter(opts, { ledger: flaky, log, ledgerTimeoutMs: 10 });
    expect((await l.acquire("1.1.1.1", "b@x.test", 0)).ok).toBe(true);
    // Another gateway fills the account meanwhile.
    for (let i = 0; i < 3; i++) await shared.recordFailure("a@x.test", `6.6.6.${i}`, Date.now());
    down = false;
    // Within five timeouts of the failure the ledger is not asked; after them it is.
    expect((await l.acquire("2.2.2.2", "a@x.test", 0)).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await l.acquire("2.2.2.2", "a@x.test", 0)).ok).toBe(false);
    expect(lines).toEqual(["warn sign_in.ledger_unreachable", "info sign_in.ledger_back"]);
  });
});
