import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type ServiceProcess } from "@pismo/mail-harness";
import { Redis } from "ioredis";
import { RedisSessionStore } from "../src/sessions/stores/redis-store";
import { defaultLimiterOptions, SignInLimiter, type LedgerOptions } from "../src/sessions/sign-in-limiter";

// The sign-in limiter of several gateways sharing one Redis (as they share sessions): what one
// counts, the others count, and a restarted gateway still does. Each "gateway" here is a
// limiter with its own Redis connections, as in gateway.ts.
const secret = Buffer.from("a-server-secret-of-at-least-32-characters!", "utf8");

describe("sign-in limits shared through Redis", () => {
  let redis: (ServiceProcess & { url: string }) | null = null;
  const stores: RedisSessionStore[] = [];
  let inspect: Redis;

  /** Each limiter's Redis connections, closed to stand for a gateway that died. */
  const storeOf = new Map<SignInLimiter, RedisSessionStore>();

  async function gateway(shared: Omit<LedgerOptions, "ledger"> = {}, url = redis?.url ?? "") {
    const store = await RedisSessionStore.connect(url);
    stores.push(store);
    const limiter = new SignInLimiter({}, { ...shared, ledger: store.signInLedger(secret) });
    storeOf.set(limiter, store);
    return limiter;
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /**
   * Parallel sign-ins of one account (or from one address), split across the limiters in turn,
   * each taking `loginMs` once let in: how many reached the server, and most at once.
   */
  async function burst(
    limiters: SignInLimiter[],
    n: number,
    who: (i: number) => [address: string, account: string],
    success: boolean,
    loginMs = 50,
  ) {
    let running = 0;
    let most = 0;
    let reached = 0;
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const l = limiters[i % limiters.length];
        if (!l) throw new Error("no limiter");
        const r = await l.acquire(...who(i), 5_000);
        if (!r.ok) return;
        reached += 1;
        running += 1;
        most = Math.max(most, running);
        await sleep(loginMs);
        running -= 1;
        r.release(success);
      }),
    );
    await Promise.all(limiters.map((l) => l.settled()));
    return { reached, most };
  }

  /** One sign-in that fails (or succeeds) at once; false when the limiter refused it. */
  async function attempt(l: SignInLimiter, address: string, account: string, success = false, wait = true) {
    // Real attempts are milliseconds apart; a failure in a success's own millisecond is spent.
    await new Promise((resolve) => setTimeout(resolve, 2));
    const r = await l.acquire(address, account, 0);
    if (!r.ok) return false;
    r.release(success);
    // What was written reaches Redis before the next "gateway" reads (a sign-in does not wait).
    if (wait) await l.settled();
    return true;
  }

  beforeAll(async () => {
    redis = await startRedis();
    inspect = new Redis(redis.url);
  });
  afterAll(async () => {
    inspect?.disconnect();
    await Promise.all(stores.map((s) => s.close()));
    await redis?.stop();
  });

  it("locks an account for every gateway after five failures split across two", async () => {
    const [one, two] = [await gateway(), await gateway()];
    for (const [l, address] of [
      [one, "6.6.6.1"],
      [two, "6.6.6.2"],
      [one, "6.6.6.3"],
      [two, "6.6.6.4"],
      [one, "6.6.6.5"],
    ] as const)
      expect(await attempt(l, address, "victim@pismo.test")).toBe(true);
    expect(await attempt(one, "6.6.6.6", "victim@pismo.test")).toBe(false);
    expect(await attempt(two, "6.6.6.6", "Victim@pismo.test")).toBe(false);
    // Another account is not touched.
    expect(await attempt(two, "6.6.6.6", "other@pismo.test")).toBe(true);
  });

  it("still refuses after a restart", async () => {
    const restarted = await gateway();
    const refused = await restarted.acquire("6.6.6.7", "victim@pismo.test", 0);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? 0 : refused.retryAfterMs).toBeGreaterThan(60_000);
  });

  it("counts an address's failures on every gateway, whatever the account", async () => {
    const [one, two] = [await gateway(), await gateway()];
    for (let i = 0; i < defaultLimiterOptions.maxPerAddress; i++)
      expect(await attempt(i % 2 ? one : two, "5.5.5.5", `guess${i}@pismo.test`)).toBe(true);
    expect(await attempt(one, "5.5.5.5", "new@pismo.test")).toBe(false);
    expect(await attempt(await gateway(), "5.5.5.5", "new@pismo.test")).toBe(false);
  });

  it("gives the account's attempts back on the other gateway after a success on one", async () => {
    const [one, two] = [await gateway(), await gateway()];
    // The owner has signed in through the first; strangers then use the account up.
    expect(await attempt(one, "10.0.0.1", "owner@pismo.test", true)).toBe(true);
    for (let i = 0; i < 5; i++)
      expect(await attempt(i % 2 ? one : two, "6.6.6.8", "owner@pismo.test")).toBe(true);
    expect(await attempt(one, "7.7.7.7", "owner@pismo.test")).toBe(false);
    // The second gateway knows the owner's address from Redis: the owner's lane lets them in.
    expect(two.isGoodAddress("10.0.0.1", "owner@pismo.test")).toBe(false);
    expect(await attempt(two, "10.0.0.1", "owner@pismo.test", true)).toBe(true);
    // ...and that success frees the account on the first, which had counted the failures itself.
    expect(await attempt(one, "7.7.7.7", "owner@pismo.test")).toBe(true);
  });

  it("keeps keys that expire by themselves, with neither the account nor the address in clear", async () => {
    const keys = await inspect.keys("pismo:signin:*");
    expect(keys.some((k) => k.startsWith("pismo:signin:a:"))).toBe(true);
    expect(keys.some((k) => k.startsWith("pismo:signin:ip:"))).toBe(true);
    expect(keys.some((k) => k.startsWith("pismo:signin:good:"))).toBe(true);
    for (const key of keys) {
      const ttl = await inspect.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      if (key.includes(":good:")) expect(ttl).toBeLessThanOrEqual(90 * 24 * 3_600_000);
      else expect(ttl).toBeLessThanOrEqual(defaultLimiterOptions.windowMs);
      const held = [key, ...(await inspect.zrange(key, 0, "-1"))].join("\n");
      expect(held).not.toMatch(/pismo\.test|6\.6\.6|10\.0\.0|5\.5\.5/i);
    }
    expect(await inspect.zcard(keys.find((k) => k.includes(":good:")) ?? "")).toBe(1);
  });

  it("lets a burst of guesses split across two gateways start as many logins as one would", async () => {
    // Each login lasts half a second, so the places taken overlap however slow Redis answers on
    // a busy machine (with 50 ms a fresh-clone run saw 3 at once across two gateways, not 5).
    const alone = await burst([await gateway()], 12, (i) => [`6.7.0.${i}`, "alone@pismo.test"], false, 500);
    const split = await burst(
      [await gateway(), await gateway()],
      12,
      (i) => [`6.7.1.${i}`, "burst@pismo.test"],
      false,
      500,
    );
    expect(alone.reached).toBe(defaultLimiterOptions.maxPerAccount);
    expect(split).toEqual(alone);
    // And from one address over many accounts, its own limit.
    const address = await burst(
      [await gateway(), await gateway(), await gateway()],
      30,
      (i) => ["6.7.2.1", `spread${i}@pismo.test`],
      false,
    );
    expect(address.reached).toBe(defaultLimiterOptions.maxPerAddress);
  });

  it("lets parallel good sign-ins through on every gateway, five at a time across them", async () => {
    const gateways = [await gateway(), await gateway()];
    const good = await burst(gateways, 16, (i) => [`10.1.0.${i}`, "team@pismo.test"], true, 20);
    expect(good.reached).toBe(16);
    expect(good.most).toBeLessThanOrEqual(defaultLimiterOptions.maxPerAccount);
  });

  it("gives up the places of a gateway that died mid-attempt after their lease, not before", async () => {
    const lease = 300;
    const [dying, other] = [await gateway({ attemptLeaseMs: lease }), await gateway()];
    const most = defaultLimiterOptions.maxPerAccount;
    for (let i = 0; i < most - 1; i++)
      expect((await dying.acquire(`6.7.3.${i}`, "slow@pismo.test", 0)).ok).toBe(true);
    // One place held by a gateway that lives on keeps the account's key in Redis.
    const living = await other.acquire("6.7.3.8", "slow@pismo.test", 0);
    expect(living.ok).toBe(true);
    // Held under keyed hashes, random ids as members, expiring with the last place.
    const running = await inspect.keys("pismo:signin:run:*");
    expect(running).toHaveLength(1 + most);
    for (const key of running) {
      expect(await inspect.pttl(key)).toBeGreaterThan(0);
      expect(await inspect.pttl(key)).toBeLessThanOrEqual(30_000);
      expect([key, ...(await inspect.zrange(key, 0, "-1"))].join("\n")).not.toMatch(/pismo\.test|6\.7\./);
    }
    // Logins slower than the lease keep their places while their gateway lives (and renews them).
    await sleep(2 * lease);
    expect(await other.acquire("6.7.3.9", "slow@pismo.test", 0)).toMatchObject({ ok: false, busy: true });
    // The gateway dies without releasing them: its places lapse within a lease.
    await storeOf.get(dying)?.close();
    expect((await other.acquire("6.7.3.9", "slow@pismo.test", 0)).ok).toBe(false);
    await sleep(lease + 100);
    const after = await other.acquire("6.7.3.9", "slow@pismo.test", 0);
    expect(after.ok).toBe(true);
    for (const r of [after, living]) if (r.ok) r.release(true);
    await other.settled();
  });

  it("keeps the local limits, and answers at once, when Redis stops answering", async () => {
    const lost = await startRedis();
    const store = await RedisSessionStore.connect(lost.url);
    stores.push(store);
    const lines: string[] = [];
    const log = { warn: (e: string) => lines.push(e), info: (e: string) => lines.push(e) };
    const l = new SignInLimiter({}, { ledger: store.signInLedger(secret), log, ledgerTimeoutMs: 1_000 });
    expect(await attempt(l, "6.6.6.9", "down@pismo.test")).toBe(true);
    await lost.stop();
    const started = Date.now();
    for (let i = 0; i < 4; i++)
      expect(await attempt(l, "6.6.6.9", "down@pismo.test", false, false)).toBe(true);
    expect(await attempt(l, "6.6.6.9", "down@pismo.test", false, false)).toBe(false);
    // The first attempt waited for Redis (ledgerTimeoutMs), the others did not (five waits
    // would take 5 s; the margin is for a loaded machine).
    expect(Date.now() - started).toBeLessThan(3 * 1_000);
    expect(lines).toEqual(["sign_in.ledger_unreachable"]);
  });

  it("counts running attempts on each gateway alone while Redis is down, as before it", async () => {
    const lost = await startRedis();
    const lines: string[] = [];
    const log = { warn: (e: string) => lines.push(e), info: (e: string) => lines.push(e) };
    const shared = { log, ledgerTimeoutMs: 300 };
    const [one, two] = [await gateway(shared, lost.url), await gateway(shared, lost.url)];
    // A place held in Redis when it stops: its release fails quietly, the local count goes on.
    const before = await one.acquire("6.7.4.0", "cut@pismo.test", 0);
    expect(before.ok).toBe(true);
    await lost.stop();
    if (before.ok) before.release(false);
    const started = Date.now();
    const down = await burst([one, two], 12, (i) => [`6.7.4.${i + 1}`, "cut@pismo.test"], false, 20);
    // Each gateway its own five (one failure already counted on the first), as before Redis.
    expect(down.reached).toBe(2 * defaultLimiterOptions.maxPerAccount - 1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(lines).toEqual(["sign_in.ledger_unreachable", "sign_in.ledger_unreachable"]);
  });
});
