// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import type { Rule } from "@pismo/protocol/rules";
import { DRAFTS, INBOX, TRASH } from "../pop3/pop3-store";
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
    await undoArchive!();
    expect((await store.list(ARCHIVE)).length).toBe(0);
    const undoSeen = await setSeen(store, ["uid-1", "uid-2"], true);
    expect((await store.list(INBOX)).every((m) => m.seen)).toBe(true);
    await undoSeen();
    expect((await store.list(INBOX)).some((m) => m.seen)).toBe(false);
    const undoMove = await moveMessages(store, ["uid-2"], TRASH);
    await undoMove!();
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

  it("undo of a move out of a folder deleted since puts the messages in the Inbox", async () => {
    const store = freshStore();
    await storeOne(store, 1);
    const work = await store.createFolder("Work");
    await moveMessages(store, ["uid-1"], work.id);
    const undo = await moveMessages(store, ["uid-1"], INBOX);
    await store.deleteFolder(work.id);
    await undo!();
    expect((await store.list(INBOX)).map((m) => m.uid)).toEqual(["uid-1"]);
  });

  it("undo of a move leaves the read state as it is now, and undo of mark read the folder", async () => {
    const store = freshStore();
    await storeOne(store, 1);
    await storeOne(store, 2);
    // Moved, then read there: Undo brings it back read.
    const undoMove = await moveMessages(store, ["uid-1"], TRASH);
    await store.setSeen(["uid-1"], true);
    await undoMove!();
    expect(await store.get("uid-1")).toMatchObject({ folderId: INBOX, seen: true });
    // Read, then moved: Undo of the read leaves it where it went.
    const undoSeen = await setSeen(store, ["uid-2"], true);
    await store.move(["uid-2"], TRASH);
    await undoSeen();
    expect(await store.get("uid-2")).toMatchObject({ folderId: TRASH, seen: false });
  });

  it("moves nothing to Drafts, and offers no Undo for it", async () => {
    const store = freshStore();
    await storeOne(store, 1);
    expect(await moveMessages(store, ["uid-1"], DRAFTS)).toBeNull();
    expect((await store.list(INBOX)).map((m) => m.uid)).toEqual(["uid-1"]);
  });

  it("undo of a spam report takes back its own rule only: rules added or changed since stay", async () => {
    const store = freshStore();
    const first = await storeOne(store, 1);
    const work = await store.createFolder("Work");
    const toWork: Rule = {
      id: "to-work",
      name: "Work",
      enabled: true,
      match: "all",
      conditions: [{ kind: "text", field: "subject", match: "contains", not: false, value: "report" }],
      actions: [{ type: "move", folder: work.id }],
    };
    await store.setRules([toWork]);
    const undo = await reportSpam(store, ["uid-1"], true, names);
    // Since then: a rule added, and Work deleted (its rule goes with it).
    const later: Rule = { ...toWork, id: "later", actions: [{ type: "flag" }] };
    await store.setRules([...(await store.settings()).rules, later]);
    await store.deleteFolder(work.id);
    await undo();
    expect((await store.settings()).rules.map((r) => r.id)).toEqual(["later"]);
    expect((await store.settings()).rules.map((r) => r.id)).not.toContain(spamRuleId(first.fromAddress));
    // What is left can be exported (a rule into a deleted folder could not).
    await expect(store.exportSettings()).resolves.toMatchObject({ version: 1 });
  });

  it("undo of Not spam gives the sender's rule back, unless Junk was deleted since", async () => {
    const store = freshStore();
    const first = await storeOne(store, 1);
    await reportSpam(store, ["uid-1"], true, names);
    const undoNotSpam = await reportSpam(store, ["uid-1"], false, names);
    await undoNotSpam();
    expect((await store.settings()).rules.map((r) => r.id)).toEqual([spamRuleId(first.fromAddress)]);
    expect((await store.list(JUNK)).map((m) => m.uid)).toEqual(["uid-1"]);
    const again = await reportSpam(store, ["uid-1"], false, names);
    await store.deleteFolder(JUNK);
    await again();
    expect((await store.settings()).rules).toEqual([]);
    await expect(store.exportSettings()).resolves.toMatchObject({ version: 1 });
  });
});
