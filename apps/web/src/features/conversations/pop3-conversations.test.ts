// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { Dexie } from "dexie";
import { describe, expect, it } from "vitest";
import { INBOX, SENT, TRASH } from "../pop3/pop3-store";
import { freshStore, reopen } from "../pop3/pop3-test-store";
import { threadingHeaders } from "../pop3/pop3-threading";
import { pop3Conversations } from "./pop3-conversations";

const enc = new TextEncoder();
const mail = (o: { id: string; from: string; to: string; subject: string; date: string; reply?: string[] }) =>
  enc.encode(
    [
      `From: ${o.from}`,
      `To: ${o.to}`,
      `Subject: ${o.subject}`,
      `Date: ${o.date}`,
      `Message-ID: <${o.id}>`,
      ...(o.reply
        ? [`In-Reply-To: <${o.reply.at(-1)}>`, `References: ${o.reply.map((r) => `<${r}>`).join("\r\n ")}`]
        : []),
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Tekst.",
      "",
    ].join("\r\n"),
  );
const me = "ja@pismo.test";

describe("POP3 conversations", () => {
  it("reads folded threading headers without the MIME parser", () => {
    expect(
      threadingHeaders(
        mail({
          id: "c@x",
          from: "a@x",
          to: me,
          subject: "s",
          date: "Mon, 2 Mar 2026 09:00:00 +0000",
          reply: ["a@x.y", "b@x.y"],
        }),
      ),
    ).toEqual({ messageId: "c@x", inReplyTo: "b@x.y", references: ["a@x.y", "b@x.y"] });
  });

  it("joins received mail and the local Sent reply into one conversation, never Trash", async () => {
    const store = freshStore();
    const store1 = async (uid: string, raw: Uint8Array) =>
      store.storeMessage(uid, raw, { size: raw.length, mode: "full", now: 1 });
    await store1(
      "u1",
      mail({
        id: "orig@primer.rs",
        from: "Ana <ana@primer.rs>",
        to: me,
        subject: "Ručak",
        date: "Sun, 1 Mar 2026 09:00:00 +0000",
      }),
    );
    await store.storeSent(
      mail({
        id: "reply@pismo.test",
        from: me,
        to: "ana@primer.rs",
        subject: "Re: Ručak",
        date: "Tue, 3 Mar 2026 09:00:00 +0000",
        reply: ["orig@primer.rs"],
      }),
    );
    await store1(
      "u3",
      mail({
        id: "answer@primer.rs",
        from: "Ana <ana@primer.rs>",
        to: me,
        subject: "Re: Re: Ručak",
        date: "Wed, 4 Mar 2026 09:00:00 +0000",
        reply: ["orig@primer.rs", "reply@pismo.test"],
      }),
    );
    await store1(
      "u4",
      mail({
        id: "trash@primer.rs",
        from: "ana@primer.rs",
        to: me,
        subject: "Re: Ručak",
        date: "Thu, 5 Mar 2026 09:00:00 +0000",
        reply: ["orig@primer.rs"],
      }),
    );
    await store1(
      "u5",
      mail({
        id: "other@x.rs",
        from: "neko@x.rs",
        to: me,
        subject: "Drugo",
        date: "Mon, 2 Mar 2026 09:00:00 +0000",
      }),
    );
    await store.remove(["u4"]);

    const rows = pop3Conversations(await store.db.messages.toArray(), INBOX, me);
    expect(rows.map((c) => [c.subject, c.count])).toEqual([
      ["Ručak", 3],
      ["Drugo", 1],
    ]);
    const [lunch] = rows;
    expect(lunch?.rows.map((m) => m.folderId)).toEqual([INBOX, "sent", INBOX]);
    expect(lunch?.folderMessageIds).toEqual(["u1", "u3"]);
    expect(lunch?.participants.map((p) => [p.address, p.me])).toEqual([
      ["ana@primer.rs", false],
      [me, true],
    ]);
    // Trash lists its own message as a conversation of its own folder.
    expect(
      pop3Conversations(await store.db.messages.toArray(), TRASH, me).map((c) => c.folderMessageIds),
    ).toEqual([["u4"]]);
  });

  it("counts a message of the user's that a list sent back once, and a stranger's claim to its Message-ID does not hide it", async () => {
    const store = freshStore();
    const post = mail({
      id: "post@list.rs",
      from: "Ana <ana@primer.rs>",
      to: "list@list.rs",
      subject: "[lista] Pitanje",
      date: "Sun, 1 Mar 2026 09:00:00 +0000",
    });
    const mine = mail({
      id: "mine@pismo.test",
      from: me,
      to: "list@list.rs",
      subject: "Re: [lista] Pitanje",
      date: "Mon, 2 Mar 2026 09:00:00 +0000",
      reply: ["post@list.rs"],
    });
    await store.storeMessage("u1", post, { size: post.length, mode: "full", now: 1 });
    await store.storeSent(mine, 2);
    // The list's copy of the reply, as it came back.
    await store.storeMessage("u2", mine, { size: mine.length, mode: "full", now: 3 });
    const [thread] = pop3Conversations(await store.db.messages.toArray(), INBOX, me);
    expect(thread?.count).toBe(2);
    expect(thread?.rows.map((m) => m.uid)).toEqual(["u1", "u2"]);
    // In Sent's view the Sent copy stays, and the conversation with it.
    const [inSent] = pop3Conversations(await store.db.messages.toArray(), SENT, me);
    expect(inSent?.rows.map((m) => m.folderId)).toEqual([INBOX, SENT]);
    // The returned copy deleted: the Sent copy is the one again.
    await store.remove(["u2"]);
    const [after] = pop3Conversations(await store.db.messages.toArray(), INBOX, me);
    expect(after?.rows.map((m) => m.folderId)).toEqual([INBOX, SENT]);

    // A stranger's message with the Message-ID of the user's own: the Sent copy stays.
    const other = freshStore();
    const forged = mail({
      id: "mine@pismo.test",
      from: "eve@zlo.rs",
      to: me,
      subject: "Hitno",
      date: "Mon, 2 Mar 2026 10:00:00 +0000",
    });
    await other.storeMessage("u1", post, { size: post.length, mode: "full", now: 1 });
    await other.storeSent(mine, 2);
    await other.storeMessage("u3", forged, { size: forged.length, mode: "full", now: 3 });
    const rows = pop3Conversations(await other.db.messages.toArray(), INBOX, me);
    expect(rows.flatMap((c) => c.rows.map((m) => m.folderId)).filter((f) => f === "sent")).toHaveLength(1);
  });

  it("fills the threading headers of rows stored before version 3 when the database opens", async () => {
    const raw = mail({
      id: "old@primer.rs",
      from: "a@primer.rs",
      to: me,
      subject: "Staro",
      date: "Sun, 1 Mar 2026 09:00:00 +0000",
    });
    // The database as version 2 left it: no threading fields on the row.
    const name = "pismo-pop3:upgrade@pismo.test@mail.test:110";
    const v2 = new Dexie(name);
    v2.version(2).stores({
      messages: "&uid, folderId, [folderId+sortKey], onServer",
      bodies: "&uid",
      settings: "&key",
      drafts: "&uid",
    });
    await v2.open();
    await v2.table("messages").put({
      uid: "old",
      folderId: INBOX,
      from: "",
      fromAddress: "a@primer.rs",
      to: me,
      subject: "Staro",
      date: null,
      sortKey: 1,
      size: raw.length,
      seen: false,
      flagged: false,
      headersOnly: false,
      hasAttachment: false,
      storedAt: 1,
      deletedLocally: false,
      onServer: true,
    });
    await v2.table("bodies").put({ uid: "old", raw });
    v2.close();
    const upgraded = reopen(name);
    expect(await upgraded.get("old")).toMatchObject({
      messageId: "old@primer.rs",
      inReplyTo: null,
      references: [],
    });
  });
});
