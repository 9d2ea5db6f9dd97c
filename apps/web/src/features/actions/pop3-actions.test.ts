// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { INBOX, TRASH } from "../pop3/pop3-store";
import { freshStore, rawMessage } from "../pop3/pop3-test-store";
import {
  ARCHIVE,
  JUNK,
  archiveMessages,
  moveMessages,
  removeMessages,
  reportSpam,
  setSeen,
  spamRuleId,
} from "./pop3-actions";

const names = { junk: "Junk", rule: (s: string) => `Spam from ${s}` };

async function storeOne(store: ReturnType<typeof freshStore>, i: number) {
  const bytes = rawMessage(i);
  return store.storeMessage(`uid-${i}`, bytes, { size: bytes.length, mode: "full" });
}

describe("POP3 undoable actions", () => {
  it("delete to Trash and Undo puts the message back where it was", async () => {
    const store = freshStore();
    await storeOne(store, 1);
    const { undo } = await removeMessages(store, ["uid-1"]);
    expect((await store.list(TRASH)).map((m) => m.uid)).toEqual(["uid-1"]);
    await undo!();
    expect((await store.list(INBOX)).map((m) => m.uid)).toEqual(["uid-1"]);
  });

  it("has no undo for a delete for good from the Trash", async () => {
    const store = freshStore();
    await storeOne(store, 1);
    await store.move(["uid-1"], TRASH);
    const { permanently, undo } = await removeMessages(store, ["uid-1"]);
    expect(permanently).toBe(1);
    expect(undo).toBeNull();
  });

  it("moves, archives (making the local Archive) and marks read, each undone", async () => {
    const store = freshStore();
    await storeOne(store, 1);
    await storeOne(store, 2);
    const undoArchive = await archiveMessages(store, ["uid-1"], "Archive");
    expect((await store.settings()).folders).toContainEqual({ id: ARCHIVE, name: "Archive" });
    expect((await store.list(ARCHIVE)).map((m) => m.uid)).toEqual(["uid-1"]);
    await undoArchive();
    expect((await store.list(ARCHIVE)).length).toBe(0);
    const undoSeen = await setSeen(store, ["uid-1", "uid-2"], true);
    expect((await store.list(INBOX)).every((m) => m.seen)).toBe(true);
    await undoSeen();
    expect((await store.list(INBOX)).some((m) => m.seen)).toBe(false);
    const undoMove = await moveMessages(store, ["uid-2"], TRASH);
    await undoMove();
    expect((await store.list(INBOX)).length).toBe(2);
  });

  it("Report spam files the message in Junk and the sender's next message too; Not spam forgets the sender", async () => {
    const store = freshStore();
    const first = await storeOne(store, 1);
    await reportSpam(store, ["uid-1"], true, names);
    expect((await store.list(JUNK)).map((m) => m.uid)).toEqual(["uid-1"]);
    expect((await store.settings()).rules.map((r) => r.id)).toEqual([spamRuleId(first.fromAddress)]);
    // The next pull brings another message from the same sender: it goes to Junk.
    const again = rawMessage(1);
    const [later] = await store.storeMessages([
      { uid: "uid-1b", raw: again, size: again.length, mode: "full" },
    ]);
    expect(later?.folderId).toBe(JUNK);
    // Not spam: back to the Inbox, and the sender is no longer filed as spam.
    await reportSpam(store, ["uid-1b"], false, names);
    expect((await store.list(INBOX)).map((m) => m.uid)).toEqual(["uid-1b"]);
    expect((await store.settings()).rules).toEqual([]);
    const third = rawMessage(1);
    const [next] = await store.storeMessages([
      { uid: "uid-1c", raw: third, size: third.length, mode: "full" },
    ]);
    expect(next?.folderId).toBe(INBOX);
  });

  it("undo of a spam report puts the message and the rules back", async () => {
    const store = freshStore();
    await storeOne(store, 1);
    const undo = await reportSpam(store, ["uid-1"], true, names);
    await undo();
    expect((await store.list(INBOX)).map((m) => m.uid)).toEqual(["uid-1"]);
    expect((await store.settings()).rules).toEqual([]);
  });
});
