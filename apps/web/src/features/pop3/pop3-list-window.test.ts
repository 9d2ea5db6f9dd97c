// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { Dexie } from "dexie";
import { describe, expect, it } from "vitest";
import { DRAFTS, INBOX, TRASH, type Pop3Store, type StoredMessage } from "./pop3-store";
import type { ComposeFields } from "../compose/initial-draft";
import { freshStore, rawMessage, reopen } from "./pop3-test-store";

/** A list row as a pull stores it, without parsing a message: the window reads only rows. */
function row(uid: string, sortKey: number, folderId = INBOX): StoredMessage {
  return {
    uid,
    folderId,
    from: `Pošiljalac ${uid}`,
    fromAddress: `${uid}@primer.rs`,
    to: "me@pismo.test",
    subject: `poruka ${uid}`,
    date: new Date(sortKey).toISOString(),
    sortKey,
    size: 100,
    seen: false,
    flagged: false,
    headersOnly: false,
    hasAttachment: false,
    storedAt: sortKey,
    deletedLocally: false,
    onServer: true,
  };
}

/** `n` Inbox rows u0000…, the higher the number the newer. */
async function inbox(store: Pop3Store, n: number): Promise<void> {
  await store.db.messages.bulkAdd(
    Array.from({ length: n }, (_, i) => row(`u${String(i).padStart(4, "0")}`, 1_000 + i)),
  );
}

const uids = (rows: readonly StoredMessage[]) => rows.map((m) => m.uid);

describe("the POP3 list read a window at a time", () => {
  it("reads a window of a folder newest first, by offset and limit, and counts the folder apart", async () => {
    const store = freshStore();
    await inbox(store, 300);
    await store.db.messages.bulkAdd([row("elsewhere", 5_000, TRASH)]);
    expect(await store.count(INBOX)).toBe(300);
    expect(uids(await store.window(INBOX, 0, 3))).toEqual(["u0299", "u0298", "u0297"]);
    expect(uids(await store.window(INBOX, 150, 2))).toEqual(["u0149", "u0148"]);
    expect(uids(await store.window(INBOX, 298, 50))).toEqual(["u0001", "u0000"]);
    expect(await store.window(INBOX, 300, 50)).toEqual([]);
    // The windows, end to end, are the whole list in its order.
    const pages = [];
    for (let offset = 0; offset < 300; offset += 70) pages.push(...(await store.window(INBOX, offset, 70)));
    expect(uids(pages)).toEqual(uids(await store.list(INBOX)));
    expect(await store.uids(INBOX)).toEqual(uids(pages));
  });

  it("orders equal dates by UID, the same in a window and in a message's position", async () => {
    const store = freshStore();
    await store.db.messages.bulkAdd([row("b", 7), row("a", 7), row("c", 7), row("new", 9), row("old", 1)]);
    const order = uids(await store.window(INBOX, 0, 10));
    expect(order).toEqual(["new", "c", "b", "a", "old"]);
    for (const [i, uid] of order.entries()) expect(await store.position(INBOX, uid)).toBe(i);
    expect(await store.position(TRASH, "a")).toBe(-1);
    expect(await store.position(INBOX, "nothing")).toBe(-1);
  });

  it("follows moves, deletes and tombstones: a tombstone takes no place in a window nor the count", async () => {
    const store = freshStore();
    await inbox(store, 5);
    await store.move(["u0004", "u0003"], "posao");
    expect(await store.count(INBOX)).toBe(3);
    expect(uids(await store.window("posao", 0, 10))).toEqual(["u0004", "u0003"]);
    await store.remove(["u0004"]);
    expect(uids(await store.window(TRASH, 0, 10))).toEqual(["u0004"]);
    // For good, while still on the server: a tombstone the planner needs, listed nowhere.
    await store.remove(["u0004"]);
    expect((await store.get("u0004"))?.deletedLocally).toBe(true);
    expect(await store.count(TRASH)).toBe(0);
    expect(await store.window(TRASH, 0, 10)).toEqual([]);
    // A settings import folds unknown folders into the Inbox (a modify): the index follows.
    await store.db.messages.where("folderId").equals("posao").modify({ folderId: INBOX });
    expect(uids(await store.window(INBOX, 0, 10))).toEqual(["u0003", "u0002", "u0001", "u0000"]);
  });

  it("keeps a draft listed when it is saved again (a put over its row)", async () => {
    const store = freshStore();
    const fields: ComposeFields = {
      to: "a@b.rs",
      cc: "",
      bcc: "",
      subject: "prvi put",
      html: "",
      text: "",
      rich: false,
      attachments: [],
      inReplyTo: null,
      references: [],
      answering: null,
    };
    const uid = await store.saveDraft(fields, null, { now: 1 });
    await store.saveDraft({ ...fields, subject: "drugi put" }, uid, { now: 2 });
    expect((await store.window(DRAFTS, 0, 10)).map((m) => m.subject)).toEqual(["drugi put"]);
    expect(await store.count(DRAFTS)).toBe(1);
  });

  it("lists what a pull stores through the same index", async () => {
    const store = freshStore();
    for (let i = 1; i <= 3; i += 1)
      await store.storeMessage(`p${i}`, rawMessage(i), { size: 100, mode: "full" });
    expect(await store.count(INBOX)).toBe(3);
    expect(uids(await store.window(INBOX, 1, 1))).toEqual(["p2"]);
  });

  it("opens a store written before the windowed list and shows its mail, without its tombstones", async () => {
    const name = `pismo-pop3:old-${Date.now()}@mail.test:110`;
    // The schema as it was before [listedIn+sortKey] (version 3), written by that version.
    const old = new Dexie(name);
    old.version(1).stores({
      messages: "&uid, folderId, [folderId+sortKey], onServer",
      bodies: "&uid",
      settings: "&key",
    });
    old.version(2).stores({ drafts: "&uid" });
    old.version(3).stores({});
    await old.open();
    const gone = { ...row("gone", 50, TRASH), deletedLocally: true };
    const stored = [row("a", 10), row("b", 30), row("t", 20, TRASH), gone].map((m) => ({
      ...m,
      messageId: null,
      inReplyTo: null,
      references: [],
    }));
    await old.table("messages").bulkAdd(stored);
    old.close();

    const store = reopen(name);
    expect(await store.count(INBOX)).toBe(2);
    expect(uids(await store.window(INBOX, 0, 10))).toEqual(["b", "a"]);
    expect(uids(await store.list(TRASH))).toEqual(["t"]);
    expect((await store.get("gone"))?.deletedLocally).toBe(true);
    expect(await store.known()).toHaveLength(4);
  });
});
