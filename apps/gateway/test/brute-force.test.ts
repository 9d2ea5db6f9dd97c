import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUsers, signInRaw, startStack, type SignInResult, type TestStack } from "./helpers";
import { startCountingProxy, type CountingProxy } from "./fixtures/counting-proxy";

// Password guessing through the gateway: attempts are reserved before the login, so parallel
// guesses cannot outrun the limit, and the account's owner is slowed, not locked out.

/** POST /api/session from a chosen loopback address (127.0.0.x), as a browser elsewhere would. */
function signInFrom(
  stack: TestStack,
  localAddress: string,
  body: Record<string, unknown>,
): Promise<SignInResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${stack.gateway.url}/api/session`,
      {
        method: "POST",
        localAddress,
        headers: { "Content-Type": "application/json", Origin: stack.gateway.url },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => {
          const setCookie = res.headers["set-cookie"]?.[0] ?? null;
          resolve({
            status: res.statusCode ?? 0,
            setCookie,
            cookie: setCookie ? (setCookie.split(";")[0] ?? null) : null,
            body: JSON.parse(text) as SignInResult["body"],
          });
        });
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

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
