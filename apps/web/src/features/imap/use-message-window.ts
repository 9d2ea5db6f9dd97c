"use client";

import { useQueries, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { ListSort, MessageSummary } from "@pismo/protocol/schemas";
import { useTRPC } from "@/trpc/client";

export const PAGE_SIZE = 50;

/** The folder's message count, from the first window (which every view fetches anyway). */
export function useFolderTotal(folder: string, sort: ListSort): number {
  const trpc = useTRPC();
  // Opening a folder shows what is cached at once and refreshes the first window behind it
  // (one FETCH): a folder not watched by IDLE may have changed meanwhile.
  const head = useQuery({
    ...trpc.imap.list.queryOptions({ folder, offset: 0, limit: PAGE_SIZE, sort }),
    staleTime: 0,
    refetchOnMount: "always",
  });
  return head.data?.folder === folder ? head.data.total : 0;
}

/**
 * The windows (page numbers) a list fetches for the rows on screen: always the first (it
 * carries the total), the ones the screen shows, and the next once the screen comes within 10
 * rows of it as the reader scrolls. At the top, only what the screen shows: a first screen of
 * up to one window costs exactly one request.
 */
export function windowPages(visibleStart: number, visibleEnd: number, pageSize: number): number[] {
  const first = Math.floor(visibleStart / pageSize);
  const last = Math.floor((visibleStart === 0 ? visibleEnd : visibleEnd + 10) / pageSize);
  const list = [0];
  for (let p = Math.max(1, first); p <= last; p++) list.push(p);
  return list;
}

/**
 * The rows of a folder, fetched a window of 50 at a time for what is on screen (plus one
 * window ahead), never the whole folder: opening a 100,000-message folder costs the same as
 * opening a 100-message one.
 */
export function useMessageWindow(folder: string, sort: ListSort, visibleStart: number, visibleEnd: number) {
  const trpc = useTRPC();
  const pages = useMemo(() => windowPages(visibleStart, visibleEnd, PAGE_SIZE), [visibleStart, visibleEnd]);

  const results = useQueries({
    queries: pages.map((page) => ({
      ...trpc.imap.list.queryOptions({ folder, offset: page * PAGE_SIZE, limit: PAGE_SIZE, sort }),
      staleTime: 5 * 60_000,
    })),
  });

  const head = results[0];
  const sameFolder = head?.data?.folder === folder;
  const total = sameFolder ? (head?.data?.total ?? 0) : 0;
  const rows = new Map<number, MessageSummary>();
  results.forEach((r) => {
    if (!r.data || r.data.folder !== folder) return;
    r.data.messages.forEach((m, i) => rows.set(r.data.offset + i, m));
  });
  return {
    total,
    rows,
    isLoading: head?.isPending ?? true,
    error: head?.error ?? null,
    isStale: !sameFolder,
  };
}
