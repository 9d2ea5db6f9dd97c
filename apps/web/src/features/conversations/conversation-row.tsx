"use client";

import type { CSSProperties, DragEvent } from "react";
import { useTranslation } from "@/i18n/react";
import type { TFunction } from "@/i18n/translate";
import { FlagIcon, PaperclipIcon } from "@/components/ui/icons";
import { cursorMark, rowLabel } from "../shared/message-grid";

/** What a conversation row shows, the same for IMAP and POP3. */
export interface ConversationRowData {
  key: string;
  /** Participants as the row names them ("Ana Anić, me"). */
  who: string;
  subject: string;
  count: number;
  /** Formatted for the list. */
  date: string;
  unread: number;
  flagged: boolean;
  hasAttachment: boolean;
}

/** "3 messages": part of the row's accessible name and of what the eye sees. */
export function messageCount(t: TFunction, count: number): string {
  return count === 1 ? t("conversations.one") : t("conversations.count", { count });
}

/** Participants, "me" in the user's language for the user. */
export function participantNames(
  t: TFunction,
  participants: ReadonlyArray<{ name: string; address: string; me: boolean }>,
): string {
  return participants.map((p) => (p.me ? t("conversations.me") : p.name || p.address)).join(", ");
}

/** What a row reads of a conversation of either protocol (the date aside, which differs). */
export interface ConversationRowSource {
  key: string;
  participants: ReadonlyArray<{ name: string; address: string; me: boolean }>;
  subject: string;
  count: number;
  unread: number;
  flagged: boolean;
  hasAttachment: boolean;
}

/** A conversation of either protocol as its row shows it; `date` is already formatted. */
export function conversationRowData(
  t: TFunction,
  c: ConversationRowSource,
  date: string,
): ConversationRowData {
  return {
    key: c.key,
    who: participantNames(t, c.participants),
    subject: c.subject || t("mail.noSubject"),
    count: c.count,
    date,
    unread: c.unread,
    flagged: c.flagged,
    hasAttachment: c.hasAttachment,
  };
}

/** One conversation in the list: a row named with its count, opened on click. */
export function ConversationRow({
  c,
  index,
  active,
  cursor = false,
  onOpen,
  onDragStart,
  className = "",
  style,
}: {
  c: ConversationRowData;
  index: number;
  active: boolean;
  /** Nothing is open and this conversation was open last (cursorMark). */
  cursor?: boolean;
  onOpen: () => void;
  onDragStart?: (e: DragEvent) => void;
  className?: string;
  style?: CSSProperties;
}) {
  const { t } = useTranslation();
  const seen = c.unread === 0;
  const count = messageCount(t, c.count);
  const mark = cursorMark(cursor && !active);
  return (
    <div
      role="row"
      aria-rowindex={index + 1}
      aria-selected={active}
      aria-label={rowLabel(t, c.who || t("mail.unknownSender"), `${c.subject}, ${count}`, c.date, {
        seen,
        flagged: c.flagged,
        hasAttachment: c.hasAttachment,
      })}
      data-conversation-key={c.key}
      data-seen={String(seen)}
      data-cursor={mark["data-cursor"]}
      draggable={onDragStart !== undefined}
      onDragStart={onDragStart}
      onClick={onOpen}
      className={`${className} ${mark.className} flex cursor-pointer items-start gap-3 border-b border-slate-100 px-3 py-2 text-sm dark:border-slate-800 ${
        active ? "bg-accent/10" : "hover:bg-slate-50 dark:hover:bg-slate-900"
      }`}
      style={style}
    >
      <div role="gridcell" className="min-w-0 flex-1">
        <div className="flex items-baseline gap-2">
          {!seen && (
            <span aria-hidden className="size-2 shrink-0 translate-y-[-1px] rounded-full bg-accent" />
          )}
          <span
            className={`min-w-0 flex-1 truncate ${seen ? "text-slate-700 dark:text-slate-300" : "font-semibold"}`}
          >
            {c.who || t("mail.unknownSender")}
          </span>
          {c.count > 1 && (
            <span
              aria-hidden
              className="shrink-0 rounded-full bg-slate-100 px-1.5 text-xs tabular-nums text-slate-600 dark:bg-slate-800 dark:text-slate-300"
            >
              {c.count}
            </span>
          )}
          <span className="shrink-0 text-xs tabular-nums text-slate-500 dark:text-slate-400">{c.date}</span>
        </div>
        <div className="mt-0.5 flex items-baseline gap-2">
          <span
            className={`min-w-0 flex-1 truncate ${seen ? "text-slate-600 dark:text-slate-400" : "font-medium text-slate-900 dark:text-slate-100"}`}
          >
            {c.subject || t("mail.noSubject")}
          </span>
          {c.hasAttachment && (
            <span title={t("mail.hasAttachment")} className="shrink-0 text-slate-400">
              <PaperclipIcon />
            </span>
          )}
          {c.flagged && (
            <span title={t("mail.flagged")} className="shrink-0 text-red-500">
              <FlagIcon />
            </span>
          )}
        </div>
      </div>
    </div>
  );
}
