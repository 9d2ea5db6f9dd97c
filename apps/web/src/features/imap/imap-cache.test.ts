import { QueryClient } from "@tanstack/react-query";
import { createTRPCClient } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { describe, expect, it } from "vitest";
import type { AppRouter } from "@pismo/protocol/router";
import type { Folder, ListWindow, MessageDetail, MessageSummary } from "@pismo/protocol/schemas";
import {
  applyFlagEvents,
  bumpUnread,
  dropRows,
  followWindowTotals,
  markLeaving,
  optimistically,
  patchRows,
  setCounts,
  uidValidityOf,
} from "./imap-cache";

// The cache edits against a real QueryClient and the app's query keys (no server: nothing is
// fetched, the client's link is never called).
function setup(rows: Array<{ uid: number; seen: boolean }>, unseen: number) {
  const qc = new QueryClient();
  const client = createTRPCClient<AppRouter>({ links: [] });
  const trpc = createTRPCOptionsProxy<AppRouter>({ client, queryClient: qc });
  const window: ListWindow = {
    folder: "INBOX",
    total: 1000,
    offset: 0,
    uidValidity: "1",
    messages: rows.map(
      (r) => ({ uid: r.uid, seen: r.seen, flagged: false, answered: false }) as MessageSummary,
    ),
  };
  qc.setQueryData(
    trpc.imap.list.queryKey({ folder: "INBOX", offset: 0, limit: 25, sort: "arrival" }),
    window,
  );
  qc.setQueryData(trpc.imap.folders.queryKey(), [{ path: "INBOX", unseen, messages: 1000 } as Folder]);
  // Only the fields the edit reads (the router's output type wants every field).
  const opened = { folder: "INBOX", uid: 2, seen: false, flagged: false } as MessageDetail;
  qc.setQueryData(trpc.imap.open.queryKey({ folder: "INBOX", uid: 2, peek: true }), opened as never);
  const rowsNow = () =>
    qc.getQueriesData<ListWindow>(trpc.imap.list.queryFilter({ folder: "INBOX" }))[0]?.[1]?.messages ?? [];
  const unseenNow = () => qc.getQueryData<Folder[]>(trpc.imap.folders.queryKey())?.[0]?.unseen;
  const detail = () =>
    qc.getQueryData<MessageDetail>(trpc.imap.open.queryKey({ folder: "INBOX", uid: 2, peek: true }));
  return { qc, trpc, rowsNow, unseenNow, detail };
}

/** Three rows, all read. */
const THREE_READ = [1, 2, 3].map((uid) => ({ uid, seen: true }));

const flags = (uid: number, seen: boolean, flagged = false) =>
  ({ type: "flags", folder: "INBOX", uid, seen, flagged, answered: false }) as const;

describe("the server's flag changes applied together", () => {
  it("patches the rows and the opened message, and counts unread from what the page held", () => {
    const s = setup(
      [
        { uid: 1, seen: false },
        { uid: 2, seen: false },
        { uid: 3, seen: true },
      ],
      10,
    );
    const unknown = applyFlagEvents(s.qc, s.trpc, [flags(1, true), flags(2, true), flags(3, true, true)]);
    expect(unknown).toBe(false);
    expect(s.rowsNow().map((m) => [m.uid, m.seen, m.flagged])).toEqual([
      [1, true, false],
      [2, true, false],
      [3, true, true],
    ]);
    expect(s.detail()?.seen).toBe(true);
    expect(s.unseenNow()).toBe(8);
  });

  it("follows one message changed twice in a batch, and asks for the tree for a row it never held", () => {
    const s = setup([{ uid: 1, seen: false }], 5);
    const unknown = applyFlagEvents(s.qc, s.trpc, [
      flags(1, true),
      flags(1, false),
      flags(1, true),
      flags(99, true),
    ]);
    expect(s.rowsNow()[0]?.seen).toBe(true);
    expect(s.unseenNow()).toBe(4);
    expect(unknown).toBe(true);
  });

  it("takes a whole folder's worth at once", () => {
    const s = setup(
      Array.from({ length: 25 }, (_, i) => ({ uid: i + 1, seen: false })),
      10_000,
    );
    const events = Array.from({ length: 10_000 }, (_, i) => flags(i + 1, true));
    applyFlagEvents(s.qc, s.trpc, events);
    expect(s.rowsNow().every((m) => m.seen)).toBe(true);
    expect(s.unseenNow()).toBe(10_000 - 25);
  });
});

describe("an optimistic change rolled back", () => {
  const listKey = (s: ReturnType<typeof setup>) =>
    s.trpc.imap.list.queryKey({ folder: "INBOX", offset: 0, limit: 25, sort: "arrival" });
  const totalNow = (s: ReturnType<typeof setup>) => s.qc.getQueryData<ListWindow>(listKey(s))?.total;
  const row = (uid: number, seen: boolean) =>
    ({ uid, seen, flagged: false, answered: false }) as MessageSummary;

  it("puts the moved rows back and keeps another message's flag pushed meanwhile", () => {
    const s = setup(
      [
        { uid: 3, seen: true },
        { uid: 2, seen: false },
        { uid: 1, seen: true },
      ],
      10,
    );
    const rollback = optimistically(s.qc, s.trpc, () => {
      bumpUnread(s.qc, s.trpc, "INBOX", -1);
      dropRows(s.qc, s.trpc, "INBOX", [2]);
    });
    expect(s.rowsNow().map((m) => m.uid)).toEqual([3, 1]);
    // Another device flags message 3 and reads one not loaded, as the events hook applies it.
    applyFlagEvents(s.qc, s.trpc, [flags(3, true, true)]);
    setCounts(s.qc, s.trpc, "INBOX", 1000, 8);
    rollback();
    expect(s.rowsNow().map((m) => [m.uid, m.seen, m.flagged])).toEqual([
      [3, true, true],
      [2, false, false],
      [1, true, false],
    ]);
    expect(totalNow(s)).toBe(1000);
    // The server's count, pushed after the change, stays (the tree is asked for again anyway).
    expect(s.unseenNow()).toBe(8);
  });

  it("turns back the acted-on flags only, and keeps new mail a refetch brought meanwhile", async () => {
    const s = setup(
      [
        { uid: 2, seen: false },
        { uid: 1, seen: false },
      ],
      10,
    );
    const rollback = optimistically(s.qc, s.trpc, () => {
      patchRows(s.qc, s.trpc, "INBOX", [2], { seen: true });
      bumpUnread(s.qc, s.trpc, "INBOX", -1);
    });
    // IDLE's EXISTS: the window is fetched again (the server applied the mark so far).
    await s.qc.fetchQuery({
      queryKey: listKey(s),
      queryFn: () =>
        ({
          folder: "INBOX",
          total: 1001,
          offset: 0,
          uidValidity: "1",
          messages: [row(9, false), row(2, true), row(1, false)],
        }) as ListWindow,
    });
    rollback();
    expect(s.rowsNow().map((m) => [m.uid, m.seen])).toEqual([
      [9, false],
      [2, false],
      [1, false],
    ]);
    expect(totalNow(s)).toBe(1001);
    expect(s.detail()?.seen).toBe(false);
    expect(s.unseenNow()).toBe(10);
  });

  it("with nothing in between, is the cache as it was", () => {
    const s = setup(
      [
        { uid: 2, seen: false },
        { uid: 1, seen: true },
      ],
      4,
    );
    const before = s.qc.getQueryData<ListWindow>(listKey(s));
    const rollback = optimistically(s.qc, s.trpc, () => {
      dropRows(s.qc, s.trpc, "INBOX", [1, 2]);
      setCounts(s.qc, s.trpc, "INBOX", 0, 0);
    });
    rollback();
    expect(s.qc.getQueryData<ListWindow>(listKey(s))).toEqual(before);
    expect(s.unseenNow()).toBe(4);
  });
});

describe("rows dropped at once by a move", () => {
  it("counts every moved message out of the folder's total, loaded or not (a whole folder selected)", () => {
    const s = setup(
      [
        { uid: 998, seen: true },
        { uid: 999, seen: true },
        { uid: 1000, seen: true },
      ],
      0,
    );
    const everyUid = Array.from({ length: 1000 }, (_, i) => i + 1);
    dropRows(s.qc, s.trpc, "INBOX", everyUid);
    const window = s.qc.getQueriesData<ListWindow>(s.trpc.imap.list.queryFilter({ folder: "INBOX" }))[0]?.[1];
    expect(window?.messages).toEqual([]);
    // Not 997: the list would keep room (placeholders) for rows the server is still moving.
    expect(window?.total).toBe(0);
  });

  it("counts a few moved messages once each", () => {
    const s = setup(
      [
        { uid: 1, seen: true },
        { uid: 2, seen: true },
      ],
      0,
    );
    dropRows(s.qc, s.trpc, "INBOX", [2, 2]);
    const window = s.qc.getQueriesData<ListWindow>(s.trpc.imap.list.queryFilter({ folder: "INBOX" }))[0]?.[1];
    expect(window?.messages.map((m) => m.uid)).toEqual([1]);
    expect(window?.total).toBe(999);
  });
});

describe("a refetch on its way when a change is made", () => {
  it("is dropped: its answer, read before the change, does not put a moved row back", async () => {
    const s = setup(THREE_READ, 0);
    const key = s.trpc.imap.list.queryKey({ folder: "INBOX", offset: 0, limit: 25, sort: "arrival" });
    const before = s.qc.getQueryData<ListWindow>(key)!;
    // The settle of an action a moment before: the server's answer still has uid 2.
    let answer: (w: ListWindow) => void = () => undefined;
    const refetch = s.qc.fetchQuery({
      queryKey: key,
      queryFn: () => new Promise<ListWindow>((resolve) => (answer = resolve)),
      staleTime: 0,
    });
    optimistically(s.qc, s.trpc, () => dropRows(s.qc, s.trpc, "INBOX", [2]));
    answer({ ...before });
    await refetch.catch(() => undefined);
    expect(s.rowsNow().map((m) => m.uid)).toEqual([1, 3]);
  });

  it("a window asked for after the change, answered before the server acted, leaves the rows out until the answer", async () => {
    const s = setup(THREE_READ, 0);
    const key = s.trpc.imap.list.queryKey({ folder: "INBOX", offset: 0, limit: 25, sort: "arrival" });
    const before = s.qc.getQueryData<ListWindow>(key)!;
    const stop = followWindowTotals(s.qc, s.trpc);
    optimistically(s.qc, s.trpc, () => dropRows(s.qc, s.trpc, "INBOX", [2, 9]));
    const release = markLeaving(s.qc, "INBOX", [2, 9]);
    // A push's refresh, sent after the delete and answered by a server that has not moved them
    // yet (with a new message, uid 4): the new one shows, 2 does not, and the total counts out
    // the one it lists (9 is on no page held).
    const fromServer = (w: ListWindow) => s.qc.fetchQuery({ queryKey: key, queryFn: () => w, staleTime: 0 });
    const early = {
      ...before,
      total: 1001,
      messages: [...before.messages, { ...before.messages[0]!, uid: 4 }],
    };
    await fromServer(early);
    expect(s.rowsNow().map((m) => m.uid)).toEqual([1, 3, 4]);
    expect(s.qc.getQueryData<ListWindow>(key)?.total).toBe(1000);
    // Another page, which lists none of them, is as the server sent it.
    const page2 = s.trpc.imap.list.queryKey({ folder: "INBOX", offset: 25, limit: 25, sort: "arrival" });
    await s.qc.fetchQuery({
      queryKey: page2,
      queryFn: () => ({ ...before, offset: 25, total: 1001, messages: [] }),
    });
    expect(s.qc.getQueryData<ListWindow>(page2)?.total).toBe(1001);
    // Answered (released twice: the refusal's path and the end both release): the server's
    // windows are taken as they are, 2 included if it is still there (the action refused).
    release();
    release();
    await fromServer(early);
    expect(s.rowsNow().map((m) => m.uid)).toEqual([1, 2, 3, 4]);
    // A second action on the same row, still under way, keeps it out after the first's answer.
    const first = markLeaving(s.qc, "INBOX", [2]);
    const second = markLeaving(s.qc, "INBOX", [2]);
    first();
    await fromServer(early);
    expect(s.rowsNow().map((m) => m.uid)).toEqual([1, 3, 4]);
    second();
    await fromServer(early);
    expect(s.rowsNow().map((m) => m.uid)).toEqual([1, 2, 3, 4]);
    stop();
  });
});

describe("the folder tree follows the windows fetched", () => {
  const listKey = (s: ReturnType<typeof setup>) =>
    s.trpc.imap.list.queryKey({ folder: "INBOX", offset: 0, limit: 25, sort: "arrival" });
  const fetched = (s: ReturnType<typeof setup>, total: number) =>
    s.qc.fetchQuery({
      queryKey: listKey(s),
      queryFn: () => ({ folder: "INBOX", total, offset: 0, uidValidity: "1", messages: [] }) as ListWindow,
    });
  const treeInvalidated = (s: ReturnType<typeof setup>) =>
    s.qc.getQueryState(s.trpc.imap.folders.queryKey())?.isInvalidated ?? false;
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

  it("asks for the tree again when a fetched window counts more messages than the tree", async () => {
    const s = setup([], 0);
    const stop = followWindowTotals(s.qc, s.trpc);
    await fetched(s, 1001);
    await tick();
    expect(treeInvalidated(s)).toBe(true);
    stop();
  });

  it("leaves the tree alone when the counts agree, and for the page's own edits", async () => {
    const s = setup([{ uid: 1, seen: true }], 0);
    const stop = followWindowTotals(s.qc, s.trpc);
    await fetched(s, 1000);
    dropRows(s.qc, s.trpc, "INBOX", [1]);
    await tick();
    expect(treeInvalidated(s)).toBe(false);
    stop();
    await fetched(s, 5);
    await tick();
    expect(treeInvalidated(s)).toBe(false);
  });

  it("marks the folder's other pages stale when a window comes with another total: their offsets are old", async () => {
    const s = setup([], 0);
    const page = (offset: number) =>
      s.trpc.imap.list.queryKey({ folder: "INBOX", offset, limit: 25, sort: "arrival" });
    const window = (offset: number, total: number) =>
      ({ folder: "INBOX", total, offset, uidValidity: "1", messages: [] }) as ListWindow;
    s.qc.setQueryData(page(25), window(25, 1000));
    s.qc.setQueryData(page(50), window(50, 1003));
    s.qc.setQueryData(s.trpc.imap.list.queryKey({ folder: "Work", offset: 25, limit: 25, sort: "arrival" }), {
      ...window(25, 7),
      folder: "Work",
    });
    const stale = (key: readonly unknown[]) => s.qc.getQueryState(key)?.isInvalidated ?? false;
    const stop = followWindowTotals(s.qc, s.trpc);
    await s.qc.fetchQuery({ queryKey: page(0), queryFn: () => window(0, 1003) });
    expect(stale(page(25))).toBe(true);
    // Fetched with the same total, and another folder's pages, stay as they are.
    expect(stale(page(50))).toBe(false);
    expect(stale(s.trpc.imap.list.queryKey({ folder: "Work", offset: 25, limit: 25, sort: "arrival" }))).toBe(
      false,
    );
    stop();
  });

  it("a window of another folder marks that folder's pages stale and leaves this one's alone", async () => {
    const s = setup([], 0);
    const page = (folder: string, offset: number) =>
      s.trpc.imap.list.queryKey({ folder, offset, limit: 25, sort: "arrival" });
    const window = (folder: string, offset: number, total: number) =>
      ({ folder, total, offset, uidValidity: "1", messages: [] }) as ListWindow;
    s.qc.setQueryData(page("INBOX", 25), window("INBOX", 25, 990));
    s.qc.setQueryData(page("Work", 25), window("Work", 25, 7));
    s.qc.setQueryData(page("Work/Old", 25), window("Work/Old", 25, 7));
    const stale = (key: readonly unknown[]) => s.qc.getQueryState(key)?.isInvalidated ?? false;
    const stop = followWindowTotals(s.qc, s.trpc);
    await s.qc.fetchQuery({ queryKey: page("Work", 0), queryFn: () => window("Work", 0, 9) });
    expect(stale(page("Work", 25))).toBe(true);
    // The Inbox's pages (whose totals differ too) and a folder inside Work are another folder's.
    expect(stale(page("INBOX", 0))).toBe(false);
    expect(stale(page("INBOX", 25))).toBe(false);
    expect(stale(page("Work/Old", 25))).toBe(false);
    stop();
  });
});

describe("a folder's UIDVALIDITY in the cache", () => {
  it("is what its windows were listed with, and a window with another drops the older rows", async () => {
    const s = setup([{ uid: 1, seen: false }], 0);
    const list = (folder: string, offset: number) =>
      s.trpc.imap.list.queryKey({ folder, offset, limit: 25, sort: "arrival" });
    const window = (folder: string, offset: number, uidValidity: string) =>
      ({ folder, total: 60, offset, uidValidity, messages: [] }) as ListWindow;
    const threads = s.trpc.imap.conversations.queryKey({ folder: "INBOX", offset: 0, limit: 50 });
    s.qc.setQueryData(list("INBOX", 25), window("INBOX", 25, "1"));
    s.qc.setQueryData(threads, { folder: "INBOX", total: 1, offset: 0, uidValidity: "1", rows: [] } as never);
    s.qc.setQueryData(list("Work", 0), window("Work", 0, "5"));
    expect(uidValidityOf(s.qc, s.trpc, "INBOX")).toBe("1");
    expect(uidValidityOf(s.qc, s.trpc, "Work")).toBe("5");
    expect(uidValidityOf(s.qc, s.trpc, "Never/Listed")).toBeUndefined();

    const verdict = (folder: string) => s.trpc.imap.verifySender.queryKey({ folder, uid: 2 });
    s.qc.setQueryData(verdict("INBOX"), { status: "verified", domain: "primer.rs" } as never);
    s.qc.setQueryData(verdict("Work"), { status: "verified", domain: "primer.rs" } as never);
    const workOpen = s.trpc.imap.open.queryKey({ folder: "Work", uid: 2, peek: true });
    s.qc.setQueryData(workOpen, { folder: "Work", uid: 2 } as never);
    const stop = followWindowTotals(s.qc, s.trpc);
    // A window with the same UIDVALIDITY leaves the opened message be.
    await s.qc.fetchQuery({ queryKey: list("INBOX", 75), queryFn: () => window("INBOX", 75, "1") });
    expect(s.detail()).toBeDefined();
    // The Inbox was made again elsewhere: its first window comes with UIDVALIDITY 2.
    await s.qc.fetchQuery({ queryKey: list("INBOX", 50), queryFn: () => window("INBOX", 50, "2") });
    // The rows listed with 1 are gone (the first window held uid 1), not only marked stale.
    expect(s.rowsNow()).toEqual([]);
    expect(s.qc.getQueryData(list("INBOX", 0))).toBeUndefined();
    expect(s.qc.getQueryData(list("INBOX", 25))).toBeUndefined();
    expect(s.qc.getQueryData(threads)).toBeUndefined();
    expect(uidValidityOf(s.qc, s.trpc, "INBOX")).toBe("2");
    // The message opened there, and its sender's check, named by a UID that is another's now.
    expect(s.detail()).toBeUndefined();
    expect(s.qc.getQueryData(verdict("INBOX"))).toBeUndefined();
    // Another folder's are left alone.
    expect(uidValidityOf(s.qc, s.trpc, "Work")).toBe("5");
    expect(s.qc.getQueryData(verdict("Work"))).toBeDefined();
    expect(s.qc.getQueryData(workOpen)).toBeDefined();
    stop();
  });
});
