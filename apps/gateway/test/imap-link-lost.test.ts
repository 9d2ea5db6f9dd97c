import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePorts, startCountingProxy, type CountingProxy } from "@pismo/mail-harness";
import {
  collectEvents,
  connectClient,
  makeUsers,
  signIn,
  startStack,
  waitUntil,
  type TestStack,
} from "./helpers";

// The gateway reaches Dovecot through a proxy that can lead nowhere: Dovecot drops the session
// (doveadm kick) and every reconnect fails until the proxy leads to it again.
describe("the IMAP connection lost while pages listen", () => {
  const [user] = makeUsers(1);
  let proxy: CountingProxy;
  let stack: TestStack;
  let cookie: string;

  beforeAll(async () => {
    proxy = await startCountingProxy();
    stack = await startStack({ env: { PISMO_IMAP_PORT: String(proxy.port) }, mail: { users: [user!] } });
    proxy.targetPort = stack.mail.imapPort;
    cookie = await signIn(stack, user!.email, user!.password);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await proxy?.close();
  });

  it("a page that starts listening while it is lost is told so at once, not at the next failed attempt", async () => {
    const first = connectClient(stack.gateway.url, cookie);
    const second = connectClient(stack.gateway.url, cookie);
    try {
      const a = collectEvents(first.client);
      await waitUntil(
        () => a.started,
        10_000,
        () => "the first page's subscription did not start",
      );
      const [nowhere] = await findFreePorts(1);
      proxy.targetPort = nowhere!;
      const before = proxy.connections;
      await stack.mail.doveadm(["kick", user!.email]);
      await a.waitFor("connection", (e) => e.state === "reconnecting");
      // Five failed attempts: the back-off's next delay is 4 s or more.
      await waitUntil(
        () => proxy.connections >= before + 5,
        20_000,
        () => `${proxy.connections - before} reconnects`,
      );
      const attempts = proxy.connections;

      const b = collectEvents(second.client);
      const told = await b.waitFor("connection", () => true, 3_000);
      expect(told.state).toBe("reconnecting");
      expect(b.events[0]).toEqual(told);
      // Told by the state the gateway keeps, not by another attempt failing meanwhile.
      expect(proxy.connections).toBe(attempts);

      proxy.targetPort = stack.mail.imapPort;
      await Promise.all([
        a.waitFor("connection", (e) => e.state === "live", 30_000),
        b.waitFor("connection", (e) => e.state === "live", 30_000),
      ]);
      // Back: a page that starts listening now is told nothing first.
      const c = collectEvents(first.client);
      await waitUntil(
        () => c.started,
        10_000,
        () => "the third subscription did not start",
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(c.events).toEqual([]);
    } finally {
      void first.close();
      void second.close();
    }
  }, 90_000);
});
