"use client";

import { memo, useEffect, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import { formatListDate } from "@pismo/protocol/format";
import { MessageGridRow, SelectAllBar, onGridKeyDown } from "../shared/message-grid";
import { localeOf } from "@/i18n";
import type { StoredMessage } from "./pop3-store";
import { senderMark } from "../shared/sender-mark";

interface RowActions {
  open(uid: string): void;
  toggle(uid: string): void;
  /** The UIDs a drag from this row carries: the checked ones when it is checked. */
  dragged(uid: string): string[];
}

/** What a row shows of its message: equal rows are not rendered again. */
const shownFields = [
  "uid",
  "from",
  "fromAddress",
  "subject",
  "date",
  "seen",
  "flagged",
  "hasAttachment",
] as const satisfies ReadonlyArray<keyof StoredMessage>;

const Pop3Row = memo(
  function Pop3Row({
    m,
    index,
    active,
    checked,
    locale,
    actions,
  }: {
    m: StoredMessage;
    index: number;
    active: boolean;
    checked: boolean;
    locale: ReturnType<typeof localeOf>;
    actions: RowActions;
  }) {
    const { t } = useTranslation();
    return (
      <MessageGridRow
        id={m.uid}
        m={m}
        index={index}
        active={active}
        checked={checked}
        who={m.from || m.fromAddress || t("mail.unknownSender")}
        senderMark={senderMark(m.senderVerdict)}
        subject={m.subject || t("mail.noSubject")}
        date={formatListDate(m.date, locale)}
        onOpen={() => actions.open(m.uid)}
        onToggle={() => actions.toggle(m.uid)}
        onDragStart={(e) => {
          e.dataTransfer.setData("application/x-pismo-pop3", JSON.stringify(actions.dragged(m.uid)));
          e.dataTransfer.effectAllowed = "move";
        }}
        className="h-16"
      />
    );
  },
  (a, b) =>
    a.index === b.index &&
    a.active === b.active &&
    a.checked === b.checked &&
    a.locale === b.locale &&
    a.actions === b.actions &&
    senderMark(a.m.senderVerdict) === senderMark(b.m.senderVerdict) &&
    shownFields.every((k) => Object.is(a.m[k], b.m[k])),
);

/**
 * The messages of one local folder. All rows are rendered: a local folder is read from
 * IndexedDB in one go, and a few thousand rows stay cheap without virtualisation as long as
 * a row renders again only when what it shows changed (memoized).
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

  // The rows' handlers read the latest props through a ref, so a row's props change only when
  // its message does: a list that grows while mail is pulled renders only the new rows.
  const latest = useRef({ onOpen, onToggle, checked });
  useEffect(() => {
    latest.current = { onOpen, onToggle, checked };
  });
  const actions = useMemo<RowActions>(
    () => ({
      open: (uid) => latest.current.onOpen(uid),
      toggle: (uid) => latest.current.onToggle(uid),
      dragged: (uid) => {
        const { checked: now } = latest.current;
        return now.has(uid) ? [...now] : [uid];
      },
    }),
    [],
  );

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
          <Pop3Row
            key={m.uid}
            m={m}
            index={index}
            active={m.uid === openUid}
            checked={checked.has(m.uid)}
            locale={locale}
            actions={actions}
          />
        ))}
      </div>
    </div>
  );
}
