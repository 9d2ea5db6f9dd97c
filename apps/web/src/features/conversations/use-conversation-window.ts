"use client";

import { useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useSyncExternalStore } from "react";
import type { Conversation, ConversationWindow } from "@pismo/protocol/schemas";
import { useTRPC } from "@/trpc/client";
import { unlessJustFetched, windowPages } from "../imap/use-message-window";
import { CONVERSATION_PAGE } from "./conversation-mode";

export { CONVERSATION_PAGE };

/** The folder's conversation count, from the first window (refetched on every visit, unless
 * it was fetched a moment ago: the sign-in's answer carried it). */
export function useConversationTotal(folder: string): number {
  const trpc = useTRPC();
  const head = useQuery({
    ...trpc.imap.conversations.queryOptions({ folder, offset: 0, limit: CONVERSATION_PAGE }),
    staleTime: 0,
    refetchOnMount: unlessJustFetched,
  });
  return head.data?.folder === folder ? head.data.total : 0;
}

/** The conversations on screen, fetched 50 at a time like the message list's windows. */
export function useConversationWindow(folder: string, visibleStart: number, visibleEnd: number) {
  const trpc = useTRPC();
  const pages = useMemo(
    () => windowPages(visibleStart, visibleEnd, CONVERSATION_PAGE),
    [visibleStart, visibleEnd],
  );
  const results = useQueries({
    queries: pages.map((page) => ({
      ...trpc.imap.conversations.queryOptions({
        folder,
        offset: page * CONVERSATION_PAGE,
        limit: CONVERSATION_PAGE,
      }),
      staleTime: 5 * 60_000,
    })),
  });
  const head = results[0];
  const sameFolder = head?.data?.folder === folder;
  const rows = new Map<number, Conversation>();
  results.forEach((r) => {
    if (!r.data || r.data.folder !== folder) return;
    r.data.rows.forEach((c, i) => rows.set(r.data.offset + i, c));
  });
  return { rows, isLoading: head?.isPending ?? true, isStale: !sameFolder };
}

/**
 * The open conversation as the latest cached window has it (a reply delivered meanwhile joins
 * it), or the row it was opened from while no window holds it.
 */
export function useCachedConversation(folder: string, opened: Conversation): Conversation {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const find = () => {
    for (const [, window] of qc.getQueriesData<ConversationWindow>(
      trpc.imap.conversations.queryFilter({ folder }),
    )) {
      const hit = window?.rows.find((r) => r.key === opened.key);
      if (hit) return hit;
    }
    return opened;
  };
  const subscribe = useCallback((onChange: () => void) => qc.getQueryCache().subscribe(onChange), [qc]);
  // find() returns the cached object itself, so the snapshot only changes when the row does.
  const current = useSyncExternalStore(subscribe, find, () => opened);
  return current;
}
