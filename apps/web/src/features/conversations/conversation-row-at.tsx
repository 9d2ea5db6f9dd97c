"use client";

import { memo, type DragEvent, type ReactNode } from "react";
import { useTranslation } from "@/i18n/react";
import { formatListDate } from "@pismo/protocol/format";
import { ROW_HEIGHT, sameRowProps } from "../shared/message-grid";
import { ConversationRow, conversationRowData, type ConversationRowSource } from "./conversation-row";

// Apart from conversation-row.tsx so that a test can watch ConversationRow render below this
// memo (a module's own calls are not mocked).

/** What a row does, through one object that lives as long as the list: rows stay memoized. */
export interface ConversationRowActions {
  open(key: string): void;
  dragStart(e: DragEvent, key: string): void;
}

export interface ConversationRowAtProps<C extends ConversationRowSource> {
  c: C;
  /** The conversation's date as an ISO string: where each protocol keeps it differs. */
  date: string | null;
  index: number;
  /** Its offset in the virtual list. */
  top: number;
  active: boolean;
  cursor: boolean;
  locale: string;
  actions: ConversationRowActions;
  /**
   * Whether two versions of a conversation show the same row, for a list that builds every
   * conversation again on each write (POP3: threaded again from the whole store); without it,
   * by identity (IMAP: the query cache keeps an unchanged conversation's object). Defined once
   * at module level: a new function on each render would render every row again.
   */
  sameContent?: (a: C, b: C) => boolean;
}

function RowAt({
  c,
  date,
  index,
  top,
  active,
  cursor,
  locale,
  actions,
}: ConversationRowAtProps<ConversationRowSource>) {
  const { t } = useTranslation();
  return (
    <ConversationRow
      c={conversationRowData(t, c, formatListDate(date, locale))}
      index={index}
      active={active}
      cursor={cursor}
      onOpen={() => actions.open(c.key)}
      onDragStart={(e) => actions.dragStart(e, c.key)}
      className="absolute inset-x-0"
      style={{ top, height: ROW_HEIGHT }}
    />
  );
}

/**
 * One conversation's row at its place in the virtual list, the same for IMAP and POP3, rendered
 * again only when what it shows changes, its place, or its being open or the cursor's: opening
 * a conversation renders two rows, not the window.
 */
export const ConversationRowAt = memo(RowAt, (a, b) =>
  sameRowProps(a, b, b.sameContent ? { c: b.sameContent } : {}),
) as <C extends ConversationRowSource>(props: ConversationRowAtProps<C>) => ReactNode;
