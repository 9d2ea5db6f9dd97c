"use client";

import type { RefObject } from "react";
import { useTranslation } from "@/i18n/react";
import type { Conversation } from "@pismo/protocol/schemas";
import { formatListDate } from "@pismo/protocol/format";
import { localeOf } from "@/i18n";
import { dragImapMessages, onGridKeyDown } from "../shared/message-grid";
import { isCursorRow, moveFrom, stepFromCursor, useListCursor } from "../shared/use-list-cursor";
import { useAdvanceHandle, type AdvanceFrom } from "../actions/after-acting";
import { VirtualGrid, useVirtualRows } from "../shared/virtual-grid";
import { usePreloadReading } from "../imap/lazy-parts";
import { ConversationRow, conversationRowData } from "./conversation-row";
import { useConversationTotal, useConversationWindow } from "./use-conversation-window";

/** An IMAP folder as conversations: virtualised, a window of 50 from the gateway at a time. */
export function ImapConversationList({
  folder,
  openKey,
  onOpen,
  onDelete,
  advanceRef,
}: {
  folder: string;
  openKey: string | null;
  onOpen: (c: Conversation) => void;
  onDelete: () => void;
  /** Where the list hands the app its way on to the next conversation (after the open one is deleted). */
  advanceRef?: RefObject<AdvanceFrom | null>;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const total = useConversationTotal(folder);
  const grid = useVirtualRows(total, folder);
  const { virtual } = grid;
  const items = virtual.getVirtualItems();
  const start = items[0]?.index ?? 0;
  const end = items[items.length - 1]?.index ?? 30;
  const { rows, isLoading, isStale } = useConversationWindow(folder, start, Math.max(end, 30));
  // A conversation shows its messages through the reading view: its code, like the plain
  // list's, is fetched once rows are on screen, not on the first click.
  usePreloadReading(rows.size > 0);

  // j / k (and the arrows) go from conversation to conversation.
  const placeOf = (key: string | null) => {
    if (key !== null) for (const [at, c] of rows) if (c.key === key) return at;
    return -1;
  };
  const cursor = useListCursor(openKey, placeOf(openKey));
  const cursorFound = placeOf(cursor.id);
  const move = (delta: number) => {
    const loaded = [...rows.entries()].sort((a, b) => a[0] - b[0]);
    const from = moveFrom(cursor, cursorFound, delta, rows.has(cursor.index));
    // From a place in the list to its place among the loaded rows.
    const i = from < 0 ? -1 : loaded.filter(([at]) => at <= from).length - 1;
    const target = loaded[Math.min(loaded.length - 1, Math.max(0, i + delta))];
    if (!target) return;
    onOpen(target[1]);
    virtual.scrollToIndex(target[0]);
  };
  // The open conversation deleted or moved: the one beside it opens in its place.
  useAdvanceHandle(advanceRef, (delta) => {
    if (openKey === null) return false;
    const step = stepFromCursor(cursor, placeOf(openKey), delta, total);
    const c = step && rows.get(step.target);
    if (!step || !c) return false;
    onOpen(c);
    virtual.scrollToIndex(step.place);
    return true;
  });

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <VirtualGrid
        rows={grid}
        rowCount={total}
        busy={isLoading || isStale}
        empty={!isLoading && total === 0}
        onKeyDown={(e) => onGridKeyDown(e, { move, onDelete, openId: openKey, onToggle: () => undefined })}
        renderRow={(index, place) => {
          const c = rows.get(index);
          if (!c) return null;
          return (
            <ConversationRow
              key={c.key}
              c={conversationRowData(t, c, formatListDate(c.date, locale))}
              index={index}
              active={c.key === openKey}
              cursor={isCursorRow(cursor, openKey, cursorFound, { id: c.key, index }, total)}
              onOpen={() => onOpen(c)}
              onDragStart={(e) => dragImapMessages(e, folder, c.folderUids)}
              className={place.className}
              style={place.style}
            />
          );
        }}
      />
    </div>
  );
}
