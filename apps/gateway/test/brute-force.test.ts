import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUsers, signInFrom, signInRaw, startStack, type TestStack } from "./helpers";
import { startCountingProxy, type CountingProxy } from "@pismo/mail-harness";

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
