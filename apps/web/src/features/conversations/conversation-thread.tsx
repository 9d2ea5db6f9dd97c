"use client";

import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { useTranslation } from "@/i18n/react";
import { formatFullDate, formatListDate } from "@pismo/protocol/format";
import { buttonClass } from "@/components/ui/dialog";
import { localeOf } from "@/i18n";
import { MoveMenu, type MoveTarget } from "../shared/message-parts";
import { inWindow, takesText } from "../shortcuts/takes-text";
import { startOpen } from "./start-open";

/** One message of an open conversation as its collapsed line shows it. */
export interface ThreadItem {
  id: string;
  sender: string;
  date: string | null;
  seen: boolean;
  subject: string;
  depth: number;
}

/**
 * An open conversation: every message in thread order, each an `article` named by its sender
 * and date. Read ones are one line until opened (click or Enter); the unread ones and the last
 * start open, and only open ones render their message (so only theirs is fetched). `n` and `p`
 * move between the messages; the toolbar acts on the whole conversation.
 */
export function ConversationThread({
  subject,
  items,
  renderMessage,
  onBack,
  onMarkRead,
  onDelete,
  deleteLabel,
  moveTargets,
  onMove,
}: {
  subject: string;
  items: readonly ThreadItem[];
  /** An open message, with its own actions, attachments and body. `collapse` closes it again. */
  renderMessage: (item: ThreadItem, collapse: () => void) => ReactNode;
  onBack: () => void;
  onMarkRead: () => void;
  onDelete: () => void;
  deleteLabel?: string;
  moveTargets: readonly MoveTarget[];
  onMove: (target: MoveTarget) => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const [open, setOpen] = useState(() => new Set(startOpen(items).map((m) => m.id)));
  // A message that joins while the conversation is open (a reply delivered now) opens when it
  // is unread or the newest; those seen before keep the user's choice.
  const known = useRef(new Set(items.map((m) => m.id)));
  useEffect(() => {
    const fresh = items.filter((m) => !known.current.has(m.id));
    if (fresh.length === 0) return;
    for (const m of fresh) known.current.add(m.id);
    const last = items[items.length - 1];
    setOpen((o) => {
      const n = new Set(o);
      for (const m of fresh) if (!m.seen || m.id === last?.id) n.add(m.id);
      return n;
    });
  }, [items]);
  const listRef = useRef<HTMLDivElement>(null);

  const articles = () => [
    ...(listRef.current?.querySelectorAll<HTMLElement>("article[data-thread-item]") ?? []),
  ];
  const step = (delta: number) => {
    const all = articles();
    const current = all.findIndex((a) => a.contains(document.activeElement));
    const next =
      all[
        Math.min(
          all.length - 1,
          Math.max(0, current === -1 ? (delta > 0 ? 0 : all.length - 1) : current + delta),
        )
      ];
    next?.focus();
    next?.scrollIntoView({ block: "nearest" });
  };

  // n / p work wherever the focus is, except while typing or in a dialog (the list keeps j / k).
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || takesText(e.target) || inWindow(e.target)) return;
      if (e.key === "n" || e.key === "p") {
        e.preventDefault();
        step(e.key === "n" ? 1 : -1);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const expand = (id: string) => setOpen((o) => new Set(o).add(id));
  const collapse = (id: string) =>
    setOpen((o) => {
      const n = new Set(o);
      n.delete(id);
      return n;
    });

  return (
    <section aria-label={t("conversations.region")} className="flex min-h-0 flex-1 flex-col">
      <div className="flex flex-wrap items-center gap-1 border-b border-slate-200 px-2 py-1.5 dark:border-slate-800">
        <button type="button" className={`${buttonClass.ghost} md:hidden`} onClick={onBack}>
          <span aria-hidden="true">←</span> {t("mail.back")}
        </button>
        <button
          type="button"
          className={buttonClass.ghost}
          disabled={items.every((m) => open.has(m.id))}
          onClick={() => setOpen(new Set(items.map((m) => m.id)))}
        >
          {t("conversations.expandAll")}
        </button>
        <button type="button" className={buttonClass.ghost} onClick={onMarkRead}>
          {t("conversations.markRead")}
        </button>
        <button type="button" className={buttonClass.ghost} onClick={onDelete}>
          {deleteLabel ?? t("conversations.delete")}
        </button>
        <MoveMenu label={t("conversations.moveTo")} targets={moveTargets} onMove={onMove} />
      </div>
      <div ref={listRef} className="min-h-0 flex-1 overflow-y-auto">
        <h2 className="px-4 pt-3 pb-2 text-lg font-semibold leading-snug">
          {subject || t("mail.noSubject")}
        </h2>
        {items.map((m) => {
          const expanded = open.has(m.id);
          return (
            <article
              key={m.id}
              data-thread-item={m.id}
              data-expanded={String(expanded)}
              aria-label={`${m.sender}, ${formatFullDate(m.date, locale)}`}
              tabIndex={-1}
              onKeyDown={(e: KeyboardEvent) => {
                if (!expanded && e.key === "Enter" && e.target === e.currentTarget) {
                  e.preventDefault();
                  expand(m.id);
                }
              }}
              className="mx-2 mb-2 flex flex-col rounded-lg border border-slate-200 outline-none focus-visible:ring-2 focus-visible:ring-accent dark:border-slate-800"
              style={{ marginLeft: `${0.5 + Math.min(m.depth, 6) * 0.5}rem` }}
            >
              {expanded ? (
                renderMessage(m, () => collapse(m.id))
              ) : (
                <button
                  type="button"
                  aria-expanded={false}
                  onClick={() => expand(m.id)}
                  className="flex w-full items-baseline gap-2 px-3 py-2 text-left text-sm hover:bg-slate-50 dark:hover:bg-slate-900"
                >
                  {!m.seen && <span aria-hidden className="size-2 shrink-0 rounded-full bg-accent" />}
                  <span className={`shrink-0 ${m.seen ? "" : "font-semibold"}`}>{m.sender}</span>
                  <span className="min-w-0 flex-1 truncate text-slate-500">{m.subject}</span>
                  <span className="shrink-0 text-xs tabular-nums text-slate-500">
                    {formatListDate(m.date, locale)}
                  </span>
                </button>
              )}
            </article>
          );
        })}
      </div>
    </section>
  );
}
