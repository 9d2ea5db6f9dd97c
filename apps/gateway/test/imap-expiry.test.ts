import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { gatewayEnv } from "@pismo/mail-harness";
import { readConfig } from "../src/env";
import { createLogger } from "../src/log";
import { startGateway } from "../src/gateway";
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
  const [idle, attached, resumed] = makeUsers(3);
  const stack = useStack({
    env: { PISMO_SESSION_IDLE_MINUTES: "0.02" },
    mail: { users: [idle!, attached!, resumed!] },
  });

  it("closes the IMAP connection after PISMO_SESSION_IDLE_MINUTES", async () => {
    const cookie = await signIn(stack, idle!.email, idle!.password);
    expect(await imapConnections(stack.mail, idle!.email)).toBe(1);
    await waitUntil(
      async () => (await imapConnections(stack.mail, idle!.email)) === 0,
      15_000,
      () => "IMAP connection still open",
    );
    expect(stack.gateway.sessions.get(cookie.split("=")[1]?.split(".")[0] ?? null)).toBeNull();
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

  it("a socket closed while its session is read back from the store leaves it unattached: it still expires", async () => {
    const cookie = await signIn(stack, resumed!.email, resumed!.password);
    // Another gateway on the same session files, as after a restart: the session is not in its
    // memory, and the socket's context waits for the store.
    const restarted = await startGateway(
      readConfig({
        PISMO_PORT: "0",
        PISMO_DATA_DIR: stack.dataDir,
        ...gatewayEnv(stack.mail),
        PISMO_SESSION_IDLE_MINUTES: "0.02",
      }),
      createLogger("silent"),
    );
    try {
      // A tab closed (or reloaded) just then: its socket is gone before the session is read.
      const ws = new WebSocket(restarted.url.replace(/^http/, "ws") + "/trpc", {
        headers: { Origin: restarted.url, Cookie: cookie },
      });
      await new Promise<void>((resolve, reject) => {
        ws.once("upgrade", () => {
          ws.terminate();
          resolve();
        });
        ws.once("error", reject);
      });
      const id = cookie.split("=")[1]?.split(".")[0] ?? null;
      await waitUntil(
        () => restarted.sessions.get(id) !== null,
        10_000,
        () => "the session was not read back",
      );
      // No page is attached: it idles out like any other (it stayed for its whole 12 hours).
      await waitUntil(
        () => restarted.sessions.get(id) === null,
        15_000,
        () => `still held, attached ${restarted.sessions.get(id)?.attached}`,
      );
    } finally {
      await restarted.close();
    }
  });
});
