"use client";

import { useQueries, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { ListSort, MessageSummary } from "@pismo/protocol/schemas";
import { useTRPC } from "@/trpc/client";
import { ROW_HEIGHT } from "../shared/message-grid";

export const PAGE_SIZE = 50;
/** The most rows one window may ask for (the list request's own limit). */
const MAX_WINDOW = 200;

/**
 * The rows of the first window: as many as a screen of this height shows (at least a page), so
 * that a tall first screen costs one request and one FETCH, not a window and part of another.
 */
export function firstWindowSize(screenHeight: number, rowHeight = ROW_HEIGHT, pageSize = PAGE_SIZE): number {
  return Math.min(MAX_WINDOW, Math.max(pageSize, Math.ceil(screenHeight / rowHeight)));
}

let firstRows: number | null = null;
/** This browser's first-window size, from the window's height when the mailbox first opened
 * (fixed after that: every view of a folder shares its first window, which carries the total). */
export function headSize(): number {
  firstRows ??= typeof window === "undefined" ? PAGE_SIZE : firstWindowSize(window.innerHeight);
  return firstRows;
}

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
  // (one FETCH): a folder not watched by IDLE may have changed meanwhile.
  const head = useQuery({
    ...trpc.imap.list.queryOptions({ folder, offset: 0, limit: headSize(), sort }),
    staleTime: 0,
    refetchOnMount: "always",
  });
  return head.data?.folder === folder ? head.data.total : 0;
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
  const pageOf = (row: number) => (row < head ? 0 : 1 + Math.floor((row - head) / pageSize));
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
