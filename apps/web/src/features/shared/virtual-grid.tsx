"use client";

import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import { useTranslation } from "@/i18n/react";
import { PlaceholderRow, ROW_HEIGHT } from "./message-grid";
import { OVERSCAN, rowsInView, windowOf, type RowWindow } from "./row-window";
import { afterPaint } from "@/lib/after-shown";

/** Each grid's Shift-click range selection, by its element (see `selectRangeIn`). */
const rangeSelectors = new WeakMap<Element, (messageIds: string[]) => void>();

/**
 * Adds the rows with these `data-message-id`s to the selection of the list `grid` shows, and says
 * whether that list selects ranges (a conversation list does not). Each list knows its own ids: a
 * folder's UIDs, search results' folder and UID, a POP3 message's UIDL.
 */
export function selectRangeIn(grid: Element, messageIds: string[]): boolean {
  const select = rangeSelectors.get(grid);
  select?.(messageIds);
  return select !== undefined;
}

export interface VirtualRows {
  scrollRef: (element: HTMLDivElement | null) => void;
  /** The scroll box, once it is in the page (the grid element). */
  box: HTMLDivElement | null;
  virtual: RowWindow;
}

// The virtualised `Messages` grid of the IMAP lists (a folder's messages, its conversations,
// search results) and of a POP3 folder or search: only the rows near the view are in the
// page, each at its offset.

/**
 * `count` rows of ROW_HEIGHT in a scroll box, with OVERSCAN rendered beyond each edge of the
 * view. `view` names what the rows are (a folder and its order, a query): another one starts
 * at the top. The list renders again only when the rows in the view change, not per scroll event.
 */
export function useVirtualRows(count: number, view: string): VirtualRows {
  const [box, setBox] = useState<HTMLDivElement | null>(null);
  // Until the box is laid out, the window's height stands in for it: the first render already
  // holds the rows of the first screen.
  const [shown, setShown] = useState(() =>
    rowsInView(0, typeof window === "undefined" ? 0 : window.innerHeight),
  );
  useLayoutEffect(() => {
    if (!box) return;
    const read = () => {
      const next = rowsInView(box.scrollTop, box.clientHeight);
      setShown((prev) => (prev.first === next.first && prev.last === next.last ? prev : next));
    };
    read();
    box.addEventListener("scroll", read, { passive: true });
    const resized = new ResizeObserver(read);
    resized.observe(box);
    return () => {
      box.removeEventListener("scroll", read);
      resized.disconnect();
    };
  }, [box]);
  useEffect(() => {
    box?.scrollTo({ top: 0 });
  }, [view, box]);

  const scrollToIndex = useCallback(
    (index: number) => {
      if (!box) return;
      const top = index * ROW_HEIGHT;
      if (top < box.scrollTop) box.scrollTo({ top });
      else if (top + ROW_HEIGHT > box.scrollTop + box.clientHeight)
        box.scrollTo({ top: top + ROW_HEIGHT - box.clientHeight });
    },
    [box],
  );
  // A new view (the first, another folder, order or query) renders the rows in view first and
  // the overscan once that frame has been painted: the frame that shows the switch builds half
  // the rows it would otherwise.
  const [overscanned, setOverscanned] = useState<string | null>(null);
  const overscan = overscanned === view ? OVERSCAN : 0;
  useEffect(() => {
    if (overscanned === view) return;
    return afterPaint(() => setOverscanned(view));
  }, [view, overscanned]);
  const virtual = useMemo<RowWindow>(() => {
    const { items, range } = windowOf(count, shown, overscan);
    return { getVirtualItems: () => items, getTotalSize: () => count * ROW_HEIGHT, range, scrollToIndex };
  }, [count, shown, overscan, scrollToIndex]);
  return { scrollRef: setBox, box, virtual };
}

/** Where a rendered row goes: absolutely placed at its offset in the scroll box. */
export interface RowPlace {
  /** The row's offset: a memoized row takes this number rather than the style object. */
  top: number;
  className: string;
  style: CSSProperties;
}

/**
 * The grid itself: named `Messages`, its row count and busy state announced, the list's keys,
 * a note when there is nothing, and each rendered row (or a placeholder while its data is on
 * its way: `renderRow` returns null).
 */
export function VirtualGrid({
  rows: { scrollRef, box: grid, virtual },
  rowCount,
  busy,
  empty,
  emptyNote,
  onKeyDown,
  onSelectRange,
  renderRow,
}: {
  rows: VirtualRows;
  rowCount: number;
  busy: boolean;
  /** The list is known to be empty: `emptyNote` (by default "No messages") stands instead. */
  empty: boolean;
  emptyNote?: ReactNode;
  onKeyDown: (e: KeyboardEvent) => void;
  /** Adds the rows with these `data-message-id`s to the selection (Shift-click); none: no ranges. */
  onSelectRange?: (messageIds: string[]) => void;
  renderRow: (index: number, place: RowPlace) => ReactNode;
}) {
  const { t } = useTranslation();
  useLayoutEffect(() => {
    if (!grid || !onSelectRange) return;
    rangeSelectors.set(grid, onSelectRange);
    return () => void rangeSelectors.delete(grid);
  }, [grid, onSelectRange]);
  return (
    <div
      ref={scrollRef}
      role="grid"
      aria-label={t("mail.messages")}
      aria-rowcount={rowCount}
      aria-busy={busy}
      tabIndex={0}
      onKeyDown={onKeyDown}
      className="relative min-h-0 flex-1 overflow-y-auto outline-none"
    >
      {empty && (emptyNote ?? <p className="p-6 text-center text-sm text-slate-500">{t("mail.empty")}</p>)}
      <div style={{ height: virtual.getTotalSize() }} className="relative w-full" role="presentation">
        {virtual.getVirtualItems().map(
          (item) =>
            renderRow(item.index, {
              top: item.start,
              className: "absolute inset-x-0",
              style: { top: item.start, height: ROW_HEIGHT },
            }) ?? <PlaceholderRow key={`ph-${item.index}`} top={item.start} />,
        )}
      </div>
    </div>
  );
}
