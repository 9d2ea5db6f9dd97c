"use client";

import type { QueryClient } from "@tanstack/react-query";
import type { Folder, ListWindow, MessageDetail, MessageSummary } from "@pismo/protocol/schemas";
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
  for (const uid of uids) {
    qc.setQueriesData<MessageDetail>(trpc.imap.open.queryFilter({ folder, uid }), (detail) =>
      detail
        ? {
            ...detail,
            ...("seen" in patch ? { seen: patch.seen ?? detail.seen } : {}),
            ...("flagged" in patch ? { flagged: patch.flagged ?? detail.flagged } : {}),
          }
        : detail,
    );
  }
}

/** A message's read state in the cached list windows, or undefined when none holds it. */
export function seenInCache(qc: QueryClient, trpc: Trpc, folder: string, uid: number): boolean | undefined {
  for (const [, window] of qc.getQueriesData<ListWindow>(trpc.imap.list.queryFilter({ folder }))) {
    const row = window?.messages.find((m) => m.uid === uid);
    if (row) return row.seen;
  }
  return undefined;
}

/** Removes rows from the cached windows (after a move or delete), until the refetch. */
export function dropRows(qc: QueryClient, trpc: Trpc, folder: string, uids: readonly number[]): void {
  const set = new Set(uids);
  qc.setQueriesData<ListWindow>(trpc.imap.list.queryFilter({ folder }), (window) =>
    window
      ? {
          ...window,
          total: Math.max(0, window.total - window.messages.filter((m) => set.has(m.uid)).length),
          messages: window.messages.filter((m) => !set.has(m.uid)),
        }
      : window,
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

/** Snapshot of every cached list window and detail, to roll back an optimistic change. */
export function snapshot(qc: QueryClient, trpc: Trpc) {
  const lists = qc.getQueriesData<ListWindow>(trpc.imap.list.pathFilter());
  const details = qc.getQueriesData<MessageDetail>(trpc.imap.open.pathFilter());
  const folders = qc.getQueryData<Folder[]>(trpc.imap.folders.queryKey());
  return () => {
    for (const [key, data] of lists) qc.setQueryData(key, data);
    for (const [key, data] of details) qc.setQueryData(key, data);
    qc.setQueryData(trpc.imap.folders.queryKey(), folders);
  };
}
