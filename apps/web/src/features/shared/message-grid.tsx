"use client";

import type { CSSProperties, DragEvent, KeyboardEvent, PointerEvent } from "react";
import { useTranslation } from "@/i18n/react";
import type { TFunction } from "@/i18n/translate";
import { FlagIcon, PaperclipIcon } from "@/components/ui/icons";
import { ROW_HEIGHT } from "./row-height";

// The message list's grid, the same for IMAP (virtualised, server windows) and POP3
// (virtualised, IndexedDB windows): the select-all bar, the rows and the keys.

interface RowMarks {
  seen: boolean;
  flagged: boolean;
  hasAttachment: boolean;
}

/** A row's accessible name: who, what, when, and every mark the eye sees (unread, flag, paperclip). */
export function rowLabel(t: TFunction, who: string, subject: string, date: string, m: RowMarks): string {
  return `${who}, ${subject}, ${date}${m.seen ? "" : `, ${t("mail.unread")}`}${m.flagged ? `, ${t("mail.flagged")}` : ""}${m.hasAttachment ? `, ${t("mail.hasAttachment")}` : ""}`;
}

/** Offered once every loaded row is checked and the folder holds more: select the whole folder. */
export interface WholeFolder {
  /** Messages in the folder. */
  total: number;
  /** The folder's name as the list shows it. */
  name: string;
  /** True while the folder's messages are being asked for. */
  busy: boolean;
  onSelect: () => void;
}

/**
 * The checkbox that selects every row shown, and how many are selected. Where only part of the
 * folder is loaded (a long IMAP folder), "Select all N in …" then selects the rest too.
 */
export function SelectAllBar({
  allChecked,
  selected,
  onToggleAll,
  wholeFolder,
}: {
  allChecked: boolean;
  selected: number;
  onToggleAll: (on: boolean) => void;
  wholeFolder?: WholeFolder | null;
}) {
  const { t } = useTranslation();
  const offerFolder = wholeFolder && allChecked && selected < wholeFolder.total;
  return (
    <div className="flex h-9 shrink-0 items-center gap-2 border-b border-slate-200 px-3 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400">
      <input
        type="checkbox"
        aria-label={t("mail.selectAll")}
        checked={allChecked}
        onChange={(e) => onToggleAll(e.target.checked)}
      />
      <span className="shrink-0 whitespace-nowrap">
        {selected > 0 ? t("mail.selected", { count: selected }) : ""}
      </span>
      {offerFolder && (
        <button
          type="button"
          className="min-w-0 truncate rounded px-1.5 py-0.5 font-medium text-accent hover:bg-slate-100 disabled:opacity-60 dark:hover:bg-slate-800"
          disabled={wholeFolder.busy}
          onClick={wholeFolder.onSelect}
        >
          {wholeFolder.busy
            ? t("mail.selectingFolder", { folder: wholeFolder.name })
            : t("mail.selectFolder", { count: wholeFolder.total, folder: wholeFolder.name })}
        </button>
      )}
    </div>
  );
}

/**
 * The message id of the row a plain primary press landed on (not on its checkbox, a button or a
 * link), or null: the lists read a message ahead from the press, before the click that follows.
 */
export function pressedRowId(e: PointerEvent): string | null {
  if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  const target = e.target as Element;
  if (target.closest("input, button, a, label")) return null;
  return target.closest('[role="row"][data-message-id]')?.getAttribute("data-message-id") ?? null;
}

/**
 * The list's keys: j/k or the arrows move, Home/End jump, Delete removes the selection, Space
 * selects the open message, m focuses the Move to… menu.
 */
export function onGridKeyDown<Id>(
  e: KeyboardEvent,
  {
    move,
    onDelete,
    openId,
    onToggle,
  }: { move: (delta: number) => void; onDelete: () => void; openId: Id | null; onToggle: (id: Id) => void },
): void {
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
      if (openId !== null) {
        e.preventDefault();
        onToggle(openId);
      }
      break;
  }
}

/** Starts dragging IMAP messages of one folder onto another (the folder list moves them, or
 * copies them with the copy modifier). `uidValidity`: the one the UIDs were read with, where
 * the folder's cached list windows may have another (search results). */
export function dragImapMessages(
  e: DragEvent,
  folder: string,
  uids: readonly number[],
  uidValidity?: string,
): void {
  e.dataTransfer.setData("application/x-pismo-messages", JSON.stringify({ folder, uids, uidValidity }));
  e.dataTransfer.effectAllowed = "copyMove";
}

export { ROW_HEIGHT };

/** A row whose data is still on its way: the shape of a row, pulsing, hidden from screen readers. */
export function PlaceholderRow({ top }: { top: number }) {
  return (
    <div
      role="presentation"
      className="absolute inset-x-0 animate-pulse border-b border-slate-100 px-4 py-3 dark:border-slate-800"
      style={{ top, height: ROW_HEIGHT }}
    >
      <div className="h-3 w-1/3 rounded bg-slate-200 dark:bg-slate-800" />
      <div className="mt-2 h-3 w-2/3 rounded bg-slate-100 dark:bg-slate-800/60" />
    </div>
  );
}

/**
 * The row the list's keys start from while nothing is open (the one last open, useListCursor):
 * marked for the eye and for the `o` / Enter shortcut, which opens it.
 */
export function cursorMark(cursor: boolean): { "data-cursor"?: ""; className: string } {
  return cursor ? { "data-cursor": "", className: "ring-1 ring-inset ring-accent/50" } : { className: "" };
}

/**
 * A memoized row's comparison (memo's second argument): the same place in the window and the
 * same state, that is every prop the same as memo's own comparison has it (its place, open,
 * cursor, checked, locale, the list's one actions object), and its item the same. `content`
 * names the props compared by what the row shows of them instead: a list whose every write
 * rebuilds its items (a POP3 window read again, conversations threaded again from the store)
 * then renders only the rows whose content changed, not the window.
 */
export function sameRowProps<P extends object>(
  a: P,
  b: P,
  content: { readonly [K in keyof P]?: (x: P[K], y: P[K]) => boolean } = {},
): boolean {
  const keys = Object.keys(a) as Array<keyof P>;
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => {
    if (!Object.hasOwn(b, k)) return false;
    const same = content[k];
    return Object.is(a[k], b[k]) || (same !== undefined && same(a[k], b[k]));
  });
}

/** Whether two versions of an item are the same in `fields` (what a row shows of it). */
export function sameFields<T extends object>(a: T, b: T, fields: ReadonlyArray<keyof T>): boolean {
  return a === b || fields.every((k) => Object.is(a[k], b[k]));
}

/** One message: a row named for screen readers, draggable onto a folder, opened on click. */
export function MessageGridRow({
  id,
  m,
  index,
  active,
  cursor = false,
  checked,
  who,
  subject,
  date,
  size,
  onOpen,
  onToggle,
  onDragStart,
  senderMark = null,
  className = "",
  style,
}: {
  id: string | number;
  m: RowMarks;
  index: number;
  active: boolean;
  /** Nothing is open and this row was open last (cursorMark). */
  cursor?: boolean;
  checked: boolean;
  who: string;
  subject: string;
  date: string;
  size?: string;
  onOpen: () => void;
  onToggle: () => void;
  onDragStart: (e: DragEvent) => void;
  /** A verified or failed sender, when known (not-verified is not marked). */
  senderMark?: "verified" | "failed" | null;
  /** Layout: the virtual lists place rows absolutely, at their offsets. */
  className?: string;
  style?: CSSProperties;
}) {
  const { t } = useTranslation();
  const mark = cursorMark(cursor && !active);
  return (
    <div
      role="row"
      aria-rowindex={index + 1}
      aria-selected={active}
      aria-label={`${rowLabel(t, who, subject, date, m)}${senderMark ? `, ${t(senderMark === "verified" ? "trust.listMarkVerified" : "trust.listMarkFailed")}` : ""}`}
      data-message-id={id}
      data-seen={String(m.seen)}
      data-cursor={mark["data-cursor"]}
      draggable
      onDragStart={onDragStart}
      onClick={onOpen}
      className={`${className} ${mark.className} flex cursor-pointer items-start gap-3 border-b border-slate-100 px-3 py-2 text-sm dark:border-slate-800 ${
        active
          ? "bg-accent/10"
          : checked
            ? "bg-amber-50 dark:bg-amber-950/30"
            : "hover:bg-slate-50 dark:hover:bg-slate-900"
      }`}
      style={style}
    >
      <MessageRowCells
        m={m}
        who={who}
        subject={subject}
        date={date}
        {...(size ? { size } : {})}
        senderMark={senderMark}
        checked={checked}
        onToggle={onToggle}
      />
    </div>
  );
}

/** The two cells of a message row: a selection checkbox, then who, when, what, and the marks. */
function MessageRowCells({
  m,
  who,
  subject,
  date,
  size,
  senderMark,
  checked,
  onToggle,
}: {
  m: { seen: boolean; flagged: boolean; hasAttachment: boolean };
  senderMark: "verified" | "failed" | null;
  who: string;
  subject: string;
  date: string;
  size?: string;
  checked: boolean;
  onToggle: () => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <div role="gridcell" className="pt-0.5" onClick={(e) => e.stopPropagation()}>
        <input type="checkbox" aria-label={t("mail.selectMessage")} checked={checked} onChange={onToggle} />
      </div>
      <div role="gridcell" className="min-w-0 flex-1">
        <div className="flex items-baseline gap-2">
          {!m.seen && (
            <span aria-hidden className="size-2 shrink-0 translate-y-[-1px] rounded-full bg-accent" />
          )}
          <span
            className={`min-w-0 flex-1 truncate ${m.seen ? "text-slate-700 dark:text-slate-300" : "font-semibold"}`}
          >
            {who}
          </span>
          {senderMark === "verified" && (
            <span
              title={t("trust.listMarkVerified")}
              aria-hidden
              className="shrink-0 text-xs text-emerald-600 dark:text-emerald-400"
            >
              ✓
            </span>
          )}
          {senderMark === "failed" && (
            <span
              title={t("trust.listMarkFailed")}
              aria-hidden
              className="shrink-0 text-xs text-red-600 dark:text-red-400"
            >
              ⚠
            </span>
          )}
          <span className="shrink-0 text-xs tabular-nums text-slate-500 dark:text-slate-400">{date}</span>
        </div>
        <div className="mt-0.5 flex items-baseline gap-2">
          <span
            className={`min-w-0 flex-1 truncate ${m.seen ? "text-slate-600 dark:text-slate-400" : "font-medium text-slate-900 dark:text-slate-100"}`}
          >
            {subject}
          </span>
          {m.hasAttachment && (
            <span title={t("mail.hasAttachment")} className="shrink-0 text-slate-400">
              <PaperclipIcon />
            </span>
          )}
          {m.flagged && (
            <span title={t("mail.flagged")} className="shrink-0 text-red-500">
              <FlagIcon />
            </span>
          )}
          {size && <span className="shrink-0 text-xs tabular-nums text-slate-400">{size}</span>}
        </div>
      </div>
    </>
  );
}
