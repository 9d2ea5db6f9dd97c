"use client";

import { useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import type { ListSort, MessageSummary } from "@pismo/protocol/schemas";
import { useTRPC } from "@/trpc/client";
import { headSize, PAGE_ROWS } from "./first-window";

export { firstWindowSize, headSize } from "./first-window";

export const PAGE_SIZE = PAGE_ROWS;
/** A first window fetched this recently (by the sign-in itself) is not fetched again on mount. */
const JUST_FETCHED_MS = 3_000;
/** Where page `page` starts and how many rows it asks for, the first page being `head` rows. */
export function pageRange(
  page: number,
  pageSize: number,
  head = pageSize,
): { offset: number; limit: number } {
  return page === 0 ? { offset: 0, limit: head } : { offset: head + (page - 1) * pageSize, limit: pageSize };
}

/** The folder's message count, from the first window (which every view fetches anyway). */
export function useFolderTotal(folder: string, sort: ListSort): number {
  const trpc = useTRPC();
  // Opening a folder shows what is cached at once and refreshes the first window behind it
  // (one FETCH; useRefreshFolder, asked by the folder's press or its opening): a folder not
  // watched by IDLE may have changed meanwhile. Not again when it was fetched a moment ago (that
  // refresh, or the sign-in's answer): one FETCH too many. The stale time says it both for a
  // mount and for a list that stays mounted and is given another folder.
  const head = useQuery({
    ...trpc.imap.list.queryOptions({ folder, offset: 0, limit: headSize(), sort }),
    staleTime: JUST_FETCHED_MS,
  });
  return head.data?.folder === folder ? head.data.total : 0;
}

/** `refetchOnMount` for a folder's first window: always, unless it was fetched a moment ago. */
export function unlessJustFetched(query: { state: { dataUpdatedAt: number } }): boolean | "always" {
  return Date.now() - query.state.dataUpdatedAt < JUST_FETCHED_MS ? false : "always";
}

/**
 * Asks for a folder's first window again (the one useFolderTotal and the list ask for, same
 * key), before the folder is shown: when its button is pressed, so the request is on its way
 * before the click, or when it is opened otherwise. Opening a folder always refreshes it (a
 * folder not under IDLE may have changed since; a message delivered while IDLE moves to it is
 * counted by the SELECT and announced by nothing else); a request already on its way is
 * shared. `cached`: the folder has rows to show meanwhile.
 */
export function useRefreshFolder(): (
  folder: string,
  sort: ListSort,
) => { rows: Promise<void>; cached: boolean } {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return useCallback(
    (folder: string, sort: ListSort) => {
      const options = trpc.imap.list.queryOptions({ folder, offset: 0, limit: headSize(), sort });
      const cached = qc.getQueryData(options.queryKey) !== undefined;
      return { rows: qc.prefetchQuery({ ...options, staleTime: 0 }), cached };
    },
    [qc, trpc],
  );
}

/** The window (page number) that holds row `row`, the first window being `head` rows. */
export function pageOfRow(row: number, pageSize: number, head = pageSize): number {
  return row < head ? 0 : 1 + Math.floor((row - head) / pageSize);
}

/**
 * The windows (page numbers) a list fetches for the rows on screen: always the first (it
 * carries the total; `head` rows, the others `pageSize`), the ones the screen shows, and the
 * next once the screen comes within 10 rows of it as the reader scrolls. At the top, only what
 * the screen shows: a first screen of up to one window costs exactly one request.
 */
export function windowPages(
  visibleStart: number,
  visibleEnd: number,
  pageSize: number,
  head = pageSize,
): number[] {
  const pageOf = (row: number) => pageOfRow(row, pageSize, head);
  const first = pageOf(visibleStart);
  const last = pageOf(visibleStart === 0 ? visibleEnd : visibleEnd + 10);
  const list = [0];
  for (let p = Math.max(1, first); p <= last; p++) list.push(p);
  return list;
}

/**
 * The rows of a folder, fetched a window at a time for what is on screen (plus one window
 * ahead; the first sized to the screen, the others 50), never the whole folder: opening a
 * 100,000-message folder costs the same as opening a 100-message one.
 */
export function useMessageWindow(folder: string, sort: ListSort, visibleStart: number, visibleEnd: number) {
  const trpc = useTRPC();
  const headRows = headSize();
  const pages = useMemo(
    () => windowPages(visibleStart, visibleEnd, PAGE_SIZE, headRows),
    [visibleStart, visibleEnd, headRows],
  );

  const results = useQueries({
    queries: pages.map((page) => ({
      ...trpc.imap.list.queryOptions({ folder, ...pageRange(page, PAGE_SIZE, headRows), sort }),
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
