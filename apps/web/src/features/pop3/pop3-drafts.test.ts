// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { emptyDraft } from "@pismo/protocol/compose";
import { parseMessage } from "@pismo/protocol/mime";
import { fieldsFromDraft, type ComposeFields } from "../compose/initial-draft";
import { filesToUploadAgain, opensInCompose, pop3DraftStore } from "./pop3-drafts";
import { DRAFTS, INBOX, SENT, TRASH } from "./pop3-store";
import { freshStore, reopen } from "./pop3-test-store";

// Writing from a POP3 account: the local Sent folder keeps the exact bytes sent; drafts are the compose
// fields kept in this browser, updated by autosave, removed when sent or discarded.

const enc = new TextEncoder();
/** A save that uploaded no file since the last. */
const none = new Map<string, Blob>();
/** A gateway that holds none of the uploads asked about. */
const noneHeld = () => Promise.resolve([]);

function fields(patch: Partial<ComposeFields> = {}): ComposeFields {
  return {
    ...fieldsFromDraft(emptyDraft(), true),
    to: "Bob <bob@pismo.test>",
    subject: "Nacrt",
    html: "<p>Zdravo</p>",
    text: "Zdravo",
    ...patch,
  };
}

const sentBytes = enc.encode(
  [
    "From: me@pismo.test",
    "To: Bob Builder <bob@pismo.test>, ana@pismo.test",
    "Subject: =?UTF-8?Q?Ra=C4=8Dun?=",
    "Date: Tue, 2 Jun 2026 09:00:00 +0200",
    "Message-ID: <sent-1@pismo.test>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Šaljem račun.",
    "",
  ].join("\r\n"),
);

function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

describe("POP3 local Sent and Drafts", () => {
  it("keeps a sent message byte for byte in Sent, read, listing its recipients, never as a server message", async () => {
    const store = freshStore();
    const m = await store.storeSent(sentBytes, 5000);
    expect(m).toMatchObject({
      folderId: SENT,
      seen: true,
      onServer: false,
      subject: "Račun",
      from: "Bob Builder, ana@pismo.test",
      fromAddress: "me@pismo.test",
      date: "2026-06-02T07:00:00.000Z",
    });
    expect(await store.raw(m.uid)).toEqual(sentBytes);
    expect((await store.list(SENT)).map((x) => x.uid)).toEqual([m.uid]);
    expect(await store.list(INBOX)).toEqual([]);
    expect(await store.unreadCounts()).toEqual({});
    // The pull planner never sees it: it was never on the POP3 server.
    expect(await store.known()).toEqual([]);
  });

  it("saves a draft as its fields, updates it in place, and removes it", async () => {
    const store = freshStore();
    const uid = await store.saveDraft(fields(), null, { now: 1000 });
    expect(await store.draft(uid)).toEqual(fields());
    expect(await store.list(DRAFTS)).toMatchObject([
      { uid, folderId: DRAFTS, subject: "Nacrt", from: "Bob <bob@pismo.test>", seen: true, onServer: false },
    ]);

    expect(
      await store.saveDraft(fields({ subject: "Nacrt 2", text: "Više teksta" }), uid, { now: 2000 }),
    ).toBe(uid);
    const rows = await store.list(DRAFTS);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ subject: "Nacrt 2", sortKey: 2000 });
    expect((await store.draft(uid))?.text).toBe("Više teksta");

    await store.removeDraft(uid);
    expect(await store.list(DRAFTS)).toEqual([]);
    expect(await store.draft(uid)).toBeNull();
    expect(await store.known()).toEqual([]);
  });

  it("keeps drafts in Drafts: they cannot be moved, and deleting one discards it for good", async () => {
    const store = freshStore();
    const uid = await store.saveDraft(fields(), null);
    const sent = await store.storeSent(sentBytes);
    await store.move([uid, sent.uid], DRAFTS);
    expect((await store.list(SENT)).map((m) => m.uid)).toEqual([sent.uid]);
    await store.move([uid], INBOX);
    expect((await store.list(DRAFTS)).map((m) => m.uid)).toEqual([uid]);
    expect(await store.remove([uid])).toEqual({ permanently: 1 });
    expect(await store.list(DRAFTS)).toEqual([]);
    expect(await store.list(TRASH)).toEqual([]);
    expect(await store.draft(uid)).toBeNull();
  });

  it("keeps Sent and Drafts through a settings import and refuses to delete them as folders", async () => {
    const store = freshStore();
    const uid = await store.saveDraft(fields(), null);
    const sent = await store.storeSent(sentBytes);
    await store.deleteFolder(SENT);
    await store.deleteFolder(DRAFTS);
    const file = JSON.stringify(await store.exportSettings());
    expect((await store.importSettings(file)).ok).toBe(true);
    expect((await store.list(SENT)).map((m) => m.uid)).toEqual([sent.uid]);
    expect((await store.list(DRAFTS)).map((m) => m.uid)).toEqual([uid]);
  });

  it("the compose adapter: autosave keeps one local draft; a send files the copy in Sent and drops the draft", async () => {
    const store = freshStore();
    const drafts = pop3DraftStore(store, noneHeld);
    expect(drafts.local).toBe(true);
    const first = await drafts.save(
      emptyDraft(),
      fields({ answering: { folder: "INBOX", uid: 3 } }),
      null,
      none,
    );
    expect(first).toMatchObject({ attachments: null });
    const ref = first?.ref ?? null;
    expect(typeof ref).toBe("string");
    expect(await drafts.save(emptyDraft(), fields({ subject: "Drugi" }), ref, none)).toMatchObject({ ref });
    expect(await store.list(DRAFTS)).toHaveLength(1);
    // An IMAP message to mark answered means nothing for POP3; the draft never carries one.
    expect((await store.draft(String(ref)))?.answering).toBeNull();
    expect(drafts.serverDraftUid(ref)).toBeNull();

    await drafts.afterSend({ messageId: "<sent-1@pismo.test>", raw: toBase64(sentBytes), rejected: [] }, ref);
    expect(await store.list(DRAFTS)).toEqual([]);
    const [copy] = await store.list(SENT);
    expect(copy).toBeDefined();
    const raw = await store.raw(copy?.uid ?? "");
    expect(raw).toEqual(sentBytes);
    expect((await parseMessage(raw ?? new Uint8Array())).text).toContain("Šaljem račun.");

    const other = await drafts.save(emptyDraft(), fields(), null, none);
    await drafts.discard(other?.ref ?? "");
    expect(await store.list(DRAFTS)).toEqual([]);
  });

  it("files a sent copy once, however many tabs of the account (or loads of a page) file it", async () => {
    const store = freshStore();
    // Another tab: the same database, opened on its own.
    const tab = reopen(store.name);
    const result = { messageId: "<sent-1@pismo.test>", raw: toBase64(sentBytes), rejected: [] };
    const [mine, theirs] = [pop3DraftStore(store, noneHeld), pop3DraftStore(tab, noneHeld)];
    // Both told at once that the held message went out.
    await Promise.all([mine.afterSend(result, null), theirs.afterSend(result, null)]);
    // A page filing it again after a reload (its record kept: the first filing's end unseen).
    await mine.afterSend(result, null);
    const sent = await store.list(SENT);
    expect(sent).toHaveLength(1);
    expect(await store.raw(sent[0]?.uid ?? "")).toEqual(sentBytes);
    // Another message (another Message-ID) is a copy of its own; one without any, each time.
    const other = enc.encode(
      new TextDecoder().decode(sentBytes).replace("<sent-1@pismo.test>", "<sent-2@pismo.test>"),
    );
    await store.storeSent(other);
    const noId = enc.encode(new TextDecoder().decode(sentBytes).replace(/Message-ID: .*\r\n/, ""));
    await store.storeSent(noId);
    await store.storeSent(noId);
    expect(await store.list(SENT)).toHaveLength(4);
  });

  it("keeps the files a draft attaches beside it, for as long as its fields name them", async () => {
    const store = freshStore();
    const upload = (id: string, filename: string) =>
      ({ kind: "upload", id, filename, contentType: "text/plain", size: 5 }) as const;
    const a = upload("aaaaaaaaaaaaaaaaaaaaaaaa", "a.txt");
    const b = upload("bbbbbbbbbbbbbbbbbbbbbbbb", "b.txt");
    const uid = await store.saveDraft(fields({ attachments: [a] }), null, {
      files: new Map([[a.id, new Blob(["prvi"])]]),
    });
    // A later save carries only what was uploaded since; the file kept before stays.
    await store.saveDraft(fields({ attachments: [a, b] }), uid, {
      files: new Map([[b.id, new Blob(["drugi"])]]),
    });
    const kept = await store.draftFiles(uid);
    expect([...kept.keys()].sort()).toEqual([a.id, b.id]);
    expect(await kept.get(a.id)?.text()).toBe("prvi");
    expect(await kept.get(b.id)?.text()).toBe("drugi");
    // An upload whose bytes this browser never had (no file for it) keeps only its name.
    const c = upload("cccccccccccccccccccccccc", "c.txt");
    await store.saveDraft(fields({ attachments: [b, c] }), uid);
    expect([...(await store.draftFiles(uid)).keys()]).toEqual([b.id]);

    const other = await store.saveDraft(fields({ attachments: [a] }), null, {
      files: new Map([[a.id, new Blob(["treći"])]]),
    });
    await store.removeDraft(uid);
    expect((await store.draftFiles(uid)).size).toBe(0);
    // Deleting a draft from the Drafts list discards its files too.
    expect(await (await store.draftFiles(other)).get(a.id)?.text()).toBe("treći");
    await store.remove([other]);
    expect((await store.draftFiles(other)).size).toBe(0);
  });

  it("reopens a draft with the kept bytes of only the files the gateway no longer holds", async () => {
    const store = freshStore();
    const upload = (id: string) =>
      ({ kind: "upload", id, filename: `${id}.txt`, contentType: "text/plain", size: 1 }) as const;
    const [held, gone] = [upload("heldheldheldheldheld"), upload("gonegonegonegonegone")];
    const uid = await store.saveDraft(fields({ attachments: [held, gone] }), null, {
      files: new Map([
        [held.id, new Blob(["h"])],
        [gone.id, new Blob(["g"])],
      ]),
    });
    const asked: string[][] = [];
    const again = await filesToUploadAgain(store, uid, (ids) => {
      asked.push(ids);
      return Promise.resolve([held.id]);
    });
    expect(asked).toEqual([[held.id, gone.id].sort()]);
    expect([...again.keys()]).toEqual([gone.id]);
    // Unanswered (no connection): every kept file goes up again rather than none.
    const offline = await filesToUploadAgain(store, uid, () => Promise.reject(new Error("offline")));
    expect([...offline.keys()].sort()).toEqual([held.id, gone.id].sort());
    expect((await filesToUploadAgain(store, "draft-none", noneHeld)).size).toBe(0);
    // The same through the draft store, which every reopening goes through (the draft list,
    // Undo send, the offer of an unsent message); a server draft's ref has none.
    const drafts = pop3DraftStore(store, () => Promise.resolve([held.id]));
    expect([...((await drafts.keptFiles?.(uid)) ?? new Map()).keys()]).toEqual([gone.id]);
    expect((await drafts.keptFiles?.(7))?.size).toBe(0);
  });

  it("keeps the draft when the sent copy could not be stored: it is then the one copy of what was sent", async () => {
    const store = freshStore();
    const drafts = pop3DraftStore(store, noneHeld);
    const saved = await drafts.save(emptyDraft(), fields(), null, none);
    store.storeSent = () => Promise.reject(new DOMException("full", "QuotaExceededError"));
    await expect(
      drafts.afterSend(
        { messageId: "<sent-2@pismo.test>", raw: toBase64(sentBytes), rejected: [] },
        saved?.ref ?? null,
      ),
    ).rejects.toThrow("full");
    expect((await store.list(DRAFTS)).map((m) => m.uid)).toEqual([saved?.ref]);
  });
});

describe("opensInCompose", () => {
  it("a search result opens by its own folder, not the one viewed", () => {
    // Drafts viewed, "in:all faktura": an Inbox result opens to be read (it did nothing).
    expect(opensInCompose({ folderId: INBOX }, DRAFTS)).toBe(false);
    // The Inbox viewed, "in:drafts": a draft opens in compose, to be finished.
    expect(opensInCompose({ folderId: DRAFTS }, INBOX)).toBe(true);
    // No search: the folder viewed says.
    expect(opensInCompose(undefined, DRAFTS)).toBe(true);
    expect(opensInCompose(undefined, SENT)).toBe(false);
  });
});
