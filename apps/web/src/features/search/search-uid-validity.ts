import { matchQuery, type QueryClient } from "@tanstack/react-query";
import type { SearchRow } from "@pismo/protocol/schemas";
import { errorCodeOf } from "@/lib/errors";
import type { useTRPC } from "@/trpc/client";
import type { SearchRef } from "./use-imap-search";

type Trpc = ReturnType<typeof useTRPC>;

/**
 * A search result's UID names a message only together with the UIDVALIDITY its folder was
 * searched under (RFC 9051 §2.3.1.1): a folder deleted and made again on another device gives
 * the same UIDs to other messages. The search keeps it per folder (each answer of a folder
 * replaces the folder's results whole, so a folder's results never mix two), its rows carry the
 * one they were read under, and actions on results name it.
 */

export const refKey = (r: SearchRef): string => `${r.folder}\u0000${r.uid}`;

/** One folder's answer. */
export interface FolderHits {
  /** Newest first. */
  uids: number[];
  /** Parallel to uids; empty when only one folder is searched. */
  dates: number[];
  /** The folder's UIDVALIDITY the uids were searched under. */
  uidValidity: string;
}

/** The rows streamed so far with `rows` added, less the folder's rows read under another UIDVALIDITY. */
export function withRows(
  streamed: ReadonlyMap<string, SearchRow>,
  folder: string,
  uidValidity: string,
  rows: readonly SearchRow[],
): Map<string, SearchRow> {
  const next = new Map([...streamed].filter(([, r]) => r.folder !== folder || r.uidValidity === uidValidity));
  for (const row of rows)
    if (row.folder === folder && row.uidValidity === uidValidity) next.set(refKey(row), row);
  return next;
}

/**
 * The search's state without a folder's results: the folder was found renumbered (made again
 * on another device), so their UIDs name other messages now. Its rows and the UIDs marked
 * expunged go with them.
 */
export function withoutFolder<
  S extends {
    hits: ReadonlyMap<string, FolderHits>;
    streamed: ReadonlyMap<string, SearchRow>;
    gone: ReadonlySet<string>;
  },
>(s: S, folder: string): S {
  const mine = (key: string) => key.startsWith(`${folder}\u0000`);
  const hits = new Map(s.hits);
  hits.delete(folder);
  return {
    ...s,
    hits,
    streamed: new Map([...s.streamed].filter(([key]) => !mine(key))),
    gone: new Set([...s.gone].filter((key) => !mine(key))),
  };
}

/** What one IMAP command of an action on search results names: one folder's UIDs. */
export interface SearchActionGroup {
  folder: string;
  uids: number[];
  /** The UIDVALIDITY the folder's results were searched under (FOLDER_CHANGED if it is not the folder's now). */
  uidValidity: string;
}

/**
 * The results acted on, by folder (IMAP acts on one folder per command), each folder's UIDs with
 * the UIDVALIDITY its results were searched under (`uidValidities`), not the one of the folder's
 * cached list windows. A folder the search has no UIDVALIDITY for (its results were dropped, found
 * renumbered, while the ref was still ticked or open) is left out: its UIDs are not known to name
 * the messages shown.
 */
export function searchActionGroups(
  refs: readonly SearchRef[],
  uidValidities: ReadonlyMap<string, string>,
): SearchActionGroup[] {
  const groups = new Map<string, SearchActionGroup>();
  for (const { folder, uid } of refs) {
    const uidValidity = uidValidities.get(folder);
    if (uidValidity === undefined) continue;
    const group = groups.get(folder);
    if (group) group.uids.push(uid);
    else groups.set(folder, { folder, uids: [uid], uidValidity });
  }
  return [...groups.values()];
}

/**
 * Tells `onRenumbered` of a searched folder found renumbered (made again on another device)
 * since its results were searched (`searchedWith`: the UIDVALIDITY they were searched under,
 * undefined for a folder without results): a list or conversation window, or a window of result
 * rows, fetched under another UIDVALIDITY, or an action on the folder refused with FOLDER_CHANGED
 * (whichever list or search it was asked from). Returns the unsubscribe.
 */
export function followRenumbered(
  qc: QueryClient,
  trpc: Trpc,
  searchedWith: (folder: string) => string | undefined,
  onRenumbered: (folder: string) => void,
): () => void {
  const windows = [trpc.imap.list.pathFilter(), trpc.imap.conversations.pathFilter()];
  const resultRows = trpc.imap.searchRows.pathFilter();
  const stopQueries = qc.getQueryCache().subscribe((event) => {
    // Only what the server answered: the page's own edits of a window keep its UIDVALIDITY, which
    // may be older than the search's (a cached window that the folder made again left stale).
    if (event.type !== "updated" || event.action.type !== "success" || event.action.manual) return;
    const data = event.action.data as unknown;
    const read: ReadonlyArray<{ folder: string; uidValidity: string }> = matchQuery(resultRows, event.query)
      ? ((data as SearchRow[] | undefined) ?? [])
      : data && windows.some((filter) => matchQuery(filter, event.query))
        ? [data as { folder: string; uidValidity: string }]
        : [];
    const found = new Set<string>();
    for (const { folder, uidValidity } of read) {
      const searched = searchedWith(folder);
      if (searched !== undefined && searched !== uidValidity) found.add(folder);
    }
    for (const folder of found) onRenumbered(folder);
  });
  const stopMutations = qc.getMutationCache().subscribe((event) => {
    if (event.type !== "updated" || event.action.type !== "error") return;
    if (errorCodeOf(event.action.error) !== "FOLDER_CHANGED") return;
    const folder = (event.mutation.state.variables as { folder?: unknown } | undefined)?.folder;
    if (typeof folder === "string" && searchedWith(folder) !== undefined) onRenumbered(folder);
  });
  return () => {
    stopQueries();
    stopMutations();
  };
}
