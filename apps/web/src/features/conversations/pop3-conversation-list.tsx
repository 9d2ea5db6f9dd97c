"use client";

import type { RefObject } from "react";
import { useTranslation } from "@/i18n/react";
import { formatListDate } from "@pismo/protocol/format";
import { localeOf } from "@/i18n";
import { onGridKeyDown } from "../shared/message-grid";
import { isCursorRow, moveFrom, stepFromCursor, useListCursor } from "../shared/use-list-cursor";
import { useAdvanceHandle, type AdvanceFrom } from "../actions/after-acting";
import { ConversationRow, conversationRowData } from "./conversation-row";
import type { Pop3Conversation } from "./pop3-conversations";

/** A local POP3 folder as conversations (all rows rendered, like the message list). */
export function Pop3ConversationList({
  conversations,
  openKey,
  emptyText,
  onOpen,
  onDelete,
  advanceRef,
}: {
  conversations: readonly Pop3Conversation[] | undefined;
  openKey: string | null;
  emptyText: string;
  onOpen: (key: string) => void;
  onDelete: () => void;
  /** Where the list hands the app its way on to the next conversation (after the open one is deleted). */
  advanceRef?: RefObject<AdvanceFrom | null>;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const rows = conversations ?? [];
  const placeOf = (key: string | null) => (key === null ? -1 : rows.findIndex((c) => c.key === key));
  const cursor = useListCursor(openKey, placeOf(openKey));
  const cursorFound = placeOf(cursor.id);
  const move = (delta: number) => {
    const i = moveFrom(cursor, cursorFound, delta);
    const target = rows[Math.min(rows.length - 1, Math.max(0, i + delta))];
    if (target) onOpen(target.key);
  };
  // The open conversation deleted or moved: the one beside it opens in its place. The store's
  // change may have reached the rows already: its former place is then the cursor's.
  useAdvanceHandle(advanceRef, (delta) => {
    if (openKey === null) return false;
    const step = stepFromCursor(cursor, placeOf(openKey), delta, rows.length);
    const c = step && rows[step.target];
    if (!c) return false;
    onOpen(c.key);
    return true;
  });
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div
        role="grid"
        aria-label={t("mail.messages")}
        aria-rowcount={rows.length}
        aria-busy={conversations === undefined}
        tabIndex={0}
        onKeyDown={(e) => onGridKeyDown(e, { move, onDelete, openId: openKey, onToggle: () => undefined })}
        className="min-h-0 flex-1 overflow-y-auto outline-none"
      >
        {conversations !== undefined && rows.length === 0 && (
          <p className="p-6 text-center text-sm text-slate-500">{emptyText}</p>
        )}
        {rows.map((c, index) => (
          <ConversationRow
            key={c.key}
            c={conversationRowData(t, c, formatListDate(new Date(c.date).toISOString(), locale))}
            index={index}
            active={c.key === openKey}
            cursor={isCursorRow(cursor, openKey, cursorFound, { id: c.key, index }, rows.length)}
            onOpen={() => onOpen(c.key)}
            onDragStart={(e) => {
              e.dataTransfer.setData("application/x-pismo-pop3", JSON.stringify(c.folderMessageIds));
              e.dataTransfer.effectAllowed = "move";
            }}
            className="h-16"
          />
        ))}
      </div>
    </div>
  );
}
