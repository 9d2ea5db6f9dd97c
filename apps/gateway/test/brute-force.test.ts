import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUsers, signInFrom, signInRaw, startStack, type TestStack } from "./helpers";
import {
  gatewayEnv,
  startCountingProxy,
  startRedis,
  type CountingProxy,
  type ServiceProcess,
} from "@pismo/mail-harness";
import { readConfig } from "../src/env";
import { startGateway, type Gateway } from "../src/gateway";
import { createLogger } from "../src/log";

// Password guessing through the gateway: attempts are reserved before the login, so parallel
// guesses cannot outrun the limit, and the account's owner is slowed, not locked out.

describe("sign-in brute force", () => {
  let stack: TestStack;
  let proxy: CountingProxy;
  const [victim, owner] = makeUsers(2);
  beforeAll(async () => {
    // The gateway's IMAP server is a counting proxy in front of Dovecot.
    proxy = await startCountingProxy();
    stack = await startStack({
      env: { PISMO_IMAP_PORT: String(proxy.port) },
      mail: { users: [victim!, owner!] },
    });
    proxy.targetPort = stack.mail.imapPort;
  });
  afterAll(async () => {
    await stack?.stop();
    await proxy?.close();
  });

  it("lets at most five of fifty concurrent wrong passwords reach the mail server", async () => {
    const before = proxy.logins;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        signInRaw(stack, { protocol: "imap", email: victim!.email, password: `guess-${i}` }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(45);
    expect(proxy.logins - before).toBeLessThanOrEqual(5);
    expect(proxy.logins - before).toBeGreaterThanOrEqual(1);
    expect(results.find((r) => r.status === 429)?.body.error?.code).toBe("RATE_LIMITED");
  });

  it("does not lock the owner out from an address that signed in before", async () => {
    const good = await signInFrom(stack, "127.0.0.3", {
      protocol: "imap",
      email: owner!.email,
      password: owner!.password,
    });
    expect(good.status).toBe(200);
    // Someone elsewhere uses up the account's attempts.
    for (let i = 0; i < 5; i++)
      await signInFrom(stack, "127.0.0.4", { protocol: "imap", email: owner!.email, password: `x${i}` });
    const stranger = await signInFrom(stack, "127.0.0.4", {
      protocol: "imap",
      email: owner!.email,
      password: owner!.password,
    });
    expect(stranger.status).toBe(429);
    const again = await signInFrom(stack, "127.0.0.3", {
      protocol: "imap",
      email: owner!.email,
      password: owner!.password,
    });
    expect(again.status).toBe(200);
  });
});

describe("sign-in brute force across gateways sharing Redis", () => {
  let stack: TestStack;
  let proxy: CountingProxy;
  let redis: ServiceProcess & { url: string };
  const others: Gateway[] = [];
  const [victim, target] = makeUsers(2);
  let env: Record<string, string>;
  beforeAll(async () => {
    proxy = await startCountingProxy();
    redis = await startRedis();
    env = {
      PISMO_IMAP_PORT: String(proxy.port),
      PISMO_REDIS_URL: redis.url,
      PISMO_SECRET: "a-cluster-secret-of-at-least-32-characters",
    };
    stack = await startStack({ env, mail: { users: [victim!, target!] } });
    proxy.targetPort = stack.mail.imapPort;
  });
  afterAll(async () => {
    await Promise.all(others.map((g) => g.close()));
    await stack?.stop();
    await redis?.stop();
    await proxy?.close();
  });

  /** Another gateway in front of the same Dovecot, on the same Redis. */
  async function another(): Promise<TestStack> {
    const config = readConfig({ PISMO_PORT: "0", ...gatewayEnv(stack.mail), ...env });
    const gateway = await startGateway(config, createLogger("silent"));
    others.push(gateway);
    return { ...stack, gateway };
  }

  it("lets five wrong passwords in all reach the mail server, on two gateways and after a restart", async () => {
    const second = await another();
    const before = proxy.logins;
    const wrong = (i: number) => ({ protocol: "imap", email: victim!.email, password: `guess-${i}` });
    const right = { protocol: "imap", email: victim!.email, password: victim!.password };
    for (const [i, gw] of [stack, second, stack, second, stack].entries())
      expect((await signInRaw(gw, wrong(i))).status).toBe(401);
    expect((await signInRaw(stack, right)).status).toBe(429);
    expect((await signInRaw(second, right)).status).toBe(429);
    // A gateway started afresh still refuses.
    await second.gateway.close();
    const third = await another();
    const refused = await signInRaw(third, right);
    expect(refused.status).toBe(429);
    expect(refused.body.error?.code).toBe("RATE_LIMITED");
    expect(proxy.logins - before).toBe(5);
  });

  it("lets five of twenty concurrent wrong passwords split over two gateways reach the mail server", async () => {
    const second = await another();
    const before = proxy.logins;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        signInRaw(i % 2 ? second : stack, { protocol: "imap", email: target!.email, password: `burst-${i}` }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    expect(proxy.logins - before).toBe(5);
  });
});
