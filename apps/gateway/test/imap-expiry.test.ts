import { describe, expect, it } from "vitest";
import {
  collectEvents,
  connectClient,
  imapConnections,
  makeUsers,
  signIn,
  useStack,
  waitUntil,
} from "./helpers";

// 0.02 minutes = 1.2 s without a browser attached.
describe("an IMAP session with no browser attached expires", () => {
  const [idle, attached] = makeUsers(2);
  const stack = useStack({
    env: { PISMO_SESSION_IDLE_MINUTES: "0.02" },
    mail: { users: [idle!, attached!] },
  });

  it("closes the IMAP connection after PISMO_SESSION_IDLE_MINUTES", async () => {
    const cookie = await signIn(stack, idle!.email, idle!.password);
    expect(await imapConnections(stack.mail, idle!.email)).toBe(1);
    await waitUntil(
      async () => (await imapConnections(stack.mail, idle!.email)) === 0,
      15_000,
      () => "IMAP connection still open",
    );
    expect(stack.gateway.sessions.get(cookie.split("=")[1] ?? null)).toBeNull();
    const after = connectClient(stack.gateway.url, cookie);
    try {
      expect(await after.client.session.current.query()).toBeNull();
    } finally {
      void after.close();
    }
  });

  it("keeps a session while a browser is attached, and expires it after the browser leaves", async () => {
    const cookie = await signIn(stack, attached!.email, attached!.password);
    const browser = connectClient(stack.gateway.url, cookie);
    const events = collectEvents(browser.client);
    expect(await browser.client.session.current.query()).toMatchObject({ email: attached!.email });
    await waitUntil(
      () => events.started,
      10_000,
      () => "subscription did not start",
    );
    // Two idle periods with the browser attached: still signed in.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await imapConnections(stack.mail, attached!.email)).toBe(1);
    expect((await browser.client.imap.folders.query()).length).toBeGreaterThan(0);
    events.unsubscribe();
    void browser.close();
    await waitUntil(
      async () => (await imapConnections(stack.mail, attached!.email)) === 0,
      15_000,
      () => "IMAP connection still open",
    );
    expect(stack.gateway.sessions.size).toBe(0);
  });
});
