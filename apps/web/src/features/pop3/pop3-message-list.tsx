"use client";

import { useTranslation } from "react-i18next";
import { formatListDate } from "@pismo/protocol/format";
import { MessageGridRow, SelectAllBar, onGridKeyDown } from "../shared/message-grid";
import { localeOf } from "@/i18n";
import type { StoredMessage } from "./pop3-store";
import { senderMark } from "../shared/sender-mark";

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

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <SelectAllBar allChecked={allChecked} selected={checked.size} onToggleAll={onToggleAll} />
      <div
        role="grid"
        aria-label={t("mail.messages")}
        aria-rowcount={rows.length}
        aria-busy={messages === undefined}
        tabIndex={0}
        onKeyDown={(e) => onGridKeyDown(e, { move, onDelete, openId: openUid, onToggle })}
        className="min-h-0 flex-1 overflow-y-auto outline-none"
      >
        {messages !== undefined && rows.length === 0 && (
          <p className="p-6 text-center text-sm text-slate-500">{emptyText}</p>
        )}
        {rows.map((m, index) => (
          <MessageGridRow
            key={m.uid}
            id={m.uid}
            m={m}
            index={index}
            active={m.uid === openUid}
            checked={checked.has(m.uid)}
            who={m.from || m.fromAddress || t("mail.unknownSender")}
            senderMark={senderMark(m.senderVerdict)}
            subject={m.subject || t("mail.noSubject")}
            date={formatListDate(m.date, locale)}
            onOpen={() => onOpen(m.uid)}
            onToggle={() => onToggle(m.uid)}
            onDragStart={(e) => {
              const uids = checked.has(m.uid) ? [...checked] : [m.uid];
              e.dataTransfer.setData("application/x-pismo-pop3", JSON.stringify(uids));
              e.dataTransfer.effectAllowed = "move";
            }}
            className="h-16"
          />
        ))}
      </div>
    </div>
  );
}
