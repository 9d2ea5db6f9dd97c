// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "@pismo/protocol/search";
import { bodyText } from "./pop3-search-index";
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

  it("reads the text of an HTML-only body", () => {
    expect(
      bodyText({ text: null, html: "<style>p{}</style><p>Zdravo&nbsp;<b>svete</b> &amp; ti</p>" }).trim(),
    ).toBe("Zdravo  svete  & ti");
  });
});
