"use client";

import { useVirtualizer, type Virtualizer } from "@tanstack/react-virtual";
import {
  useEffect,
  useRef,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from "react";
import { useTranslation } from "@/i18n/react";
import { PlaceholderRow, ROW_HEIGHT } from "./message-grid";

// The virtualised `Messages` grid of the IMAP lists (a folder's messages, its conversations,
// search results) and of a POP3 folder or search: only the rows near the view are in the
// page, each at its offset.

export interface VirtualRows {
  scrollRef: RefObject<HTMLDivElement | null>;
  virtual: Virtualizer<HTMLDivElement, Element>;
}

/**
 * `count` rows of ROW_HEIGHT in a scroll box, with ten rendered beyond each edge of the view.
 * `view` names what the rows are (a folder and its order, a query): another one starts at the top.
 */
export function useVirtualRows(count: number, view: string): VirtualRows {
  const scrollRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [view]);
  // TanStack Virtual returns a mutable object the React Compiler cannot memoize; we do not use
  // the compiler, so the warning does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  return { scrollRef, virtual };
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
  rows: { scrollRef, virtual },
  rowCount,
  busy,
  empty,
  emptyNote,
  onKeyDown,
  renderRow,
}: {
  rows: VirtualRows;
  rowCount: number;
  busy: boolean;
  /** The list is known to be empty: `emptyNote` (by default "No messages") stands instead. */
  empty: boolean;
  emptyNote?: ReactNode;
  onKeyDown: (e: KeyboardEvent) => void;
  renderRow: (index: number, place: RowPlace) => ReactNode;
}) {
  const { t } = useTranslation();
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
