// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { describe, expect, it, vi } from "vitest";
import { Dexie, RangeSet, liveQuery, type ObservabilitySet } from "dexie";
import { emptyDraft } from "@pismo/protocol/compose";
import { parseSearchQuery } from "@pismo/protocol/search";
import { fieldsFromDraft } from "../compose/initial-draft";
import type { StoredMessage } from "./pop3-database";
import { Pop3SearchIndex, changedKeys } from "./pop3-search-index";
import { INBOX, TRASH, type Pop3Store } from "./pop3-store";
import { freshStore, rawMessage } from "./pop3-test-store";

// The rows a POP3 search's NOT, in:, is: and dates work over are read once a session and kept
// in step with the store's writes: a later query must answer exactly as a fresh read would.

const query = (text: string) => {
  const r = parseSearchQuery(text, { now: Date.UTC(2026, 10, 30) });
  if (!r.ok) throw new Error(r.error.message);
  return r.query;
};

describe("changedKeys", () => {
  const part = (tree: unknown): ObservabilitySet => ({ "idb://db/messages/": tree as RangeSet });
  const sorted = (keys: string[] | "all") => (keys === "all" ? keys : [...keys].sort());

  it("names the keys of a notice, also one structured-cloned from another tab", () => {
    const keys = new RangeSet().addKeys(["b", "a", "c"]);
    expect(sorted(changedKeys(part(keys), "db", "messages"))).toEqual(["a", "b", "c"]);
    expect(sorted(changedKeys(structuredClone(part(keys)), "db", "messages"))).toEqual(["a", "b", "c"]);
  });

  it("says all for a range, and nothing for another table or database", () => {
    expect(changedKeys(part(new RangeSet("a", "c")), "db", "messages")).toBe("all");
    expect(changedKeys(part(new RangeSet(-Infinity, [[]])), "db", "messages")).toBe("all");
    expect(changedKeys({ all: new RangeSet() } as ObservabilitySet, "db", "messages")).toBe("all");
    expect(changedKeys(part(new RangeSet("a")), "other", "messages")).toEqual([]);
    expect(changedKeys(part(new RangeSet("a")), "db", "bodies")).toEqual([]);
    expect(changedKeys(part(new RangeSet()), "db", "messages")).toEqual([]);
  });
});

/** A mix of folders, flags, dates (several the same day, so ties keep key order) and words. */
async function fixture(store: Pop3Store): Promise<void> {
  const subjects = ["Račun za struju", "Ugovor", "Sastanak sutra", "poruka", "Новости"];
  // Keys whose order is not the order of storing (x10 sorts before x2).
  const items = Array.from({ length: 30 }, (_, k) => {
    const i = (k * 7) % 30;
    return {
      uid: `x${i}`,
      raw: rawMessage((i % 9) + 1, { subject: subjects[i % subjects.length]! }),
      size: 100 + i,
      mode: "full" as const,
    };
  });
  for (let at = 0; at < items.length; at += 7) await store.storeMessages(items.slice(at, at + 7));
  await store.setSeen(["x1", "x4", "x9", "x16", "x25"], true);
  await store.setFlagged(["x2", "x3", "x20"], true);
  await store.remove(["x5", "x6"]);
}

const queries = [
  "in:all",
  "",
  "racun",
  "NOT racun",
  "in:all NOT ugovor",
  "is:unread",
  "in:all is:unread",
  "in:all is:flagged",
  "in:all is:read OR is:flagged",
  "in:trash",
  "in:Arhiva",
  "in:all before:2026-06-05",
  "in:all after:2026-06-04 NOT is:flagged",
  "in:all novosti",
  "in:all nacrt",
  "in:all from:sender3",
];

describe("Pop3SearchIndex: the rows kept between queries", () => {
  it("reads no row again for a later query when nothing was written", async () => {
    const store = freshStore();
    await fixture(store);
    const names = (id: string) => id;
    await store.search.search(query("racun"), INBOX, names);
    const toArray = vi.spyOn(store.db.messages, "toArray");
    const bulkGet = vi.spyOn(store.db.messages, "bulkGet");
    await store.search.search(query("rac"), INBOX, names);
    await store.search.search(query("in:all NOT is:read"), INBOX, names);
    expect(toArray).not.toHaveBeenCalled();
    expect(bulkGet).not.toHaveBeenCalled();
    // A flag set: that row only is read again.
    await store.setFlagged(["x7"], true);
    expect((await store.search.search(query("in:all is:flagged"), INBOX, names)).map((m) => m.uid)).toContain(
      "x7",
    );
    expect(toArray).not.toHaveBeenCalled();
    expect(bulkGet).toHaveBeenCalledWith(["x7"]);
  });

  it("lets the rows go a minute after the last query, and reads them again for the next", async () => {
    const store = freshStore();
    await fixture(store);
    const names = (id: string) => id;
    const toArray = vi.spyOn(store.db.messages, "toArray");
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"], shouldAdvanceTime: true });
    try {
      await store.search.search(query("racun"), INBOX, names);
      vi.advanceTimersByTime(59_000);
      await store.search.search(query("rac"), INBOX, names);
      vi.advanceTimersByTime(59_000);
      expect(toArray).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(1_000);
      await store.search.search(query("ra"), INBOX, names);
      expect(toArray).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("answers as a fresh read of the store after mail is added, flagged, moved and deleted", async () => {
    const store = freshStore();
    await fixture(store);
    const arhiva = await store.createFolder("Arhiva");
    const names = (id: string) =>
      id === INBOX ? "Inbox" : id === TRASH ? "Trash" : id === arhiva.id ? "Arhiva" : id;
    const check = async (step: string) => {
      // Another instance, its first query: every row read, as each query did before.
      const fresh = new Pop3SearchIndex(store.name, store.db);
      try {
        for (const text of queries) {
          const kept = (await store.search.search(query(text), INBOX, names)).map((m) => m.uid);
          const read = (await fresh.search(query(text), INBOX, names)).map((m) => m.uid);
          expect(kept, `${step}: ${text}`).toEqual(read);
        }
      } finally {
        fresh.close();
      }
    };
    await check("at first");
    await store.setSeen(["x2", "x3"], true);
    await store.setSeen(["x1"], false);
    await check("read and unread");
    await store.setFlagged(["x10", "x11"], true);
    await store.setFlagged(["x2"], false);
    await check("flagged");
    await store.move(["x12", "x13", "x1"], arhiva.id);
    await check("moved");
    await store.remove(["x14", "x5"]);
    await check("deleted: one to the Trash, one for good");
    // Of the same day as x2, x11, x20 and x29, and before them in key order.
    await store.storeMessage("a31", rawMessage(3, { subject: "Račun novi" }), { size: 10, mode: "full" });
    await check("one added");
    // 60 rows in one write: Dexie notes the whole table.
    await store.storeMessages(
      Array.from({ length: 60 }, (_, k) => ({
        uid: `y${k}`,
        raw: rawMessage((k % 9) + 1, { subject: k % 2 ? "Ugovor" : "poruka" }),
        size: 50,
        mode: "full" as const,
      })),
    );
    await check("sixty added");
    await store.setFlagged(
      Array.from({ length: 55 }, (_, k) => `y${k}`),
      true,
    );
    await check("fifty-five flagged");
    const draft = await store.saveDraft({ ...fieldsFromDraft(emptyDraft(), true), subject: "Nacrt" }, null);
    await check("a draft");
    await store.removeDraft(draft);
    await check("the draft discarded");
    await store.deleteFolder(arhiva.id);
    await check("its folder deleted");
    await store.remove(["x5", "x6", "x14"]);
    await check("the Trash's deleted for good");
  }, 60_000);

  it("follows another tab's write, whose notice comes over a BroadcastChannel", async () => {
    const store = freshStore();
    await fixture(store);
    const names = (id: string) => id;
    expect(
      (await store.search.search(query("in:all is:flagged"), INBOX, names)).map((m) => m.uid),
    ).not.toContain("x8");
    // Written past Dexie in this tab, as another tab's write is; then its notice, cloned.
    const row = (await store.db.messages.get("x8"))!;
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open(store.name);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const tx = open.result.transaction("messages", "readwrite");
        tx.objectStore("messages").put({ ...row, flagged: true });
        tx.oncomplete = () => {
          open.result.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
    });
    Dexie.on.storagemutated.fire(structuredClone({ [`idb://${store.name}/messages/`]: new RangeSet("x8") }));
    expect((await store.search.search(query("in:all is:flagged"), INBOX, names)).map((m) => m.uid)).toContain(
      "x8",
    );
  });

  it("runs again inside liveQuery on every write to the rows, though it no longer reads them", async () => {
    const store = freshStore();
    await fixture(store);
    const names = (id: string) => id;
    let latest: string[] | null = null;
    const sub = liveQuery(() => store.search.search(query("in:all is:flagged"), INBOX, names)).subscribe({
      next: (hits: StoredMessage[]) => {
        latest = hits.map((m) => m.uid);
      },
    });
    try {
      // Newest first (x3 is of the 4th, x2 and x20 of the 3rd: in key order).
      await vi.waitFor(() => expect(latest).toEqual(["x3", "x2", "x20"]));
      await store.setFlagged(["x7"], true);
      await vi.waitFor(() => expect(latest).toContain("x7"));
      await store.setFlagged(["x7"], false);
      await vi.waitFor(() => expect(latest).not.toContain("x7"));
      await store.move(["x2"], TRASH);
      await store.remove(["x2"]);
      await vi.waitFor(() => expect(latest).not.toContain("x2"));
    } finally {
      sub.unsubscribe();
    }
  });
});
