"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import type { ListWindow } from "@pismo/protocol/schemas";
import type { SearchQuery } from "@pismo/protocol/search";
import { useTRPC } from "@/trpc/client";
import {
  knownResults,
  newestCachedRows,
  newestCachedUidValidity,
  noKnownResults,
  type CachedWindow,
  type KnownResults,
} from "./known-results";
import { refKey } from "./use-imap-search";

/**
 * A search's first results from the current folder's list rows already in the page (see
 * `knownResults`), read once when the search starts: they are on screen in the frame after
 * the Enter key, while the server searches.
 */
export function useKnownResults(
  search: { key: string; query: SearchQuery } | null,
  currentFolder: string,
  fuzzy: boolean,
): KnownResults {
  const qc = useQueryClient();
  const trpc = useTRPC();
  const key = search?.key ?? null;
  return useMemo(() => {
    if (!search) return noKnownResults;
    const windows: CachedWindow[] = qc
      .getQueryCache()
      .findAll(trpc.imap.list.queryFilter({ folder: currentFolder }))
      .flatMap((q) => {
        const input = (q.queryKey[1] as { input?: { sort?: string } } | undefined)?.input;
        const data = q.state.data as ListWindow | undefined;
        // Only the arrival order is the order of search results.
        if (!data || (input?.sort ?? "arrival") !== "arrival") return [];
        return [{ window: data, stale: q.state.isInvalidated }];
      });
    const rows = newestCachedRows(currentFolder, windows);
    const uidValidity = newestCachedUidValidity(currentFolder, windows);
    return knownResults(search.query, currentFolder, rows, { fuzzy, key: refKey, uidValidity });
    // One reading per search: `key` names it (its text, clock and folder).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}
