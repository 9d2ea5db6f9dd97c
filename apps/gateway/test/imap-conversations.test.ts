import { buildMessage, exchangeDay as day, lunchExchange } from "@pismo/mail-harness/seed";
import type { MailEvent } from "@pismo/protocol/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImapConnection } from "../src/imap/connection";
import { ConversationList } from "../src/imap/conversations";
import { EventHub } from "../src/imap/event-hub";
import { createLogger } from "../src/log";
import { makeUsers, startStack, type TestStack } from "./helpers";

/**
 * Conversations over a real Dovecot: the server's THREAD and the gateway's own JWZ must give
 * the same rows, with the user's reply taken in from Sent and nothing from Trash.
 */
describe("IMAP conversations against Dovecot", () => {
  let stack: TestStack;
  const [user] = makeUsers(1);
  const connections: ImapConnection[] = [];
  const lists: Record<"server" | "gateway", ConversationList> = {} as never;

  beforeAll(async () => {
    stack = await startStack({ mail: { users: [user!] } });
    const me = user!.email;
    const deliver = (raw: string | Uint8Array, folder = "INBOX", seen = false, date?: Date) =>
      stack.mail.deliver(me, raw, { folder, flags: seen ? ["\\Seen"] : [], ...(date ? { date } : {}) });
    for (const m of lunchExchange(me)) await deliver(m.raw, m.folder, m.seen, m.date);
    // A deleted reply: Trash never joins a conversation.
    await deliver(
      buildMessage({
        from: "ana@primer.rs",
        to: me,
        subject: "Re: Ručak u petak",
        text: "Obrisano.",
        date: day(5),
        messageId: "trashed@primer.rs",
        inReplyTo: "orig@primer.rs",
      }),
      "Trash",
      false,
      day(5),
    );
    for (const mode of ["server", "gateway"] as const) {
      const conn = new ImapConnection({
        endpoint: { host: stack.mail.host, port: stack.mail.imapPort, security: "none" },
        user: me,
        password: user!.password,
        tlsVerify: false,
        clientAddress: "127.0.0.1",
        log: createLogger("silent"),
        hub: new EventHub<MailEvent>(),
        onFolderChanged: (path) => lists[mode].forget(path),
      });
      connections.push(conn);
      lists[mode] = new ConversationList(conn, [me], mode === "server");
    }
  }, 60_000);
  afterAll(async () => {
    for (const c of connections) await c.close("NOT_SIGNED_IN");
    await stack?.stop();
  });

  for (const mode of ["server", "gateway"] as const) {
    it(`${mode} threading: one row of three across Inbox and Sent, newest first, never Trash`, async () => {
      const window = await lists[mode].window({ folder: "INBOX", offset: 0, limit: 50 });
      expect(window.threading).toBe(mode);
      expect(window.total).toBe(2);
      const [lunch, other] = window.rows;
      expect(lunch?.count).toBe(3);
      expect(lunch?.messages.map((m) => m.folder)).toEqual(["INBOX", "Sent", "INBOX"]);
      expect(lunch?.messages.map((m) => m.depth)).toEqual([0, 1, 2]);
      expect(lunch?.folderUids).toHaveLength(2);
      expect(lunch?.unread).toBe(1);
      expect(lunch?.subject).toBe("Ručak u petak");
      expect(lunch?.participants.map((p) => [p.address, p.me])).toEqual([
        ["ana@primer.rs", false],
        [user!.email, true],
      ]);
      expect(lunch?.date).toBe(day(4).toISOString());
      expect(other?.count).toBe(1);
      // Windowed: the second conversation alone.
      const second = await lists[mode].window({ folder: "INBOX", offset: 1, limit: 1 });
      expect(second.rows.map((r) => r.subject)).toEqual(["Nevezana poruka"]);
    });
  }

  // Past MESSAGES_PER_CONVERSATION the oldest summaries are not fetched: the row still counts
  // and reaches every message (Delete, Move and Mark as read act on folderUids).
  it("a conversation longer than a row's fetch counts, names and reaches all its messages", async () => {
    const me = user!.email;
    await stack.mail.createFolder(me, "Big");
    for (let i = 0; i < 105; i++)
      await stack.mail.deliver(
        me,
        buildMessage({
          from: "ana@primer.rs",
          to: me,
          subject: i === 0 ? "Big" : "Re: Big",
          text: `Poruka ${i}`,
          date: new Date(Date.UTC(2026, 0, 1, 0, i)),
          messageId: `big-${i}@primer.rs`,
          ...(i > 0 ? { inReplyTo: `big-${i - 1}@primer.rs` } : {}),
        }),
        { folder: "Big" },
      );
    for (const mode of ["server", "gateway"] as const) {
      const [row] = (await lists[mode].window({ folder: "Big", offset: 0, limit: 10 })).rows;
      expect(row?.count, mode).toBe(105);
      expect(row?.unread, mode).toBe(105);
      expect(row?.folderUids, mode).toHaveLength(105);
      expect(row?.subject, mode).toBe("Big");
      expect(row?.messages, mode).toHaveLength(100);
    }
  }, 60_000);

  it("counts a message of the user's that a list sent back once, not with its Sent copy too", async () => {
    const me = user!.email;
    await stack.mail.createFolder(me, "Lista");
    const post = buildMessage({
      from: "ana@primer.rs",
      to: "lista@primer.rs",
      subject: "[lista] Pitanje",
      text: "?",
      date: day(7),
      messageId: "post@primer.rs",
    });
    const mine = buildMessage({
      from: me,
      to: "lista@primer.rs",
      subject: "Re: [lista] Pitanje",
      text: "!",
      date: day(8),
      messageId: "mine-echo@pismo.test",
      inReplyTo: "post@primer.rs",
    });
    await stack.mail.deliver(me, post, { folder: "Lista" });
    await stack.mail.deliver(me, mine, { folder: "Sent", flags: ["\\Seen"] });
    await stack.mail.deliver(me, mine, { folder: "Lista" });
    for (const mode of ["server", "gateway"] as const) {
      const [row] = (await lists[mode].window({ folder: "Lista", offset: 0, limit: 10 })).rows;
      expect(row?.count, mode).toBe(2);
      expect(
        row?.messages.map((m) => m.folder),
        mode,
      ).toEqual(["Lista", "Lista"]);
    }
  });

  it("a reply delivered later joins its conversation, which comes first again", async () => {
    await stack.mail.deliver(
      user!.email,
      buildMessage({
        from: "ana@primer.rs",
        to: user!.email,
        subject: "Re: Nešto drugo",
        text: "Ipak vezano.",
        date: day(6),
        messageId: "late@primer.rs",
        inReplyTo: "other@primer.rs",
      }),
    );
    // IDLE tells each connection of the new message within a moment; the threads cached
    // for the folder's old state are then threaded again.
    for (const mode of ["server", "gateway"] as const) {
      await expect
        .poll(
          async () =>
            (await lists[mode].window({ folder: "INBOX", offset: 0, limit: 50 })).rows.map((r) => [
              r.subject,
              r.count,
            ]),
          { timeout: 10_000 },
        )
        .toEqual([
          ["Nevezana poruka", 2],
          ["Ručak u petak", 3],
        ]);
    }
  });
});
