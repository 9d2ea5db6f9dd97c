"use client";

import { useQueries } from "@tanstack/react-query";
import { useMemo, type RefObject } from "react";
import { useTranslation } from "@/i18n/react";
import { SEARCH_FIRST_ROWS, type SearchRow } from "@pismo/protocol/schemas";
import { formatListDate } from "@pismo/protocol/format";
import { localeOf } from "@/i18n";
import { useTRPC } from "@/trpc/client";
import { MessageGridRow, SelectAllBar, dragImapMessages, onGridKeyDown } from "../shared/message-grid";
import { isCursorRow, moveFrom, stepFromCursor, useListCursor } from "../shared/use-list-cursor";
import { useAdvanceHandle, type AdvanceFrom } from "../actions/after-acting";
import { VirtualGrid, useVirtualRows } from "../shared/virtual-grid";
import { senderName } from "../shared/display-message";
import { SearchEmpty, SearchStatus } from "./search-status";
import { refKey, type ImapSearchResults, type SearchRef } from "./use-imap-search";

export { refKey };

/** A result row's `data-message-id`. */
const rowId = (r: SearchRef): string => `${r.folder}/${r.uid}`;

/** A window of results asked for at once: the size of the first one the search streams. */
const PAGE = SEARCH_FIRST_ROWS;

/**
 * The rows of the results on screen, a window of 50 (folder, uid) pairs at a time. Rows the
 * search streamed with its first matches are shown at once and stand for their window's
 * answer (until a change of flags makes it stale), so that window is not fetched again. A row
 * read under another UIDVALIDITY than its folder was searched under is another message (the
 * folder was made again since: the search drops and searches it again) and is not shown.
 */
function useResultRows(
  refs: readonly SearchRef[],
  streamed: ReadonlyMap<string, SearchRow>,
  uidValidities: ReadonlyMap<string, string>,
  start: number,
  end: number,
): Map<string, SearchRow> {
  const trpc = useTRPC();
  const pages = useMemo(() => {
    const list: SearchRef[][] = [];
    for (let p = Math.floor(start / PAGE); p <= Math.floor((end + 10) / PAGE); p++) {
      const page = refs.slice(p * PAGE, (p + 1) * PAGE);
      if (page.length > 0) list.push(page);
    }
    return list;
  }, [refs, start, end]);
  const results = useQueries({
    queries: pages.map((page) => {
      const known = page.map((ref) => streamed.get(refKey(ref)));
      const initial = known.every((row) => row !== undefined) ? (known as SearchRow[]) : undefined;
      return {
        ...trpc.imap.searchRows.queryOptions({ refs: page }),
        staleTime: 60_000,
        placeholderData: (previous: SearchRow[] | undefined) => previous,
        ...(initial ? { initialData: initial } : {}),
      };
    }),
  });
  const rows = new Map(streamed);
  for (const r of results)
    for (const row of r.data ?? [])
      if (row.uidValidity === uidValidities.get(row.folder)) rows.set(refKey(row), row);
  return rows;
}

/**
 * Search results in the same `Messages` grid as a folder: windowed, newest first, each row
 * openable and selectable, with the same keys. Above it, the status: the count and where, or
 * how many folders are done, with Stop.
 */
export function ImapSearchList({
  results,
  query,
  scope,
  folderLabel,
  openRef,
  checked,
  onOpen,
  onToggle,
  onToggleAll,
  onSelectRange,
  onDelete,
  advanceRef,
}: {
  results: ImapSearchResults;
  query: string;
  /** Where was searched, for the status and the empty state. */
  scope: string;
  folderLabel: (path: string) => string;
  openRef: SearchRef | null;
  checked: ReadonlySet<string>;
  onOpen: (ref: SearchRef, neighbours: { prev: number | null; next: number | null }) => void;
  onToggle: (key: string) => void;
  onToggleAll: (keys: string[], on: boolean) => void;
  /** Adds these results (by refKey) to the selection (a Shift-click's range). */
  onSelectRange: (keys: string[]) => void;
  onDelete: () => void;
  /** Where the list hands the app its way on to the next result (after the open one is deleted). */
  advanceRef?: RefObject<AdvanceFrom | null>;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const { refs } = results;
  const several = results.folders.length > 1;
  const grid = useVirtualRows(refs.length, query);
  const { virtual } = grid;
  const items = virtual.getVirtualItems();
  const start = items[0]?.index ?? 0;
  const end = items[items.length - 1]?.index ?? 30;
  const rows = useResultRows(refs, results.streamed, results.uidValidities, start, Math.max(end, 30));

  const openKey = openRef ? refKey(openRef) : null;
  const neighbours = (ref: SearchRef) => {
    const i = refs.findIndex((r) => refKey(r) === refKey(ref));
    const same = (r: SearchRef | undefined) => (r && r.folder === ref.folder ? r.uid : null);
    return { prev: same(refs[i - 1]), next: same(refs[i + 1]) };
  };
  const placeOf = (key: string | null) => (key === null ? -1 : refs.findIndex((r) => refKey(r) === key));
  const cursor = useListCursor(openKey, placeOf(openKey));
  const cursorFound = placeOf(cursor.id);
  const move = (delta: number) => {
    const i = moveFrom(cursor, cursorFound, delta);
    const target = refs[Math.min(refs.length - 1, Math.max(0, i + delta))];
    if (!target) return;
    onOpen(target, neighbours(target));
    virtual.scrollToIndex(refs.indexOf(target));
  };
  // The open result deleted or moved from the reading pane: the one beside it opens in its place.
  useAdvanceHandle(advanceRef, (delta) => {
    if (openKey === null) return false;
    const step = stepFromCursor(cursor, placeOf(openKey), delta, refs.length);
    const target = step && refs[step.target];
    if (!step || !target) return false;
    const same = (r: SearchRef | undefined) => (r && r.folder === target.folder ? r.uid : null);
    onOpen(target, { prev: same(refs[step.prev]), next: same(refs[step.next]) });
    virtual.scrollToIndex(step.place);
    return true;
  });
  const loaded = [...rows.keys()];
  const allChecked = loaded.length > 0 && loaded.every((k) => checked.has(k));

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <SearchStatus
        count={refs.length}
        scope={scope}
        running={results.running}
        stopped={results.stopped}
        searched={results.searched}
        total={results.folders.length}
        onStop={results.stop}
        problems={results.folderErrors.map((e) =>
          t("search.folderFailed", { folder: folderLabel(e.folder), reason: e.message }),
        )}
      />
      <SelectAllBar
        allChecked={allChecked}
        selected={checked.size}
        onToggleAll={(on) => onToggleAll(loaded, on)}
      />
      <VirtualGrid
        rows={grid}
        rowCount={refs.length}
        busy={results.running}
        empty={!results.running && refs.length === 0}
        emptyNote={<SearchEmpty query={query} scope={scope} />}
        onKeyDown={(e) => onGridKeyDown(e, { move, onDelete, openId: openKey, onToggle })}
        onSelectRange={(ids) => {
          const picked = new Set(ids);
          onSelectRange(refs.filter((r) => picked.has(rowId(r))).map(refKey));
        }}
        renderRow={(index, place) => {
          const ref = refs[index];
          const m = ref ? rows.get(refKey(ref)) : undefined;
          if (!ref || !m) return null;
          const k = refKey(ref);
          return (
            <MessageGridRow
              key={k}
              id={rowId(ref)}
              m={m}
              index={index}
              active={k === openKey}
              cursor={isCursorRow(cursor, openKey, cursorFound, { id: k, index }, refs.length)}
              checked={checked.has(k)}
              who={senderName(m.from) || t("mail.unknownSender")}
              subject={m.subject || t("mail.noSubject")}
              date={formatListDate(m.date, locale)}
              // Across folders, each row says where it is (in the place the size takes).
              {...(several ? { size: folderLabel(ref.folder) } : {})}
              onOpen={() => onOpen(ref, neighbours(ref))}
              onToggle={() => onToggle(k)}
              onDragStart={(e) =>
                dragImapMessages(e, ref.folder, [ref.uid], results.uidValidities.get(ref.folder))
              }
              className={place.className}
              style={place.style}
            />
          );
        }}
      />
    </div>
  );
}
