"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ListSort, MessageSummary } from "@pismo/protocol/schemas";
import { formatBytes, formatListDate } from "@pismo/protocol/format";
import { MessageRowCells } from "@/features/shared/message-row-cells";
import { localeOf } from "@/i18n";
import { useFolderTotal, useMessageWindow } from "./use-message-window";

const ROW_HEIGHT = 64;

export interface ImapMessageListProps {
  folder: string;
  sort: ListSort;
  openUid: number | null;
  checked: ReadonlySet<number>;
  onOpen: (uid: number, neighbours: { prev: number | null; next: number | null }) => void;
  onToggle: (uid: number) => void;
  onToggleAll: (uids: number[], on: boolean) => void;
  onDelete: () => void;
  /** The rows currently loaded, in order: the view uses them for next/previous. */
  onRows?: (uids: number[]) => void;
}

function senderOf(m: MessageSummary, t: (k: string) => string): string {
  return m.from ? m.from.name || m.from.address : t("mail.unknownSender");
}

export function ImapMessageList({
  folder,
  sort,
  openUid,
  checked,
  onOpen,
  onToggle,
  onToggleAll,
  onDelete,
  onRows,
}: ImapMessageListProps) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const scrollRef = useRef<HTMLDivElement>(null);
  const total = useFolderTotal(folder, sort);
  // TanStack Virtual returns a mutable object the React Compiler cannot memoize; we do not use
  // the compiler, so the warning does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtual.getVirtualItems();
  const start = items[0]?.index ?? 0;
  const end = items[items.length - 1]?.index ?? 30;
  const { rows, isLoading, isStale } = useMessageWindow(folder, sort, start, Math.max(end, 30));

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [folder, sort]);

  const ordered: number[] = [];
  for (let i = 0; i < total; i++) {
    const row = rows.get(i);
    if (row) ordered.push(row.uid);
    else if (i > end + 60) break;
  }
  useEffect(() => {
    onRows?.(ordered);
  });

  const neighbours = (uid: number) => {
    const i = ordered.indexOf(uid);
    return { prev: i > 0 ? (ordered[i - 1] ?? null) : null, next: i >= 0 ? (ordered[i + 1] ?? null) : null };
  };

  const move = (delta: number) => {
    const i = openUid === null ? -1 : ordered.indexOf(openUid);
    const target = ordered[Math.min(ordered.length - 1, Math.max(0, i + delta))];
    if (target === undefined) return;
    onOpen(target, neighbours(target));
    const index = [...rows.entries()].find(([, m]) => m.uid === target)?.[0];
    if (index !== undefined) virtual.scrollToIndex(index, { align: "auto" });
  };

  function onKeyDown(e: KeyboardEvent) {
    if (e.target instanceof HTMLInputElement && e.key === " ") return;
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
      case "Home":
        e.preventDefault();
        move(-Infinity);
        break;
      case "End":
        e.preventDefault();
        move(Infinity);
        break;
      case "Delete":
      case "Backspace":
        e.preventDefault();
        onDelete();
        break;
      case " ":
        if (openUid !== null) {
          e.preventDefault();
          onToggle(openUid);
        }
        break;
      // "m": move by keyboard: focus the Move to… menu of the selection or the open message.
      case "m": {
        const menu = document.getElementById("move-many") ?? document.getElementById("move-one");
        if (menu) {
          e.preventDefault();
          menu.focus();
        }
        break;
      }
    }
  }

  const loadedUids = [...rows.values()].map((m) => m.uid);
  const allChecked = loadedUids.length > 0 && loadedUids.every((u) => checked.has(u));

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex h-9 shrink-0 items-center gap-2 border-b border-slate-200 px-3 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400">
        <input
          type="checkbox"
          aria-label={t("mail.selectAll")}
          checked={allChecked}
          onChange={(e) => onToggleAll(loadedUids, e.target.checked)}
        />
        <span>{checked.size > 0 ? t("mail.selected", { count: checked.size }) : ""}</span>
      </div>
      <div
        ref={scrollRef}
        role="grid"
        aria-label={t("mail.messages")}
        aria-rowcount={total}
        aria-busy={isLoading || isStale}
        tabIndex={0}
        onKeyDown={onKeyDown}
        className="relative min-h-0 flex-1 overflow-y-auto outline-none"
      >
        {!isLoading && total === 0 && (
          <p className="p-6 text-center text-sm text-slate-500">{t("mail.empty")}</p>
        )}
        <div style={{ height: virtual.getTotalSize() }} className="relative w-full" role="presentation">
          {items.map((item) => {
            const m = rows.get(item.index);
            if (!m) {
              return (
                <div
                  key={`ph-${item.index}`}
                  role="presentation"
                  className="absolute inset-x-0 animate-pulse border-b border-slate-100 px-4 py-3 dark:border-slate-800"
                  style={{ top: item.start, height: ROW_HEIGHT }}
                >
                  <div className="h-3 w-1/3 rounded bg-slate-200 dark:bg-slate-800" />
                  <div className="mt-2 h-3 w-2/3 rounded bg-slate-100 dark:bg-slate-800/60" />
                </div>
              );
            }
            const sender = senderOf(m, t);
            const subject = m.subject || t("mail.noSubject");
            const date = formatListDate(m.date, locale);
            const active = m.uid === openUid;
            return (
              <div
                key={m.uid}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={active}
                aria-label={`${sender}, ${subject}, ${date}${m.seen ? "" : `, ${t("mail.unread")}`}${m.flagged ? `, ${t("mail.flagged")}` : ""}${m.hasAttachment ? `, ${t("mail.hasAttachment")}` : ""}`}
                data-message-id={m.uid}
                data-seen={String(m.seen)}
                draggable
                onDragStart={(e) => {
                  const uids = checked.has(m.uid) ? [...checked] : [m.uid];
                  e.dataTransfer.setData("application/x-pismo-messages", JSON.stringify({ folder, uids }));
                  e.dataTransfer.effectAllowed = "copyMove";
                }}
                onClick={() => onOpen(m.uid, neighbours(m.uid))}
                className={`absolute inset-x-0 flex cursor-pointer items-start gap-3 border-b border-slate-100 px-3 py-2 text-sm dark:border-slate-800 ${
                  active
                    ? "bg-accent/10"
                    : checked.has(m.uid)
                      ? "bg-amber-50 dark:bg-amber-950/30"
                      : "hover:bg-slate-50 dark:hover:bg-slate-900"
                }`}
                style={{ top: item.start, height: ROW_HEIGHT }}
              >
                <MessageRowCells
                  m={m}
                  who={sender}
                  subject={subject}
                  date={date}
                  size={formatBytes(m.size, locale)}
                  checked={checked.has(m.uid)}
                  onToggle={() => onToggle(m.uid)}
                />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
