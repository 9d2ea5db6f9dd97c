import { describe, expect, it } from "vitest";
import { listConversations, orderConversations, summarizeConversation } from "./conversations";
import type { ConversationView, MessageMeta } from "./conversations";
import { threadEnvelopes } from "./jwz";
import type { Thread, ThreadEnvelope } from "./jwz";
import { ThreadIndex } from "./thread-index";

const hour = 3_600_000;
const t0 = Date.UTC(2026, 10, 2, 9);
const ana = { name: "Ana Petrović", address: "ana@firma.rs" };
const meAddress = { name: "Marko", address: "marko@pismo.test" };

interface Fixture {
  id: string;
  folder: string;
  at: number;
  messageId: string;
  replyTo?: string;
  subject: string;
  from?: { name: string; address: string };
  seen?: boolean;
  flagged?: boolean;
  hasAttachment?: boolean;
}

function fixtures(list: readonly Fixture[]) {
  const envelopes: ThreadEnvelope[] = list.map((f) => ({
    id: f.id,
    messageId: `<${f.messageId}>`,
    inReplyTo: f.replyTo === undefined ? null : `<${f.replyTo}>`,
    references: [],
    subject: f.subject,
    date: t0 + f.at * hour,
  }));
  const meta = new Map<string, MessageMeta>(
    list.map((f) => [
      f.id,
      {
        id: f.id,
        folder: f.folder,
        date: t0 + f.at * hour,
        seen: f.seen ?? true,
        flagged: f.flagged ?? false,
        from: f.from ?? ana,
        hasAttachment: f.hasAttachment ?? false,
        size: 1000,
      },
    ]),
  );
  return { envelopes, meta, lookup: (id: string) => meta.get(id) };
}

/** Received, answered from Sent, answered again: and a deleted reply and a junk one. */
const exchange = fixtures([
  { id: "INBOX:1", folder: "INBOX", at: 0, messageId: "q1@firma.rs", subject: "Ponuda" },
  {
    id: "Sent:7",
    folder: "Sent",
    at: 1,
    messageId: "a1@pismo.test",
    replyTo: "q1@firma.rs",
    subject: "Odg: Ponuda",
    from: meAddress,
  },
  {
    id: "INBOX:2",
    folder: "INBOX",
    at: 2,
    messageId: "q2@firma.rs",
    replyTo: "a1@pismo.test",
    subject: "Re: Odg: Ponuda",
    seen: false,
    hasAttachment: true,
  },
  {
    id: "Trash:3",
    folder: "Trash",
    at: 3,
    messageId: "q3@firma.rs",
    replyTo: "q2@firma.rs",
    subject: "Re: Ponuda",
    seen: false,
    flagged: true,
    from: { name: "Jovan", address: "jovan@firma.rs" },
  },
  {
    id: "Spam:1",
    folder: "Spam",
    at: 4,
    messageId: "x@spam.example",
    replyTo: "q2@firma.rs",
    subject: "Re: Ponuda",
    from: { name: "Spammer", address: "s@spam.example" },
  },
  // Another conversation, older, only in Sent and Trash: not in the Inbox.
  { id: "Sent:1", folder: "Sent", at: -5, messageId: "s1@pismo.test", subject: "Izveštaj", from: meAddress },
  {
    id: "Trash:1",
    folder: "Trash",
    at: -4,
    messageId: "t1@firma.rs",
    replyTo: "s1@pismo.test",
    subject: "Re: Izveštaj",
    seen: false,
  },
]);

const roles = new Map<string, string | null>([
  ["INBOX", "inbox"],
  ["Sent", "sent"],
  ["Trash", "trash"],
  ["Spam", "junk"],
]);
const inbox: ConversationView = { folder: "INBOX", folderRoles: roles, me: ["Marko@Pismo.test"] };

describe("conversation rows", () => {
  const threads = threadEnvelopes(exchange.envelopes);

  it("makes one row of received, sent, received, without Trash and Junk", () => {
    const { total, rows } = listConversations(threads, exchange.lookup, inbox);
    expect(total).toBe(1);
    expect(rows).toEqual([
      {
        key: "q1@firma.rs",
        messageIds: ["INBOX:1", "Sent:7", "INBOX:2"],
        depths: [0, 1, 2],
        folderMessageIds: ["INBOX:1", "INBOX:2"],
        latestId: "INBOX:2",
        date: t0 + 2 * hour,
        participants: [
          { name: "Ana Petrović", address: "ana@firma.rs", me: false },
          { name: "Marko", address: "marko@pismo.test", me: true },
        ],
        count: 3,
        unread: 1,
        flagged: false,
        hasAttachment: true,
        size: 3000,
      },
    ]);
  });

  it("excludes by folder name as well as by role", () => {
    const byName: ConversationView = { folder: "INBOX", excludedFolders: new Set(["Trash", "Spam"]) };
    expect(listConversations(threads, exchange.lookup, byName).rows[0]?.count).toBe(3);
    // Without exclusions the deleted and junk replies join (and so does their sender).
    const all = listConversations(threads, exchange.lookup, { folder: "INBOX" }).rows[0];
    expect(all?.count).toBe(5);
    expect(all?.flagged).toBe(true);
  });

  it("lists the same conversation in Sent, and Trash's own messages in Trash", () => {
    const sent = listConversations(threads, exchange.lookup, { ...inbox, folder: "Sent" });
    expect(sent.rows.map((r) => [r.key, r.count, r.folderMessageIds])).toEqual([
      ["q1@firma.rs", 3, ["Sent:7"]],
      ["s1@pismo.test", 1, ["Sent:1"]],
    ]);
    const trash = listConversations(threads, exchange.lookup, { ...inbox, folder: "Trash" });
    expect(trash.rows.map((r) => [r.key, r.messageIds])).toEqual([
      ["q1@firma.rs", ["INBOX:1", "Sent:7", "INBOX:2", "Trash:3"]],
      ["s1@pismo.test", ["Sent:1", "Trash:1"]],
    ]);
  });

  it("orders newest first and builds rows only for the window", () => {
    const many = fixtures(
      Array.from({ length: 30 }, (_, i) => ({
        id: `INBOX:${i + 1}`,
        folder: "INBOX",
        at: (i * 7) % 30,
        messageId: `m${i}@x`,
        subject: `Tema ${i}`,
      })),
    );
    const threads30 = threadEnvelopes(many.envelopes);
    const order = orderConversations(threads30, many.lookup, { folder: "INBOX" });
    expect(order.map((e) => e.date)).toEqual([...order.map((e) => e.date)].sort((a, b) => b - a));
    const page = listConversations(threads30, many.lookup, { folder: "INBOX" }, { offset: 10, limit: 5 });
    expect(page.total).toBe(30);
    expect(page.rows.map((r) => r.date)).toEqual(order.slice(10, 15).map((e) => e.date));
  });

  it("names each sender once, in the order they first wrote, keeping the first name given", () => {
    const chat = fixtures([
      {
        id: "1",
        folder: "INBOX",
        at: 0,
        messageId: "1@x",
        subject: "Ručak",
        from: { name: "", address: "ANA@firma.rs" },
      },
      {
        id: "2",
        folder: "INBOX",
        at: 1,
        messageId: "2@x",
        replyTo: "1@x",
        subject: "Re: Ručak",
        from: { name: "Jovan", address: "jovan@firma.rs" },
      },
      { id: "3", folder: "INBOX", at: 2, messageId: "3@x", replyTo: "2@x", subject: "Re: Ručak", from: ana },
    ]);
    const thread = threadEnvelopes(chat.envelopes)[0] as Thread;
    expect(summarizeConversation(thread, chat.lookup, { folder: "INBOX" })?.participants).toEqual([
      { name: "Ana Petrović", address: "ANA@firma.rs", me: false },
      { name: "Jovan", address: "jovan@firma.rs", me: false },
    ]);
    expect(summarizeConversation(thread, chat.lookup, { folder: "Sent" })).toBeNull();
  });
});

describe("ThreadIndex", () => {
  const sorted = (threads: Iterable<Thread>) =>
    [...threads]
      .map((t) => ({ key: t.rootKey, ids: t.messageIds, depths: t.depths }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));

  it("places a new reply into its conversation, touching only that one", () => {
    const index = new ThreadIndex(exchange.envelopes.slice(0, 2));
    const reply = exchange.envelopes[2] as ThreadEnvelope;
    const change = index.add(reply);
    expect(change.removed).toEqual([]);
    expect(change.updated.map((t) => [t.rootKey, t.messageIds])).toEqual([
      ["q1@firma.rs", ["INBOX:1", "Sent:7", "INBOX:2"]],
    ]);
    expect(index.threadOf("INBOX:2")?.rootKey).toBe("q1@firma.rs");
  });

  it("ends where threading everything at once ends, whatever order messages arrive in", () => {
    const all = threadEnvelopes(exchange.envelopes);
    for (const order of [
      [0, 1, 2, 3, 4, 5, 6],
      [6, 5, 4, 3, 2, 1, 0],
      [2, 0, 4, 6, 1, 3, 5],
    ]) {
      const index = new ThreadIndex();
      for (const i of order) index.add(exchange.envelopes[i] as ThreadEnvelope);
      expect(sorted(index.threads())).toEqual(sorted(all));
    }
  });

  it("merges two conversations when the message between them arrives", () => {
    // q1 and q2 are known; the user's reply a1 in between arrives last (a POP3 pull of Sent).
    const index = new ThreadIndex([exchange.envelopes[0], exchange.envelopes[2]] as ThreadEnvelope[], {
      groupBySubject: false,
    });
    expect(sorted(index.threads()).map((t) => t.ids)).toEqual([["INBOX:1"], ["INBOX:2"]]);
    const change = index.add(exchange.envelopes[1] as ThreadEnvelope);
    expect(change.removed).toEqual(["q2@firma.rs"]);
    expect(change.updated.map((t) => t.messageIds)).toEqual([["INBOX:1", "Sent:7", "INBOX:2"]]);
  });

  it("splits a conversation when the message holding it together is removed", () => {
    const index = new ThreadIndex(exchange.envelopes.slice(0, 3), { groupBySubject: false });
    const change = index.remove(["Sent:7"]);
    expect(sorted(change.updated).map((t) => t.ids)).toEqual([["INBOX:1"], ["INBOX:2"]]);
    expect(index.size).toBe(2);
    expect(index.threadOf("Sent:7")).toBeUndefined();
  });

  it("takes in a reply by subject, and an original arriving after its replies", () => {
    const index = new ThreadIndex();
    index.add({
      id: "r",
      messageId: "<r@x>",
      inReplyTo: null,
      references: [],
      subject: "AW: Angebot",
      date: t0 + hour,
    });
    const change = index.add({
      id: "o",
      messageId: "<o@x>",
      inReplyTo: null,
      references: [],
      subject: "Angebot",
      date: t0,
    });
    expect(change.removed).toEqual(["r@x"]);
    expect(change.updated.map((t) => [t.rootKey, t.messageIds, t.depths])).toEqual([
      ["o@x", ["o", "r"], [0, 1]],
    ]);
  });

  it("places one message into 100,000 without threading them again", () => {
    const envelopes: ThreadEnvelope[] = Array.from({ length: 100_000 }, (_, i) => ({
      id: String(i),
      messageId: `<${i}@x>`,
      inReplyTo: i % 4 === 0 ? null : `<${i - (i % 4)}@x>`,
      references: [],
      subject: `Tema ${Math.floor(i / 4)}`,
      date: t0 + i,
    }));
    const index = new ThreadIndex(envelopes);
    expect(index.size).toBe(100_000);
    const change = index.add({
      id: "new",
      messageId: "<new@x>",
      inReplyTo: "<4002@x>",
      references: [],
      subject: "Re: Tema 1000",
      date: t0 + 200_000,
    });
    expect(change.updated).toHaveLength(1);
    expect(change.updated[0]?.messageIds).toEqual(["4000", "4001", "4002", "new", "4003"]);
  });
});
