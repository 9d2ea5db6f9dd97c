// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { Dexie, liveQuery } from "dexie";
import { SEGMENT_MESSAGES, parseSearchQuery } from "@pismo/protocol/search";
import { bodyText } from "./pop3-search-index";
import type { StoredMessage } from "./pop3-database";
import { INBOX, TRASH } from "./pop3-store";
import { freshStore, rawMessage, reopen } from "./pop3-test-store";

const query = (text: string) => {
  const r = parseSearchQuery(text, { now: Date.UTC(2026, 10, 30) });
  if (!r.ok) throw new Error(r.error.message);
  return r.query;
};
const names = (id: string) => (id === INBOX ? "Inbox" : id === TRASH ? "Trash" : id);

describe("Pop3SearchIndex", () => {
  it("finds the body (windows-1250 Šaša) by typing sasa, newest first, in the current folder", async () => {
    const store = freshStore();
    for (let i = 1; i <= 3; i += 1)
      await store.storeMessage(`u${i}`, rawMessage(i), { size: 100, mode: "full" });
    const hits = await store.search.search(query("sasa"), INBOX, names);
    expect(hits.map((m) => m.uid)).toEqual(["u3", "u2", "u1"]);
    expect((await store.search.search(query("from:sender2"), INBOX, names)).map((m) => m.uid)).toEqual([
      "u2",
    ]);
  });

  it("keeps the index as mail moves and arrives; in:all and in:Name reach other folders", async () => {
    const store = freshStore();
    await store.storeMessage("u1", rawMessage(1, { subject: "Račun za struju" }), {
      size: 100,
      mode: "full",
    });
    await store.storeMessage("u2", rawMessage(2), { size: 100, mode: "full" });
    expect((await store.search.search(query("racun"), INBOX, names)).map((m) => m.uid)).toEqual(["u1"]);
    await store.remove(["u1"]);
    expect(await store.search.search(query("racun"), INBOX, names)).toEqual([]);
    expect((await store.search.search(query("in:all racun"), INBOX, names)).map((m) => m.uid)).toEqual([
      "u1",
    ]);
    expect((await store.search.search(query("in:trash racun"), INBOX, names)).map((m) => m.uid)).toEqual([
      "u1",
    ]);
    // Arrives after the index was built: found at once.
    await store.storeMessage("u3", rawMessage(3, { subject: "Новости" }), { size: 100, mode: "full" });
    expect((await store.search.search(query("novosti"), INBOX, names)).map((m) => m.uid)).toEqual(["u3"]);
  });

  it("rebuilds from the kept texts in a new session", async () => {
    const store = freshStore();
    await store.storeMessage("u1", rawMessage(1, { subject: "Ugovor" }), { size: 100, mode: "full" });
    const again = reopen(store.name);
    expect((await again.search.search(query("ugovor"), INBOX, names)).map((m) => m.uid)).toEqual(["u1"]);
  });

  it("saves the index in segments and reads them back, not the texts, in a new session", async () => {
    const store = freshStore();
    const count = SEGMENT_MESSAGES + 50;
    for (let from = 1; from <= count; from += 500) {
      const items = [];
      for (let i = from; i < Math.min(from + 500, count + 1); i += 1) {
        const subject = i === 7 ? "Jedinstven" : i === count ? "Važno" : `poruka ${i}`;
        items.push({ uid: `u${i}`, raw: rawMessage(i, { subject }), size: 100, mode: "full" as const });
      }
      await store.storeMessages(items);
    }
    // Stored before any search: the first one indexes them, closing and saving a full segment,
    // though the page asks inside Dexie's liveQuery, where a write throws.
    const first = await new Promise<StoredMessage[]>((resolve, reject) => {
      const sub = liveQuery(() => store.search.search(query("in:all jedinstven"), INBOX, names)).subscribe({
        next: (hits) => {
          sub.unsubscribe();
          resolve(hits);
        },
        error: reject,
      });
    });
    expect(first.map((m) => m.uid)).toEqual(["u7"]);
    expect((await store.search.search(query("in:all vazno"), INBOX, names)).map((m) => m.uid)).toEqual([
      `u${count}`,
    ]);
    const saved = new Dexie(`${store.name}:search`);
    await saved.open();
    expect(await saved.table("segments").count()).toBe(1);
    expect(await saved.table("pending").count()).toBe(50);
    // Its text gone, u7 is still found in a new session: from the saved segment.
    await saved.table("texts").delete("u7");
    const again = reopen(store.name);
    expect((await again.search.search(query("in:all jedinstven"), INBOX, names)).map((m) => m.uid)).toEqual([
      "u7",
    ]);
    expect((await again.search.search(query("in:all vazno"), INBOX, names)).map((m) => m.uid)).toEqual([
      `u${count}`,
    ]);
    // Its text changed: the saved segment no longer answers for it, in this session or the next.
    await again.search.noteTexts([{ uid: "u7", from: [], to: [], cc: [], subject: "Promenjen", body: "" }]);
    expect(await again.search.search(query("in:all jedinstven"), INBOX, names)).toEqual([]);
    const third = reopen(store.name);
    expect(await third.search.search(query("in:all jedinstven"), INBOX, names)).toEqual([]);
    expect((await third.search.search(query("in:all promenjen"), INBOX, names)).map((m) => m.uid)).toEqual([
      "u7",
    ]);
    saved.close();
  }, 60_000);

  it("indexes mail stored with no search made in the background, a whole segment at a time", async () => {
    const store = freshStore();
    const count = SEGMENT_MESSAGES + 20;
    const items = Array.from({ length: count }, (_, k) => ({
      uid: `u${k + 1}`,
      raw: rawMessage(k + 1, { subject: k === 0 ? "Prvi" : `poruka ${k + 1}` }),
      size: 100,
      mode: "full" as const,
    }));
    for (let from = 0; from < count; from += 500) await store.storeMessages(items.slice(from, from + 500));
    const saved = new Dexie(`${store.name}:search`);
    await saved.open();
    expect(await saved.table("segments").count()).toBe(0);
    // Once the store is quiet: one segment saved, the 20 beyond it still pending.
    await expect.poll(() => saved.table("segments").count(), { timeout: 15_000 }).toBe(1);
    expect(await saved.table("pending").count()).toBe(20);
    saved.close();
    expect((await store.search.search(query("prvi"), INBOX, names)).map((m) => m.uid)).toEqual(["u1"]);
  }, 60_000);

  it("keeps a text noted while a segment is saved: the next session finds the newer one", async () => {
    const store = freshStore();
    await store.storeMessage("x", rawMessage(1, { subject: "Staro" }), { size: 100, mode: "full" });
    expect((await store.search.search(query("staro"), INBOX, names)).map((m) => m.uid)).toEqual(["x"]);
    // A batch that fills the open segment, and x's new text, noted at the same time.
    const fillers = Array.from({ length: SEGMENT_MESSAGES - 1 }, (_, i) => ({
      uid: `f${i}`,
      from: [],
      to: [],
      cc: [],
      subject: "punjenje",
      body: "",
    }));
    await Promise.all([
      store.search.noteTexts(fillers),
      store.search.noteTexts([{ uid: "x", from: [], to: [], cc: [], subject: "Novo", body: "" }]),
    ]);
    expect((await store.search.search(query("novo"), INBOX, names)).map((m) => m.uid)).toEqual(["x"]);
    const again = reopen(store.name);
    expect((await again.search.search(query("novo"), INBOX, names)).map((m) => m.uid)).toEqual(["x"]);
    expect(await again.search.search(query("staro"), INBOX, names)).toEqual([]);
  });

  it("finds mail another tab stored by its text, and never saves a poorer copy over the one that tab saved", async () => {
    const tabA = freshStore();
    await tabA.storeMessage("u0", rawMessage(0), { size: 100, mode: "full" });
    const tabB = reopen(tabA.name);
    // Tab B's index is built before tab A stores more.
    expect((await tabB.search.search(query("sasa"), INBOX, names)).map((m) => m.uid)).toEqual(["u0"]);
    const items = Array.from({ length: SEGMENT_MESSAGES }, (_, k) => ({
      uid: `u${k + 1}`,
      raw: rawMessage(k + 1),
      size: 100,
      mode: "full" as const,
    }));
    for (let from = 0; from < items.length; from += 500)
      await tabA.storeMessages(items.slice(from, from + 500));
    // Tab A, which has not searched, saves their segment in the background.
    const saved = new Dexie(`${tabA.name}:search`);
    await saved.open();
    await expect.poll(() => saved.table("segments").count(), { timeout: 15_000 }).toBe(1);
    saved.close();
    // Tab B finds them by their body (the text tab A kept), not only by their rows.
    expect(await tabB.search.search(query("sasa"), INBOX, names)).toHaveLength(SEGMENT_MESSAGES + 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = reopen(tabA.name);
    expect(await next.search.search(query("sasa"), INBOX, names)).toHaveLength(SEGMENT_MESSAGES + 1);
  }, 60_000);

  it("drops the texts of mail deleted for good, and writes anew a saved segment that answers for less than half", async () => {
    const store = freshStore();
    const items = Array.from({ length: SEGMENT_MESSAGES }, (_, k) => ({
      uid: `u${k}`,
      raw: rawMessage(k),
      size: 100,
      mode: "full" as const,
    }));
    for (let from = 0; from < items.length; from += 500)
      await store.storeMessages(items.slice(from, from + 500));
    expect(await store.search.search(query("sasa"), INBOX, names)).toHaveLength(SEGMENT_MESSAGES);
    const saved = new Dexie(`${store.name}:search`);
    await saved.open();
    await expect.poll(() => saved.table("segments").count()).toBe(1);
    // Deleted for good (to the Trash, then from it) over two sessions: 800, then 700 more.
    const remove = async (uids: string[]) => {
      await store.remove(uids);
      await store.remove(uids);
    };
    await remove(items.slice(1200).map((m) => m.uid));
    const second = reopen(store.name);
    expect(await second.search.search(query("sasa in:all"), INBOX, names)).toHaveLength(1200);
    expect(await saved.table("segments").count()).toBe(1);
    await remove(items.slice(500, 1200).map((m) => m.uid));
    const again = reopen(store.name);
    expect(await again.search.search(query("sasa in:all"), INBOX, names)).toHaveLength(500);
    expect(await saved.table("texts").count()).toBe(500);
    // The old segment is gone; its 500 are pending again, in the open segment.
    expect(await saved.table("segments").count()).toBe(0);
    expect(await saved.table("pending").count()).toBe(500);
    const third = reopen(store.name);
    expect(await third.search.search(query("sasa in:all"), INBOX, names)).toHaveLength(500);
    saved.close();
  }, 60_000);

  it("a tab saving an older copy of a message than another tab saved keeps the newer one pending", async () => {
    const tabA = freshStore();
    await tabA.storeMessage("x", rawMessage(1, { subject: "Staro" }), { size: 100, mode: "full" });
    const tabB = reopen(tabA.name);
    // Both tabs index x as it is.
    expect((await tabA.search.search(query("staro"), INBOX, names)).map((m) => m.uid)).toEqual(["x"]);
    expect((await tabB.search.search(query("staro"), INBOX, names)).map((m) => m.uid)).toEqual(["x"]);
    const batch = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, k) => ({
        uid: `${prefix}${k}`,
        raw: rawMessage(k),
        size: 100,
        mode: "full" as const,
      }));
    // Tab B notes x's new text, and fills and saves its segment.
    await tabB.search.noteTexts([{ uid: "x", from: [], to: [], cc: [], subject: "Novo", body: "" }]);
    await tabB.storeMessages(batch("b", SEGMENT_MESSAGES - 2));
    // Tab A, still holding the old copy, fills and saves its segment after.
    await tabA.storeMessages(batch("a", SEGMENT_MESSAGES - 1));
    const next = reopen(tabA.name);
    expect((await next.search.search(query("novo"), INBOX, names)).map((m) => m.uid)).toEqual(["x"]);
    expect(await next.search.search(query("staro"), INBOX, names)).toEqual([]);
  }, 60_000);

  it("finds a message whose text another tab writes after its row: by its row at first, by its text once written", async () => {
    const tabA = freshStore();
    await tabA.storeMessage("u0", rawMessage(0), { size: 100, mode: "full" });
    expect(await tabA.search.search(query("sasa"), INBOX, names)).toHaveLength(1);
    const tabB = reopen(tabA.name);
    await tabB.storeMessage("u1", rawMessage(1, { subject: "Kasni" }), { size: 100, mode: "full" });
    // As if tab A searched between tab B's row and its text.
    const db = new Dexie(`${tabA.name}:search`);
    await db.open();
    const text = await db.table("texts").get("u1");
    await db.table("texts").delete("u1");
    expect((await tabA.search.search(query("kasni"), INBOX, names)).map((m) => m.uid)).toEqual(["u1"]);
    expect(await tabA.search.search(query("sasa"), INBOX, names)).toHaveLength(1);
    await db.table("texts").put(text);
    db.close();
    expect(await tabA.search.search(query("sasa"), INBOX, names)).toHaveLength(2);
  });

  it("indexes the texts kept by an older version (no segments) on the first search", async () => {
    const store = freshStore();
    await store.storeMessage("u1", rawMessage(1, { subject: "Stari ugovor" }), { size: 100, mode: "full" });
    const current = new Dexie(`${store.name}:search`);
    await current.open();
    const texts = await current.table("texts").toArray();
    current.close();
    store.search.close();
    await Dexie.delete(`${store.name}:search`);
    const old = new Dexie(`${store.name}:search`);
    old.version(1).stores({ texts: "&uid" });
    await old.table("texts").bulkPut(texts);
    old.close();
    const again = reopen(store.name);
    expect((await again.search.search(query("ugovor"), INBOX, names)).map((m) => m.uid)).toEqual(["u1"]);
  });

  it("indexes again the messages of a segment saved by an older version (other terms), so it misses nothing", async () => {
    const store = freshStore();
    const from = "Ana <ana.petrovic@primer.rs>";
    await store.storeMessage("u1", rawMessage(1, { from }), { size: 100, mode: "full" });
    await store.storeMessage("u2", rawMessage(2, { from }), { size: 100, mode: "full" });
    // As an older version saved them: their terms without the tails ("primer.rs"), no format,
    // no longer pending; u2's text gone since (its message is parsed again).
    const keys = ["fana", "fana.petrovic@primer.rs", "fpetrovic", "fprimer", "frs"];
    const old = {
      ids: ["u1", "u2"],
      terms: keys.join(""),
      termStarts: Uint32Array.from([0, ...keys.map((_, k) => keys.slice(0, k + 1).join("").length)]),
      postingStarts: Uint32Array.from(keys.map((_, k) => 2 * k).concat(2 * keys.length)),
      postings: Uint16Array.from(keys.flatMap(() => [0, 1])),
    };
    const db = new Dexie(`${store.name}:search`);
    await db.open();
    await db.table("segments").add(old);
    await db.table("pending").clear();
    await db.table("texts").delete("u2");
    const again = reopen(store.name);
    expect((await again.search.search(query("from:primer.rs"), INBOX, names)).map((m) => m.uid)).toEqual([
      "u2",
      "u1",
    ]);
    expect((await again.search.search(query("from:petrovic"), INBOX, names)).map((m) => m.uid)).toEqual([
      "u2",
      "u1",
    ]);
    // The old segment is gone; its messages wait, pending, for a segment of the current terms.
    expect(await db.table("segments").count()).toBe(0);
    expect((await db.table("pending").toCollection().primaryKeys()).sort()).toEqual(["u1", "u2"]);
    db.close();
    const third = reopen(store.name);
    expect((await third.search.search(query("from:@primer.rs"), INBOX, names)).map((m) => m.uid)).toEqual([
      "u2",
      "u1",
    ]);
  });

  it("reads the text of an HTML-only body", () => {
    expect(
      bodyText({ text: null, html: "<style>p{}</style><p>Zdravo&nbsp;<b>svete</b> &amp; ti</p>" }).trim(),
    ).toBe("Zdravo  svete  & ti");
  });
});
