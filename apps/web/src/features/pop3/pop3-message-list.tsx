"use client";

import type { KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { formatListDate } from "@pismo/protocol/format";
import { MessageRowCells } from "@/features/shared/message-row-cells";
import { localeOf } from "@/i18n";
import type { StoredMessage } from "./pop3-store";

/**
 * The messages of one local folder. All rows are rendered: a local folder is read from
 * IndexedDB in one go, and a few thousand rows stay cheap without virtualisation.
 */
export function Pop3MessageList({
  messages,
  openUid,
  checked,
  onOpen,
  onToggle,
  onToggleAll,
  onDelete,
  emptyText,
}: {
  messages: readonly StoredMessage[] | undefined;
  openUid: string | null;
  checked: ReadonlySet<string>;
  onOpen: (uid: string) => void;
  onToggle: (uid: string) => void;
  onToggleAll: (on: boolean) => void;
  onDelete: () => void;
  emptyText: string;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const rows = messages ?? [];
  const allChecked = rows.length > 0 && rows.every((m) => checked.has(m.uid));

  const move = (delta: number) => {
    const i = openUid === null ? -1 : rows.findIndex((m) => m.uid === openUid);
    const target = rows[Math.min(rows.length - 1, Math.max(0, i + delta))];
    if (target) onOpen(target.uid);
  };

  function onKeyDown(e: KeyboardEvent) {
    if (e.target instanceof HTMLInputElement) return;
    switch (e.key) {
      case "ArrowDown":
      case "j":
        e.preventDefault();
        move(1);
        break;
      case "ArrowUp":
      case "k":
        e.preventDefault();
        move(-1);
        break;
      case "Delete":
        e.preventDefault();
        onDelete();
        break;
    }
  }

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex h-9 shrink-0 items-center gap-2 border-b border-slate-200 px-3 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400">
        <input
          type="checkbox"
          aria-label={t("mail.selectAll")}
          checked={allChecked}
          onChange={(e) => onToggleAll(e.target.checked)}
        />
        <span>{checked.size > 0 ? t("mail.selected", { count: checked.size }) : ""}</span>
      </div>
      <div
        role="grid"
        aria-label={t("mail.messages")}
        aria-rowcount={rows.length}
        aria-busy={messages === undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        className="min-h-0 flex-1 overflow-y-auto outline-none"
      >
        {messages !== undefined && rows.length === 0 && (
          <p className="p-6 text-center text-sm text-slate-500">{emptyText}</p>
        )}
        {rows.map((m, index) => {
          const sender = m.from || m.fromAddress || t("mail.unknownSender");
          const subject = m.subject || t("mail.noSubject");
          const date = formatListDate(m.date, locale);
          const active = m.uid === openUid;
          return (
            <div
              key={m.uid}
              role="row"
              aria-rowindex={index + 1}
              aria-selected={active}
              aria-label={`${sender}, ${subject}, ${date}${m.seen ? "" : `, ${t("mail.unread")}`}${m.flagged ? `, ${t("mail.flagged")}` : ""}`}
              data-message-id={m.uid}
              data-seen={String(m.seen)}
              draggable
              onDragStart={(e) => {
                const uids = checked.has(m.uid) ? [...checked] : [m.uid];
                e.dataTransfer.setData("application/x-pismo-pop3", JSON.stringify(uids));
                e.dataTransfer.effectAllowed = "move";
              }}
              onClick={() => onOpen(m.uid)}
              className={`flex h-16 cursor-pointer items-start gap-3 border-b border-slate-100 px-3 py-2 text-sm dark:border-slate-800 ${
                active
                  ? "bg-accent/10"
                  : checked.has(m.uid)
                    ? "bg-amber-50 dark:bg-amber-950/30"
                    : "hover:bg-slate-50 dark:hover:bg-slate-900"
              }`}
            >
              <MessageRowCells
                m={m}
                who={sender}
                subject={subject}
                date={date}
                checked={checked.has(m.uid)}
                onToggle={() => onToggle(m.uid)}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
