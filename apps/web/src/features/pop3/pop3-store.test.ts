import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { INBOX, Pop3Store, TRASH, isQuotaError, pop3DatabaseName } from "./pop3-store";

const enc = new TextEncoder();
let n = 0;
const stores: Pop3Store[] = [];

function freshStore(): Pop3Store {
  n += 1;
  const store = new Pop3Store(
    pop3DatabaseName({ email: `test${n}@pismo.test`, server: { host: "mail.test", port: 110 } }),
  );
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const s of stores.splice(0)) await s.wipe();
});

function raw(i: number, extra: { from?: string; subject?: string; to?: string } = {}): Uint8Array {
  const bytes = [
    ...enc.encode(
      `From: ${extra.from ?? `Pošiljalac ${i} <sender${i}@primer.rs>`}\r\nTo: ${extra.to ?? "me@pismo.test"}\r\nSubject: ${extra.subject ?? `poruka ${i}`}\r\nDate: Mon, ${i} Jun 2026 10:00:00 +0200\r\n`,
    ),
    ...enc.encode("Content-Type: text/plain; charset=windows-1250\r\n\r\n"),
    0x8a,
    0x61,
    0x9a,
    0x61,
    0x0d,
    0x0a, // "Šaša" in windows-1250: stored byte for byte
  ];
  return new Uint8Array(bytes);
}

describe("Pop3Store", () => {
  it("stores a message durably, byte for byte, with the list's fields, and not twice", async () => {
    const store = freshStore();
    const bytes = raw(1);
    const m = await store.storeMessage("uid-1", bytes, { size: bytes.length, mode: "full", now: 1000 });
    expect(m).toMatchObject({
      uid: "uid-1",
      folderId: INBOX,
      from: "Pošiljalac 1",
      fromAddress: "sender1@primer.rs",
      subject: "poruka 1",
      seen: false,
      headersOnly: false,
    });
    expect(await store.raw("uid-1")).toEqual(bytes);
    await store.storeMessage("uid-1", bytes, { size: bytes.length, mode: "full" });
    expect(await store.list(INBOX)).toHaveLength(1);
    expect(await store.known()).toEqual([
      { uid: "uid-1", storedAt: 1000, deletedLocally: false, headersOnly: false },
    ]);
  });

  it("lists newest first, searches subject and sender, counts unread", async () => {
    const store = freshStore();
    for (let i = 1; i <= 3; i += 1) await store.storeMessage(`u${i}`, raw(i), { size: 100, mode: "full" });
    expect((await store.list(INBOX)).map((m) => m.uid)).toEqual(["u3", "u2", "u1"]);
    expect((await store.list(INBOX, "PORUKA 2")).map((m) => m.uid)).toEqual(["u2"]);
    expect((await store.list(INBOX, "sender3")).map((m) => m.uid)).toEqual(["u3"]);
    await store.setSeen(["u1"], true);
    expect(await store.unreadCounts()).toEqual({ [INBOX]: 2 });
  });

  it("applies filters on arrival: folder and mark read", async () => {
    const store = freshStore();
    const work = await store.createFolder("Posao");
    await store.addFilter({ field: "from", contains: "firma", action: { moveTo: work.id, markRead: true } });
    await store.storeMessage("a", raw(1, { from: "Šef <sef@firma.rs>" }), { size: 10, mode: "full" });
    await store.storeMessage("b", raw(2), { size: 10, mode: "full" });
    expect((await store.list(work.id)).map((m) => [m.uid, m.seen])).toEqual([["a", true]]);
    expect((await store.list(INBOX)).map((m) => m.uid)).toEqual(["b"]);
  });

  it("deletes to Trash, then for good with a tombstone the planner sees, forgotten once off the server", async () => {
    const store = freshStore();
    await store.storeMessage("x", raw(1), { size: 10, mode: "full", now: 5 });
    await store.remove(["x"]);
    expect((await store.get("x"))?.folderId).toBe(TRASH);
    expect(await store.remove(["x"])).toEqual({ permanently: 1 });
    expect(await store.list(TRASH)).toEqual([]);
    expect(await store.raw("x")).toBeNull();
    expect(await store.known()).toEqual([
      { uid: "x", storedAt: 5, deletedLocally: true, headersOnly: false },
    ]);
    await store.forgetOnServer(["x"]);
    expect(await store.known()).toEqual([]);
    expect(await store.get("x")).toBeUndefined();
  });

  it("keeps mail but drops it from the known list once the server deleted it", async () => {
    const store = freshStore();
    await store.storeMessage("k", raw(1), { size: 10, mode: "full" });
    await store.forgetOnServer(["k"]);
    expect(await store.known()).toEqual([]);
    expect(await store.list(INBOX)).toHaveLength(1);
  });

  it("completes a headers-only message", async () => {
    const store = freshStore();
    const headers = enc.encode("From: a@b.rs\r\nSubject: big\r\n\r\n");
    await store.storeMessage("h", headers, { size: 5_000_000, mode: "headers" });
    expect((await store.get("h"))?.headersOnly).toBe(true);
    await store.completeMessage("h", raw(1));
    expect((await store.get("h"))?.headersOnly).toBe(false);
    expect(await store.raw("h")).toEqual(raw(1));
  });

  it("manages folders: rename, delete moves their mail to Trash and unhooks filters", async () => {
    const store = freshStore();
    const f = await store.createFolder("Računi");
    await store.renameFolder(f.id, "Računi 2026");
    await store.addFilter({ field: "subject", contains: "račun", action: { moveTo: f.id } });
    await store.addFilter({ field: "subject", contains: "x", action: { moveTo: f.id, markRead: true } });
    await store.storeMessage("r", raw(1, { subject: "Vaš račun" }), { size: 10, mode: "full" });
    expect((await store.settings()).folders).toEqual([{ id: f.id, name: "Računi 2026" }]);
    await store.deleteFolder(f.id);
    expect((await store.get("r"))?.folderId).toBe(TRASH);
    const { folders, filters } = await store.settings();
    expect(folders).toEqual([]);
    expect(filters.map((r) => r.action)).toEqual([{ markRead: true }]);
  });

  it("exports settings and imports them elsewhere; a bad file changes nothing", async () => {
    const a = freshStore();
    const f = await a.createFolder("Posao");
    await a.addFilter({ field: "to", contains: "posao@", action: { moveTo: f.id } });
    await a.setPolicy({
      leaveOnServer: true,
      deleteAfterDays: 7,
      deleteWhenDeletedLocally: true,
      headersOnlyAboveBytes: 50_000,
    });
    const file = JSON.stringify(await a.exportSettings());

    const b = freshStore();
    const before = await b.settings();
    expect(await b.importSettings("{not json")).toEqual({ ok: false, error: "The file is not valid JSON." });
    const bad = await b.importSettings(
      JSON.stringify({
        version: 1,
        policy: {},
        folders: [],
        filters: [{ id: "r", field: "from", contains: "x", action: { moveTo: "nope" } }],
      }),
    );
    expect(bad.ok).toBe(false);
    expect(await b.settings()).toEqual(before);

    expect((await b.importSettings(file)).ok).toBe(true);
    const after = await b.settings();
    expect(after.folders).toEqual([{ id: f.id, name: "Posao" }]);
    expect(after.filters).toHaveLength(1);
    expect(after.policy).toMatchObject({
      leaveOnServer: true,
      deleteAfterDays: 7,
      headersOnlyAboveBytes: 50_000,
    });
    await b.storeMessage("p", raw(1, { to: "posao@pismo.test" }), { size: 10, mode: "full" });
    expect((await b.get("p"))?.folderId).toBe(f.id);
  });

  it("wipes the account's database", async () => {
    const store = freshStore();
    await store.storeMessage("w", raw(1), { size: 10, mode: "full" });
    await store.wipe();
    const again = new Pop3Store(store.name);
    stores.push(again);
    expect(await again.list(INBOX)).toEqual([]);
  });

  it("recognises a quota error however Dexie wraps it", () => {
    expect(isQuotaError({ name: "AbortError", inner: { name: "QuotaExceededError" } })).toBe(true);
    expect(isQuotaError(new Error("x"))).toBe(false);
  });
});
