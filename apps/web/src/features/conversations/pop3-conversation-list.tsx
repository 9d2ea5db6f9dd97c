"use client";

import { useState, type RefObject } from "react";
import { useTranslation } from "@/i18n/react";
import { localeOf } from "@/i18n";
import { onGridKeyDown, sameFields } from "../shared/message-grid";
import { isCursorRow, moveFrom, stepFromCursor, useListCursor } from "../shared/use-list-cursor";
import { useAdvanceHandle, type AdvanceFrom } from "../actions/after-acting";
import { useLatest } from "../shared/use-latest";
import { VirtualGrid, useVirtualRows } from "../shared/virtual-grid";
import { ConversationRowAt, type ConversationRowActions } from "./conversation-row-at";
import type { Pop3Conversation } from "./pop3-conversations";

/** What a row shows of its conversation: equal rows are not rendered again. */
const shownFields = [
  "key",
  "subject",
  "count",
  "date",
  "unread",
  "flagged",
  "hasAttachment",
] as const satisfies ReadonlyArray<keyof Pop3Conversation>;

/**
 * The conversations are threaded again from the whole store on every write (a message marked
 * read as it opens), each a new object: they are compared by what the row shows, so such a
 * write renders the rows that changed, not the window.
 */
function sameShown(a: Pop3Conversation, b: Pop3Conversation): boolean {
  return (
    sameFields(a, b, shownFields) &&
    a.participants.length === b.participants.length &&
    a.participants.every((p, i) => {
      const q = b.participants[i];
      return q !== undefined && p.name === q.name && p.address === q.address && p.me === q.me;
    })
  );
}

/**
 * A local POP3 folder as conversations: virtualised like the message list, so a store of
 * thousands of conversations puts only the rows near the view in the page.
 */
export function Pop3ConversationList({
  folder,
  conversations,
  openKey,
  emptyText,
  onOpen,
  onDelete,
  advanceRef,
}: {
  /** The folder shown: another one starts at the top. */
  folder: string;
  conversations: readonly Pop3Conversation[] | undefined;
  openKey: string | null;
  emptyText: string;
  onOpen: (key: string) => void;
  onDelete: () => void;
  /** Where the list hands the app its way on to the next conversation (after the open one is deleted). */
  advanceRef?: RefObject<AdvanceFrom | null>;
}) {
  const { i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const rows = conversations ?? [];
  // The scroll is kept while the folder's conversations change (a pull, a message read), and
  // starts at the top in another folder, as the message list's does.
  const grid = useVirtualRows(rows.length, folder);
  const { virtual } = grid;

  // The rows' handlers read the list's current state through this ref, so the object handed
  // to the memoized rows never changes. A drag carries the conversation's messages in this
  // folder as they are now.
  const latest = useLatest({ onOpen, rows });
  const [actions] = useState<ConversationRowActions>(() => ({
    open: (key) => latest.current.onOpen(key),
    dragStart: (e, key) => {
      const c = latest.current.rows.find((r) => r.key === key);
      if (!c) return;
      e.dataTransfer.setData("application/x-pismo-pop3", JSON.stringify(c.folderMessageIds));
      e.dataTransfer.effectAllowed = "move";
    },
  }));

  const placeOf = (key: string | null) => (key === null ? -1 : rows.findIndex((c) => c.key === key));
  const cursor = useListCursor(openKey, placeOf(openKey));
  const cursorFound = placeOf(cursor.id);
  // Every conversation is held (threaded from the whole store), so a key reaches any of them;
  // the row it opens may be outside the rendered window, so the list scrolls to it.
  const move = (delta: number) => {
    const i = moveFrom(cursor, cursorFound, delta);
    const at = Math.min(rows.length - 1, Math.max(0, i + delta));
    const target = rows[at];
    if (!target) return;
    onOpen(target.key);
    virtual.scrollToIndex(at);
  };
  // The open conversation deleted or moved: the one beside it opens in its place. The store's
  // change may have reached the rows already: its former place is then the cursor's.
  useAdvanceHandle(advanceRef, (delta) => {
    if (openKey === null) return false;
    const step = stepFromCursor(cursor, placeOf(openKey), delta, rows.length);
    const c = step && rows[step.target];
    if (!step || !c) return false;
    onOpen(c.key);
    virtual.scrollToIndex(step.place);
    return true;
  });

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <VirtualGrid
        rows={grid}
        rowCount={rows.length}
        busy={conversations === undefined}
        empty={conversations !== undefined && rows.length === 0}
        emptyNote={<p className="p-6 text-center text-sm text-slate-500">{emptyText}</p>}
        onKeyDown={(e) => onGridKeyDown(e, { move, onDelete, openId: openKey, onToggle: () => undefined })}
        renderRow={(index, place) => {
          const c = rows[index];
          if (!c) return null;
          return (
            <ConversationRowAt
              key={c.key}
              c={c}
              date={new Date(c.date).toISOString()}
              index={index}
              top={place.top}
              active={c.key === openKey}
              cursor={isCursorRow(cursor, openKey, cursorFound, { id: c.key, index }, rows.length)}
              locale={locale}
              actions={actions}
              sameContent={sameShown}
            />
          );
        }}
      />
    </div>
  );
}
