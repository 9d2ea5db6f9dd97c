import { ImapFlow } from "imapflow";
import type { MailEvent } from "@pismo/protocol/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImapConnection } from "../src/imap/connection";
import { EventHub } from "../src/imap/event-hub";
import { createLogger } from "../src/log";
import { makeUsers, startStack, testMessage, waitUntil, type TestStack } from "./helpers";

type User = ReturnType<typeof makeUsers>[number];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * IDLE hears only the selected folder. When the connection leaves the watched folder for a
 * moment (a search across folders, a message opened in another folder, a sibling page's list)
 * and selects it again, what happened there meanwhile must still reach the pages: imapflow
 * reports that SELECT as `mailboxOpen`, never as `exists` or `flags`.
 */
describe("changes to the watched folder while the connection is in another", () => {
  let stack: TestStack;
  const users = makeUsers(5);
  const closers: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    stack = await startStack({ mail: { users } });
    for (const u of users) {
      await stack.mail.deliver(u.email, testMessage("Stara 1"));
      await stack.mail.deliver(u.email, testMessage("Stara 2"));
      await stack.mail.deliver(u.email, testMessage("U drugoj"), { folder: "Other" });
    }
  }, 60_000);
  afterAll(async () => {
    for (const close of closers) await close().catch(() => undefined);
    await stack?.stop();
  });

  let next = 0;
  /** A connection watching the Inbox, as a signed-in session has it, and what it publishes. */
  async function watching() {
    const user = users[next++]!;
    const hub = new EventHub<MailEvent>();
    const events: MailEvent[] = [];
    hub.tap((e) => events.push(e));
    const conn = new ImapConnection({
      endpoint: { host: stack.mail.host, port: stack.mail.imapPort, security: "none" },
      user: user.email,
      password: user.password,
      tlsVerify: false,
      clientAddress: "127.0.0.1",
      log: createLogger("silent"),
      hub,
      onFolderChanged: () => undefined,
    });
    closers.push(() => conn.close("NOT_SIGNED_IN"));
    await conn.connection();
    const inbox = () => events.filter((e) => "folder" in e && e.folder === "INBOX");
    return { user, conn, events, inbox };
  }

  /** Another client of the account (a phone, another program). */
  async function elsewhere(user: User): Promise<ImapFlow> {
    const client = new ImapFlow({
      host: stack.mail.host,
      port: stack.mail.imapPort,
      secure: false,
      doSTARTTLS: false,
      auth: { user: user.email, pass: user.password },
      logger: false,
    });
    await client.connect();
    closers.push(() => client.logout());
    return client;
  }

  async function eventFor(
    inbox: () => MailEvent[],
    match: (e: MailEvent) => boolean,
    what: string,
  ): Promise<MailEvent> {
    await waitUntil(
      () => inbox().some(match),
      2_000,
      () => `${what}: no matching event for INBOX within 2 s; got ${JSON.stringify(inbox())}`,
    );
    return inbox().find(match)!;
  }

  it("tells mail delivered to the Inbox meanwhile as `exists` once it is selected again", async () => {
    const { user, conn, inbox } = await watching();
    await conn.inFolder("Other", async () => {
      await stack.mail.deliver(user.email, testMessage("Dok sam bio drugde"));
      // Past Dovecot's 0.5 s before it tells a change: none could arrive by IDLE meanwhile.
      await sleep(800);
    });
    expect(inbox()).toEqual([]);
    const e = await eventFor(inbox, (x) => x.type === "exists", "delivered while away");
    expect(e).toEqual({ type: "exists", folder: "INBOX", total: 3 });
  });

  it("tells \\Seen and \\Flagged set elsewhere meanwhile as `changed`", async () => {
    const { user, conn, inbox } = await watching();
    const other = await elsewhere(user);
    await conn.inFolder("Other", async () => {
      const lock = await other.getMailboxLock("INBOX");
      try {
        await other.messageFlagsAdd("1", ["\\Seen"]);
        await other.messageFlagsAdd("2", ["\\Flagged"]);
      } finally {
        lock.release();
      }
      await sleep(800);
    });
    await eventFor(inbox, (x) => x.type === "changed", "flags set elsewhere while away");
    expect(inbox().some((x) => x.type === "exists")).toBe(false);
  });

  it("tells a new UIDVALIDITY of the Inbox as `changed`", async () => {
    const { user, conn, inbox } = await watching();
    await conn.inFolder("Other", async () => {
      await stack.mail.doveadm(["mailbox", "update", "-u", user.email, "--uid-validity", "4242", "INBOX"]);
      await sleep(800);
    });
    await eventFor(inbox, (x) => x.type === "changed", "new UIDVALIDITY while away");
    expect(inbox().some((x) => x.type === "exists")).toBe(false);
    expect(await conn.inFolder("INBOX", async (_client, mailbox) => mailbox.uidValidity)).toBe(4242n);
  });

  it("tells nothing when nothing changed, nor again what IDLE told before the connection left", async () => {
    const { user, conn, events, inbox } = await watching();
    // The Inbox pushed while watched: told once, by IDLE.
    await stack.mail.deliver(user.email, testMessage("Dok sam gledao"));
    await eventFor(inbox, (x) => x.type === "exists", "delivered while watched");
    const other = await elsewhere(user);
    const lock = await other.getMailboxLock("INBOX");
    try {
      await other.messageFlagsAdd("1", ["\\Flagged"]);
    } finally {
      lock.release();
    }
    await eventFor(inbox, (x) => x.type === "flags", "flagged while watched");
    const from = events.length;
    await conn.inFolder("Other", () => sleep(300));
    await conn.inFolder("Other", () => sleep(300));
    await sleep(1_500);
    expect(events.slice(from)).toEqual([]);
  });
});
