"use client";

import { hashKey, matchQuery, type QueryClient } from "@tanstack/react-query";
import type {
  ConversationWindow,
  Folder,
  ListWindow,
  MailEvent,
  MessageDetail,
  MessageSummary,
} from "@pismo/protocol/schemas";
import type { useTRPC } from "@/trpc/client";

type Trpc = ReturnType<typeof useTRPC>;

/** Edits every cached window of a folder's list in place: flag changes show at once, with no
 * refetch (the server's push is the truth, the cache follows it). */
export function patchRows(
  qc: QueryClient,
  trpc: Trpc,
  folder: string,
  uids: readonly number[],
  patch: Partial<MessageSummary>,
): void {
  const set = new Set(uids);
  qc.setQueriesData<ListWindow>(trpc.imap.list.queryFilter({ folder }), (window) =>
    window
      ? { ...window, messages: window.messages.map((m) => (set.has(m.uid) ? { ...m, ...patch } : m)) }
      : window,
  );
  // The opened messages once each, not a cache search per UID (a whole folder is 100,000).
  for (const [key, detail] of qc.getQueriesData<MessageDetail>(trpc.imap.open.pathFilter())) {
    if (!detail || detail.folder !== folder || !set.has(detail.uid)) continue;
    qc.setQueryData<MessageDetail>(key, {
      ...detail,
      ...("seen" in patch ? { seen: patch.seen ?? detail.seen } : {}),
      ...("flagged" in patch ? { flagged: patch.flagged ?? detail.flagged } : {}),
    });
  }
}

/** Removes rows from the cached windows (after a move or delete), until the refetch. */
export function dropRows(qc: QueryClient, trpc: Trpc, folder: string, uids: readonly number[]): void {
  const set = new Set(uids);
  qc.setQueriesData<ListWindow>(trpc.imap.list.queryFilter({ folder }), (window) =>
    window
      ? {
          ...window,
          // Every UID is the folder's, loaded or not (a whole folder selected holds far more
          // than the windows): counted only by the loaded rows, the list kept room for the
          // rest and showed placeholders until the server had moved them all.
          total: Math.max(0, window.total - set.size),
          messages: window.messages.filter((m) => !set.has(m.uid)),
        }
      : window,
  );
}

/**
 * The rows an action is taking out of each folder (a move, a delete), counted per action, until
 * its answer: a window fetched meanwhile can still list them. The gateway's IMAP connection takes
 * one command at a time, and a list asked for after the action (a push's refresh) can reach the
 * folder first: the action looks its target folder up before it takes the folder. That answer
 * put a deleted row back on screen until the action's own refresh, and the list's keys went to
 * it. Per query client (one per connection of the page).
 */
const leavingRows = new WeakMap<QueryClient, Map<string, Map<number, number>>>();

/** Marks `uids` as leaving `folder` until the returned release (idempotent) is called. */
export function markLeaving(qc: QueryClient, folder: string, uids: readonly number[]): () => void {
  let folders = leavingRows.get(qc);
  if (!folders) leavingRows.set(qc, (folders = new Map()));
  const leaving = folders.get(folder) ?? new Map<number, number>();
  folders.set(folder, leaving);
  for (const uid of uids) leaving.set(uid, (leaving.get(uid) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const uid of uids) {
      const left = (leaving.get(uid) ?? 1) - 1;
      if (left > 0) leaving.set(uid, left);
      else leaving.delete(uid);
    }
    if (leaving.size === 0 && folders.get(folder) === leaving) folders.delete(folder);
  };
}

/**
 * A fetched window without the rows still leaving its folder, or null when it lists none of them.
 * Its total counts out the ones it lists: those the server still held when it read it (an
 * action of many messages moves them in steps, so some may be gone already; one it does not
 * list may be anywhere, and a placeholder too many is better than a row hidden).
 */
function withoutLeaving(qc: QueryClient, window: ListWindow): ListWindow | null {
  const leaving = leavingRows.get(qc)?.get(window.folder);
  if (!leaving) return null;
  const messages = window.messages.filter((m) => !leaving.has(m.uid));
  if (messages.length === window.messages.length) return null;
  return {
    ...window,
    total: Math.max(0, window.total - (window.messages.length - messages.length)),
    messages,
  };
}

/** Empties the cached windows of a folder (Empty Trash), until the refetch. */
export function clearRows(qc: QueryClient, trpc: Trpc, folder: string): void {
  qc.setQueriesData<ListWindow>(trpc.imap.list.queryFilter({ folder }), (window) =>
    window ? { ...window, total: 0, messages: [] } : window,
  );
}

/** Changes a folder's unread count in the cached tree by delta. */
export function bumpUnread(qc: QueryClient, trpc: Trpc, folder: string, delta: number): void {
  qc.setQueryData<Folder[]>(trpc.imap.folders.queryKey(), (folders) =>
    folders?.map((f) => (f.path === folder ? { ...f, unseen: Math.max(0, f.unseen + delta) } : f)),
  );
}

export function setCounts(
  qc: QueryClient,
  trpc: Trpc,
  folder: string,
  messages: number,
  unseen: number,
): void {
  qc.setQueryData<Folder[]>(trpc.imap.folders.queryKey(), (folders) =>
    folders?.map((f) => (f.path === folder ? { ...f, messages, unseen } : f)),
  );
}

/**
 * Asks for the folder tree again when a fetched window of a folder counts another number of
 * messages than the tree shows: mail came to a folder IDLE was not on (or came during the
 * SELECT that moved IDLE to it), and the list's FETCH saw it before any push. Without this the
 * rows showed a new unread message and the folder "0 unread" until the next periodic
 * LIST-STATUS, up to 20 s later. The FETCH has brought the server's view of the folder up to
 * date, so the STATUS asked after it is current. Only fetched windows count: the page's own
 * edits (a move's rows dropped at once) change the tree themselves. A fetched window (of the
 * list or the conversations) also drops the folder's windows of another UIDVALIDITY
 * (`dropOtherUidValidity`). Returns the unsubscribe.
 */
export function followWindowTotals(qc: QueryClient, trpc: Trpc): () => void {
  const lists = trpc.imap.list.pathFilter();
  const conversations = trpc.imap.conversations.pathFilter();
  let asking = false;
  return qc.getQueryCache().subscribe((event) => {
    if (event.type !== "updated" || event.action.type !== "success" || event.action.manual) return;
    if (matchQuery(conversations, event.query)) {
      const window = event.action.data as ConversationWindow | undefined;
      if (window) dropOtherUidValidity(qc, trpc, window.folder, window.uidValidity);
      return;
    }
    if (!matchQuery(lists, event.query)) return;
    const window = event.action.data as ListWindow | undefined;
    const kept = window && withoutLeaving(qc, window);
    if (kept) {
      // Written before the observers are told (they are told at the end of the cache's batch):
      // the rows never show. Its total is a guess until the action's answer, whose refetch
      // follows: other pages and the tree are not compared with it.
      qc.setQueryData(event.query.queryKey, kept);
      dropOtherUidValidity(qc, trpc, kept.folder, kept.uidValidity);
      return;
    }
    if (window) dropOtherUidValidity(qc, trpc, window.folder, window.uidValidity);
    if (asking) return;
    if (window) staleOtherPages(qc, trpc, event.query.queryHash, window);
    const folder = qc
      .getQueryData<Folder[]>(trpc.imap.folders.queryKey())
      ?.find((f) => f.path === window?.folder);
    if (!window || !folder || folder.messages === window.total) return;
    // After what the same answer sets off (a push's refresh asks for the tree once its windows
    // are in): one request for the tree, not a second that cancels the first.
    asking = true;
    setTimeout(() => {
      asking = false;
      void qc.invalidateQueries(trpc.imap.folders.queryFilter(), { cancelRefetch: false });
    }, 0);
  });
}

/**
 * A folder's other cached pages, fetched when it held another number of messages (mail came,
 * went or was moved in since), hold their rows at old offsets: a few rows at each page's edge
 * would be missing or twice. They are marked stale, fetched again when shown. Only that folder's
 * queries are looked at (its path is in their key): every fetched window of every folder comes
 * through here.
 */
function staleOtherPages(qc: QueryClient, trpc: Trpc, fetchedHash: string, window: ListWindow): void {
  for (const query of qc.getQueryCache().findAll(trpc.imap.list.queryFilter({ folder: window.folder }))) {
    const other = query.state.data as ListWindow | undefined;
    if (query.queryHash === fetchedHash || query.state.isInvalidated || !other) continue;
    if (other.folder !== window.folder || other.total === window.total) continue;
    void qc.invalidateQueries({ queryKey: query.queryKey, exact: true }, { cancelRefetch: false });
  }
}

/**
 * The folder's UIDVALIDITY as its cached rows were listed with (the list's windows, else the
 * conversations'): what an action on those rows sends, so that a folder made again on another
 * device since is not acted on by the same UIDs, now other messages' (FOLDER_CHANGED). The cache
 * holds one at a time (`dropOtherUidValidity`). Undefined when no window of the folder is cached
 * (a search result in a folder not listed): the action then goes unchecked.
 */
export function uidValidityOf(qc: QueryClient, trpc: Trpc, folder: string): string | undefined {
  for (const [, window] of qc.getQueriesData<ListWindow>(trpc.imap.list.queryFilter({ folder })))
    if (window?.folder === folder) return window.uidValidity;
  for (const [, window] of qc.getQueriesData<ConversationWindow>(
    trpc.imap.conversations.queryFilter({ folder }),
  ))
    if (window?.folder === folder) return window.uidValidity;
  return undefined;
}

/**
 * A window of `folder` came with `uidValidity`: the folder's cached windows of another one
 * (it was deleted and made again, or renumbered, RFC 9051 §2.3.1.1) name other messages by
 * their UIDs. They are dropped, and fetched again where shown, not merely marked stale (their
 * rows would stay on screen until then, to be acted on).
 */
export function dropOtherUidValidity(qc: QueryClient, trpc: Trpc, folder: string, uidValidity: string): void {
  const cache = qc.getQueryCache();
  const queries = [
    ...cache.findAll(trpc.imap.list.queryFilter({ folder })),
    ...cache.findAll(trpc.imap.conversations.queryFilter({ folder })),
  ];
  let renumbered = false;
  for (const query of queries) {
    const window = query.state.data as { folder: string; uidValidity: string } | undefined;
    if (!window || window.folder !== folder || window.uidValidity === uidValidity) continue;
    renumbered = true;
    void qc.resetQueries({ queryKey: query.queryKey, exact: true });
  }
  // What is kept by folder and UID goes too: an opened message, its neighbours fetched ahead
  // and a sender's check would be shown for the message that has that UID now.
  if (!renumbered) return;
  void qc.resetQueries(trpc.imap.open.queryFilter({ folder }));
  void qc.resetQueries(trpc.imap.verifySender.queryFilter({ folder }));
}

/**
 * Makes an optimistic change (`change`: the edits above) and returns its rollback. The rollback
 * undoes only what the change did, on the cache as it is then: the rows it took out are put
 * back beside the rows they were listed with, and a field it set (a flag, a window's total, a
 * folder's counts) goes back only while it still holds the change's value. What came in
 * meanwhile stays: mail IDLE pushed, another device's flags, a window fetched again, the
 * server's counts. Before, the whole cache as it was before the change was written back, and
 * all that vanished until the next event. A window dropped since (another UIDVALIDITY, a reset)
 * stays dropped.
 */
export function optimistically(qc: QueryClient, trpc: Trpc, change: () => void): () => void {
  // A refetch already on its way (the settle of an action a moment before) answers with what
  // the server held before this change and would put it back: a message reported as spam
  // right after another was deleted showed again in the list until the next refetch, and the
  // list's keys (the next message after a delete) went to it. It is dropped, its window as
  // it was; this change's own settle fetches again. A window's first fetch is left to finish.
  void qc.cancelQueries({
    predicate: (q) =>
      q.state.fetchStatus === "fetching" &&
      q.state.data !== undefined &&
      [trpc.imap.list.pathFilter(), trpc.imap.folders.queryFilter()].some((f) => matchQuery(f, q)),
  });
  const read = () => ({
    lists: qc.getQueriesData<ListWindow>(trpc.imap.list.pathFilter()),
    details: qc.getQueriesData<MessageDetail>(trpc.imap.open.pathFilter()),
    folders: qc.getQueryData<Folder[]>(trpc.imap.folders.queryKey()),
  });
  const before = read();
  change();
  const after = read();
  return () => {
    // The change's edits make new objects only for what they change: the rest is passed over.
    const listsAfter = new Map(after.lists.map(([key, data]) => [hashKey(key), data]));
    for (const [key, was] of before.lists) {
      const set = listsAfter.get(hashKey(key));
      if (was && set && was !== set)
        qc.setQueryData<ListWindow>(key, (now) => now && undoWindow(now, was, set));
    }
    const detailsAfter = new Map(after.details.map(([key, data]) => [hashKey(key), data]));
    for (const [key, was] of before.details) {
      const set = detailsAfter.get(hashKey(key));
      if (was && set && was !== set)
        qc.setQueryData<MessageDetail>(key, (now) => now && undoFields(now, was, set));
    }
    const { folders: was } = before;
    const { folders: set } = after;
    if (was && set && was !== set)
      qc.setQueryData<Folder[]>(trpc.imap.folders.queryKey(), (now) => {
        if (!now) return now;
        const wasOf = new Map(was.map((f) => [f.path, f]));
        const setOf = new Map(set.map((f) => [f.path, f]));
        return now.map((f) => {
          const w = wasOf.get(f.path);
          const s = setOf.get(f.path);
          return w && s && w !== s ? undoFields(f, w, s) : f;
        });
      });
  };
}

/** The fields `set` changed from `was`, put back on `now` where `now` still holds `set`'s value. */
function undoFields<T extends object>(now: T, was: T, set: T): T {
  let out: T | null = null;
  for (const key of Object.keys(was) as Array<keyof T>) {
    if (was[key] === set[key] || now[key] !== set[key]) continue;
    out ??= { ...now };
    out[key] = was[key];
  }
  return out ?? now;
}

function undoWindow(now: ListWindow, was: ListWindow, set: ListWindow): ListWindow {
  // Fetched since with another UIDVALIDITY: the UIDs name other messages.
  if (now.uidValidity !== was.uidValidity) return now;
  const messages =
    now.messages === set.messages ? was.messages : undoRows(now.messages, was.messages, set.messages);
  // The rows apart, the window's own fields (its total) as any other.
  return { ...undoFields({ ...now, messages }, { ...was, messages }, { ...set, messages }), messages };
}

function undoRows(
  now: readonly MessageSummary[],
  was: readonly MessageSummary[],
  set: readonly MessageSummary[],
): MessageSummary[] {
  const wasOf = new Map(was.map((m) => [m.uid, m]));
  const setOf = new Map(set.map((m) => [m.uid, m]));
  const rows = now.map((m) => {
    const w = wasOf.get(m.uid);
    const s = setOf.get(m.uid);
    return w && s && w !== s ? undoFields(m, w, s) : m;
  });
  const shown = new Set(rows.map((m) => m.uid));
  const at = (uid: number | undefined) => (uid === undefined ? -1 : rows.findIndex((m) => m.uid === uid));
  was.forEach((m, i) => {
    // Taken out by the change, and not brought back since (a window fetched again holds it).
    if (setOf.has(m.uid) || shown.has(m.uid)) return;
    // Before the next row it was listed above (new mail that came above it stays above), else
    // after the last it was listed below, else at the end.
    let place = -1;
    for (let j = i + 1; place < 0 && j < was.length; j++) place = at(was[j]?.uid);
    for (let j = i - 1; place < 0 && j >= 0; j--) {
      const k = at(was[j]?.uid);
      if (k >= 0) place = k + 1;
    }
    rows.splice(place < 0 ? rows.length : place, 0, m);
    shown.add(m.uid);
  });
  return rows;
}

type FlagsEvent = Extract<MailEvent, { type: "flags" }>;

/**
 * Applies the server's flag changes, many at once: a whole folder marked read (10,000 FETCH
 * responses from the server) patches each cached window once per distinct change, not once per
 * message. The unread count follows each row's read state as this page knew it (the read
 * mark's own optimistic change gives 0, another device's ±1); a row this page never held asks
 * for the folder tree again, once for the batch. Returns whether the tree is to be fetched.
 */
export function applyFlagEvents(qc: QueryClient, trpc: Trpc, events: readonly FlagsEvent[]): boolean {
  // Each folder's rows as the page holds them, read from the cache once for the batch and kept
  // current through it (a message may change twice in one batch).
  const held = new Map<string, Map<number, boolean>>();
  const heldIn = (folder: string) => {
    let rows = held.get(folder);
    if (!rows) {
      rows = new Map();
      for (const [, window] of qc.getQueriesData<ListWindow>(trpc.imap.list.queryFilter({ folder })))
        for (const m of window?.messages ?? []) if (!rows.has(m.uid)) rows.set(m.uid, m.seen);
      held.set(folder, rows);
    }
    return rows;
  };
  const last = new Map<string, FlagsEvent>();
  const unread = new Map<string, number>();
  let unknown = false;
  for (const e of events) {
    const rows = heldIn(e.folder);
    const before = rows.get(e.uid);
    if (before === undefined) unknown = true;
    else {
      if (before !== e.seen) unread.set(e.folder, (unread.get(e.folder) ?? 0) + (e.seen ? -1 : 1));
      rows.set(e.uid, e.seen);
    }
    const key = `${e.folder}\u0000${e.uid}`;
    last.delete(key);
    last.set(key, e);
  }
  const groups = new Map<string, { folder: string; uids: number[]; patch: Partial<MessageSummary> }>();
  for (const e of last.values()) {
    const key = `${e.folder}\u0000${e.seen}\u0000${e.flagged}\u0000${e.answered}`;
    const group = groups.get(key) ?? {
      folder: e.folder,
      uids: [],
      patch: { seen: e.seen, flagged: e.flagged, answered: e.answered },
    };
    group.uids.push(e.uid);
    groups.set(key, group);
  }
  for (const g of groups.values()) patchRows(qc, trpc, g.folder, g.uids, g.patch);
  for (const [folder, delta] of unread) if (delta !== 0) bumpUnread(qc, trpc, folder, delta);
  return unknown;
}
