// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "@pismo/protocol/search";
import { INBOX, TRASH, isQuotaError } from "./pop3-store";
import { freshStore, rawMessage, reopen } from "./pop3-test-store";
import { summarize } from "./parse-pool";

describe("Pop3Store", () => {
  it("stores a message durably, byte for byte, with the list's fields, and not twice", async () => {
    const store = freshStore();
    const bytes = rawMessage(1);
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
      { uid: "uid-1", storedAt: 1000, deletedLocally: false, headersOnly: false, size: bytes.length },
    ]);
  });

  it("lists newest first, searches subject and sender, counts unread", async () => {
    const store = freshStore();
    for (let i = 1; i <= 3; i += 1)
      await store.storeMessage(`u${i}`, rawMessage(i), { size: 100, mode: "full" });
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
    await store.storeMessage("a", rawMessage(1, { from: "Šef <sef@firma.rs>" }), { size: 10, mode: "full" });
    await store.storeMessage("b", rawMessage(2), { size: 10, mode: "full" });
    expect((await store.list(work.id)).map((m) => [m.uid, m.seen])).toEqual([["a", true]]);
    expect((await store.list(INBOX)).map((m) => m.uid)).toEqual(["b"]);
  });

  it("files no pulled mail into a folder deleted while its batch was being stored", async () => {
    const store = freshStore();
    const work = await store.createFolder("Work");
    await store.addFilter({ field: "subject", contains: "poruka", action: { moveTo: work.id } });
    const raw = rawMessage(1);
    // The batch is still being parsed when the folder goes.
    let parsed!: () => void;
    const parsing = new Promise<void>((resolve) => (parsed = resolve));
    const summary = parsing.then(() => summarize("u1", raw));
    const storing = store.storeMessages([{ uid: "u1", raw, size: raw.length, mode: "full", summary }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.deleteFolder(work.id);
    parsed();
    await storing;
    expect((await store.list(INBOX)).map((m) => m.uid)).toEqual(["u1"]);
  });

  it("runs the shared rules on arrival: any header, flag, delete to Trash, stop", async () => {
    const store = freshStore();
    await store.setRules([
      {
        id: "flag",
        name: "",
        enabled: true,
        match: "all",
        conditions: [{ kind: "text", field: "subject", match: "contains", not: false, value: "[INVOICE]" }],
        actions: [{ type: "flag" }, { type: "stop" }],
      },
      {
        id: "bin",
        name: "",
        enabled: true,
        match: "any",
        conditions: [
          {
            kind: "text",
            field: "header",
            header: "Date",
            match: "matches",
            not: false,
            value: "Mon, 2 Jun *",
          },
        ],
        actions: [{ type: "discard" }],
      },
    ]);
    await store.storeMessage("a", rawMessage(1, { subject: "[INVOICE] 1" }), { size: 10, mode: "full" });
    await store.storeMessage("b", rawMessage(2), { size: 10, mode: "full" });
    expect((await store.get("a"))?.flagged).toBe(true);
    expect((await store.get("a"))?.folderId).toBe(INBOX);
    expect((await store.get("b"))?.folderId).toBe(TRASH);
  });

  it("deletes to Trash, then for good with a tombstone the planner sees, forgotten once off the server", async () => {
    const store = freshStore();
    await store.storeMessage("x", rawMessage(1), { size: 10, mode: "full", now: 5 });
    await store.remove(["x"]);
    expect((await store.get("x"))?.folderId).toBe(TRASH);
    expect(await store.remove(["x"])).toEqual({ permanently: 1 });
    expect(await store.list(TRASH)).toEqual([]);
    expect(await store.raw("x")).toBeNull();
    expect(await store.known()).toEqual([
      { uid: "x", storedAt: 5, deletedLocally: true, headersOnly: false, size: 10 },
    ]);
    await store.forgetGone(["x"]);
    expect(await store.known()).toEqual([]);
    expect(await store.get("x")).toBeUndefined();
  });

  it("empties the Trash of the messages the user confirmed, and of nothing when more came meanwhile", async () => {
    const store = freshStore();
    for (const uid of ["a", "b", "c"])
      await store.storeMessage(uid, rawMessage(1), { size: 10, mode: "full" });
    await store.remove(["a", "b"]);
    // "Delete all 2?" confirmed while a filter filed a third one there.
    await store.remove(["c"]);
    expect(await store.emptyTrash(2)).toBeNull();
    expect((await store.list(TRASH)).map((m) => m.uid).sort()).toEqual(["a", "b", "c"]);
    expect(await store.emptyTrash(3)).toBe(3);
    expect(await store.list(TRASH)).toEqual([]);
  });

  it("keeps mail but drops it from the known list once the server deleted it", async () => {
    const store = freshStore();
    await store.storeMessage("k", rawMessage(1), { size: 10, mode: "full" });
    await store.forgetOnServer(["k"]);
    expect(await store.known()).toEqual([]);
    expect(await store.list(INBOX)).toHaveLength(1);
  });

  it("stores a new message under a unique-id the server reused, beside the old one, and knows it by that unique-id", async () => {
    const store = freshStore();
    const first = rawMessage(1, { subject: "prva" });
    await store.storeMessage("X", first, { size: first.length, mode: "full", now: 1000 });
    // Pull 1 removed it from the server (DELE, QUIT +OK); the row stays here.
    await store.forgetOnServer(["X"]);
    expect(await store.known()).toEqual([]);
    // Later the server lists another message under X: it must be stored, not taken for the old one.
    const second = rawMessage(2, { subject: "druga" });
    const acked: string[][] = [];
    const [stored] = await store.storeMessages(
      [{ uid: "X", raw: second, size: second.length, mode: "full" }],
      2000,
      (rows) => acked.push(rows.map((m) => m.uid)),
    );
    expect(acked).toHaveLength(1);
    expect(stored).toMatchObject({ uid: "X~2", serverUid: "X", subject: "druga", onServer: true });
    expect(await store.raw("X~2")).toEqual(second);
    // The old message is untouched, bytes and search text.
    expect(await store.raw("X")).toEqual(first);
    expect(await store.get("X")).toMatchObject({ subject: "prva", onServer: false });
    const found = async (text: string) => {
      const r = parseSearchQuery(text, { now: Date.UTC(2026, 10, 30) });
      if (!r.ok) throw new Error(r.error.message);
      return (await store.search.search(r.query, INBOX, (id) => id)).map((m) => m.uid);
    };
    expect(await found("prva")).toEqual(["X"]);
    expect(await found("druga")).toEqual(["X~2"]);
    expect(await store.known()).toEqual([
      { uid: "X", storedAt: 2000, deletedLocally: false, headersOnly: false, size: second.length },
    ]);
    // Delivered again after a dropped pull: the same message, not a third copy.
    await store.storeMessage("X", second, { size: second.length, mode: "full", now: 3000 });
    expect((await store.list(INBOX)).map((m) => m.uid).sort()).toEqual(["X", "X~2"]);
    // Removed from the server again: the row of the new one leaves the known list.
    await store.forgetOnServer(["X"]);
    expect(await store.known()).toEqual([]);
    // A third message under X takes the next free key.
    const third = rawMessage(3, { subject: "treca" });
    await store.storeMessage("X", third, { size: third.length, mode: "full" });
    expect((await store.list(INBOX)).map((m) => m.uid).sort()).toEqual(["X", "X~2", "X~3"]);
  });

  it("takes a message the server kept after QUIT +OK for the row it is, not for a second copy", async () => {
    const store = freshStore();
    const bytes = rawMessage(1);
    await store.storeMessage("K", bytes, { size: bytes.length, mode: "full", now: 1000 });
    await store.setSeen(["K"], true);
    // Pull 1: DELE K, QUIT +OK; the server kept it all the same, and pull 2 lists K again.
    await store.forgetOnServer(["K"]);
    expect(await store.known()).toEqual([]);
    const acked: string[][] = [];
    const [stored] = await store.storeMessages(
      [{ uid: "K", raw: bytes, size: bytes.length, mode: "full" }],
      2000,
      (rows) => acked.push(rows.map((m) => m.uid)),
    );
    // Acknowledged (the gateway deletes it again if the policy says so), not stored twice.
    expect(acked).toEqual([["K"]]);
    expect(stored).toMatchObject({ uid: "K", onServer: true, seen: true, storedAt: 1000 });
    expect((await store.list(INBOX)).map((m) => m.uid)).toEqual(["K"]);
    expect(await store.known()).toEqual([
      { uid: "K", storedAt: 1000, deletedLocally: false, headersOnly: false, size: bytes.length },
    ]);
  });

  it("tells a kept message from another one under the same unique-id and size by Message-ID and Date", async () => {
    const store = freshStore();
    const enc = new TextEncoder();
    const mail = (id: string) =>
      enc.encode(
        `Message-ID: <${id}@primer.rs>\r\nDate: Mon, 1 Jun 2026 10:00:00 +0200\r\nSubject: s\r\n\r\nx\r\n`,
      );
    const first = mail("prva");
    const same = mail("prva");
    const other = mail("peta");
    expect(other.length).toBe(first.length);
    await store.storeMessage("M", first, { size: first.length, mode: "full" });
    await store.forgetOnServer(["M"]);
    await store.storeMessage("M", same, { size: same.length, mode: "full" });
    expect((await store.list(INBOX)).map((m) => m.uid)).toEqual(["M"]);
    expect(await store.get("M")).toMatchObject({ onServer: true });
    // Removed for good this time; the server gives M to another message of the same size.
    await store.forgetOnServer(["M"]);
    const stored = await store.storeMessage("M", other, { size: other.length, mode: "full" });
    expect(stored).toMatchObject({ uid: "M~2", serverUid: "M", messageId: "peta@primer.rs", onServer: true });
    expect(await store.get("M")).toMatchObject({ messageId: "prva@primer.rs", onServer: false });
    expect((await store.list(INBOX)).map((m) => m.uid).sort()).toEqual(["M", "M~2"]);
  });

  it("takes a message of another size under a unique-id still known for a new one", async () => {
    const store = freshStore();
    const first = rawMessage(1, { subject: "prva" });
    await store.storeMessage("Y", first, { size: first.length, mode: "full" });
    const other = rawMessage(2, { subject: "druga poruka, duza" });
    await store.storeMessage("Y", other, { size: other.length, mode: "full" });
    expect(await store.get("Y")).toMatchObject({ subject: "prva", onServer: false });
    expect(await store.get("Y~2")).toMatchObject({ subject: "druga poruka, duza", onServer: true });
  });

  it("keeps a tombstone known until a listing shows its unique-id gone", async () => {
    const store = freshStore();
    await store.storeMessage("t", rawMessage(1), { size: 10, mode: "full" });
    await store.storeMessage("k", rawMessage(2), { size: 10, mode: "full" });
    await store.remove(["t"]);
    await store.remove(["t"]);
    // QUIT +OK after DELE t and k: k leaves the known list, the tombstone stays (the server
    // may not have removed it after all).
    await store.forgetOnServer(["t", "k"]);
    expect((await store.known()).map((k) => k.uid)).toEqual(["t"]);
    // A listing without t and k: the tombstone goes.
    await store.forgetGone(["t", "k"]);
    expect(await store.known()).toEqual([]);
    expect(await store.get("t")).toBeUndefined();
    expect(await store.get("k")).toMatchObject({ onServer: false });
  });

  it("completes a headers-only message", async () => {
    const store = freshStore();
    const headers = new TextEncoder().encode("From: a@b.rs\r\nSubject: big\r\n\r\n");
    await store.storeMessage("h", headers, { size: 5_000_000, mode: "headers" });
    expect((await store.get("h"))?.headersOnly).toBe(true);
    await store.completeMessage("h", rawMessage(1));
    expect((await store.get("h"))?.headersOnly).toBe(false);
    expect(await store.raw("h")).toEqual(rawMessage(1));
  });

  it("reads whether a message pulled without its body has attachments from its type, for the list and the rules", async () => {
    const store = freshStore();
    await store.setRules([
      {
        id: "att",
        name: "Prilozi",
        enabled: true,
        match: "all",
        conditions: [{ kind: "attachment", not: false }],
        actions: [{ type: "flag" }],
      },
    ]);
    const head = (type: string) =>
      new TextEncoder().encode(`From: a@b.rs\r\nSubject: big\r\nContent-Type: ${type}\r\n\r\n`);
    await store.storeMessage("m", head('multipart/mixed; boundary="x"'), {
      size: 9_000_000,
      mode: "headers",
    });
    await store.storeMessage("a", head('multipart/alternative; boundary="y"'), {
      size: 9_000_000,
      mode: "headers",
    });
    expect(await store.get("m")).toMatchObject({ hasAttachment: true, flagged: true });
    expect(await store.get("a")).toMatchObject({ hasAttachment: false, flagged: false });
  });

  it("wipes the account's database", async () => {
    const store = freshStore();
    await store.storeMessage("w", rawMessage(1), { size: 10, mode: "full" });
    await store.wipe();
    const again = reopen(store.name);
    expect(await again.list(INBOX)).toEqual([]);
  });

  it("recognises a quota error however Dexie wraps it", () => {
    expect(isQuotaError({ name: "AbortError", inner: { name: "QuotaExceededError" } })).toBe(true);
    expect(isQuotaError(new Error("x"))).toBe(false);
  });
});
