import type { MailEvent } from "@pismo/protocol/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImapConnection } from "../src/imap/connection";
import { EventHub } from "../src/imap/event-hub";
import { Folders } from "../src/imap/folders";
import { createLogger } from "../src/log";
import { makeUsers, startStack, testMessage, waitUntil, type TestStack } from "./helpers";

/**
 * The periodic LIST-STATUS tells the pages of counts changed in folders IDLE is not on. A tree
 * fetched meanwhile (the pages ask for it after nearly every event and action, search lists it
 * too) answers only the page that asked: it must not count as told.
 */
describe("counts of folders IDLE is not on, against Dovecot", () => {
  let stack: TestStack;
  const [user] = makeUsers(1);
  let conn: ImapConnection;
  let folders: Folders;
  const events: MailEvent[] = [];

  beforeAll(async () => {
    stack = await startStack({ mail: { users: [user!] } });
    await stack.mail.deliver(user!.email, testMessage("Stara"));
    await stack.mail.deliver(user!.email, testMessage("Posao"), { folder: "Work" });
    const hub = new EventHub<MailEvent>();
    // A page listens: the refresh runs only then.
    hub.tap((e) => events.push(e));
    conn = new ImapConnection({
      endpoint: { host: stack.mail.host, port: stack.mail.imapPort, security: "none" },
      user: user!.email,
      password: user!.password,
      tlsVerify: false,
      clientAddress: "127.0.0.1",
      log: createLogger("silent"),
      hub,
      onFolderChanged: () => undefined,
    });
    folders = new Folders(conn, undefined);
  }, 60_000);
  afterAll(async () => {
    await conn?.close("NOT_SIGNED_IN");
    await stack?.stop();
  });

  const inboxCounts = (from: number) =>
    events.slice(from).filter((e) => e.type === "counts" && e.folder === "INBOX");

  it("announces new mail in the Inbox while Work is watched, also after a tree fetch saw it", async () => {
    const first = await folders.list();
    expect(first.find((f) => f.path === "INBOX")).toMatchObject({ messages: 1, unseen: 1 });
    await conn.watch("Work");
    const from = events.length;
    await stack.mail.deliver(user!.email, testMessage("Nova u Inboxu"));
    // Something happens in Work; the page fetches the tree and sees the new count.
    await waitUntil(
      async () => (await folders.list()).find((f) => f.path === "INBOX")?.messages === 2,
      5_000,
      () => "the tree never showed the new message",
    );
    await folders.refreshCounts();
    expect(inboxCounts(from)).toEqual([{ type: "counts", folder: "INBOX", messages: 2, unseen: 2 }]);
    // Told once: the next refresh finds nothing new, and no folder appeared or vanished.
    const after = events.length;
    await folders.list();
    await folders.refreshCounts();
    expect(events.slice(after)).toEqual([]);
  });
});
