"use client";

import { useEffect, useRef } from "react";
import { useUndo } from "../actions/undo";
import { selectRangeIn } from "../shared/virtual-grid";
import { openMoveMenu } from "../shared/move-menu";
import { useShortcutHandlers } from "./shortcuts";
import { focusWhenThere } from "@/lib/focus-when-there";

/** The message list (IMAP, POP3, conversations: one grid at a time). */
function messageGrid(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[role="grid"]');
}

/** Makes `el` (a message, a conversation) focusable without putting it in the Tab order. */
export function focusableOutOfTabOrder<T extends HTMLElement | null>(el: T): T {
  if (el && !el.hasAttribute("tabindex")) el.tabIndex = -1;
  return el;
}

/** The open message (or conversation), focusable without being in the Tab order. */
function openMessage(): HTMLElement | null {
  return focusableOutOfTabOrder(
    document.querySelector<HTMLElement>("article[aria-label]") ??
      document.querySelector<HTMLElement>("[role=region][aria-label]"),
  );
}

/** Focus is on the list or nowhere in particular (not in the open message, not on a control). */
function onListOrNowhere(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || messageGrid()?.contains(active) === true;
}

/** The focus went with a message no longer shown (hidden and inert, or taken off the page). */
function focusLeftWithMessage(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || active.closest("[inert]") !== null;
}

/** The list's own keys (j / k move and open, Space selects) run on the grid, wherever the focus is. */
function sendToGrid(key: string): boolean {
  const grid = messageGrid();
  if (!grid) return false;
  if (!grid.contains(document.activeElement)) grid.focus();
  grid.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
  return true;
}

export interface MailShortcuts<Id> {
  /** What an action acts on: the selected messages, else the open one. */
  selection: readonly Id[];
  /** The open message's id (or conversation key), null when none is open. */
  openId: string | number | null;
  inJunk: boolean;
  compose: () => void;
  /** Closes the open message (back to the list). */
  close: () => void;
  archive: (ids: Id[]) => void;
  remove: (ids: Id[]) => void;
  spam: (ids: Id[], spam: boolean) => void;
  setSeen: (ids: Id[], seen: boolean) => void;
  setFlagged: (ids: Id[], flagged: boolean) => void;
  toggle: (id: Id) => void;
  goTo: (special: "inbox" | "sent" | "drafts") => void;
}

/**
 * The mailbox's part of the keyboard: acting on the selection, moving through the list, going
 * to a folder, Undo. The open message adds reply / reply all / forward / flag itself. Focus
 * moves into a message opened with o, Enter or a click, and back to the list when it closes.
 */
export function useMailShortcuts<Id>(m: MailShortcuts<Id>): void {
  const undo = useUndo();
  const focusOnOpen = useRef(false);
  const ids = () => [...m.selection];
  const some = (fn: (ids: Id[]) => void) => () => {
    if (m.selection.length === 0) return false;
    fn(ids());
  };

  useShortcutHandlers({
    compose: m.compose,
    archive: some(m.archive),
    delete: some(m.remove),
    spam: some((s) => m.spam(s, !m.inJunk)),
    markRead: some((s) => m.setSeen(s, true)),
    markUnread: some((s) => m.setSeen(s, false)),
    flag: some((s) => m.setFlagged(s, true)),
    select: () => {
      if (m.openId === null) return false;
      m.toggle(m.openId as Id);
    },
    move: () => openMoveMenu(),
    next: () => sendToGrid("j"),
    previous: () => sendToGrid("k"),
    open: () => {
      if (!onListOrNowhere()) return false;
      if (m.openId !== null) {
        const el = openMessage();
        if (!el) return false;
        el.focus();
        return;
      }
      // The row last open (after u or Back), else the first.
      const grid = messageGrid();
      const row =
        grid?.querySelector<HTMLElement>('[role="row"][data-cursor]') ??
        grid?.querySelector<HTMLElement>('[role="row"]');
      if (!row) return false;
      focusOnOpen.current = true;
      row.click();
    },
    back: () => {
      if (m.openId === null) return false;
      m.close();
    },
    goInbox: () => m.goTo("inbox"),
    goSent: () => m.goTo("sent"),
    goDrafts: () => m.goTo("drafts"),
    undo: () => undo.undoLast(),
  });

  // A row clicked opens its message with the focus in it (keys then act on that message);
  // Shift-click selects every row from the last one clicked to this one (the rows shown), in
  // the list that grid shows (its own ids: a folder's, search results', a POP3 folder's).
  const anchor = useRef<string | null>(null);
  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      if (!(e.target instanceof Element)) return;
      const row = e.target.closest('[role="grid"] [role="row"][data-message-id]');
      const grid = row?.closest('[role="grid"]');
      if (!row || !grid) return;
      const id = row.getAttribute("data-message-id") ?? "";
      if (e.shiftKey && anchor.current !== null) {
        const rows = [...grid.querySelectorAll('[role="row"][data-message-id]')];
        const ids = rows.map((r) => r.getAttribute("data-message-id") ?? "");
        const from = ids.indexOf(anchor.current);
        const to = ids.indexOf(id);
        const picked = ids.slice(Math.min(from, to), Math.max(from, to) + 1);
        if (from >= 0 && to >= 0 && selectRangeIn(grid, picked)) {
          // Before React sees the click: a Shift-click selects, it does not open.
          e.preventDefault();
          e.stopPropagation();
          return;
        }
      }
      anchor.current = id;
      if (!e.target.closest("input")) focusOnOpen.current = true;
    };
    document.addEventListener("click", onClick, true);
    return () => document.removeEventListener("click", onClick, true);
  }, []);

  const wasOpen = useRef(m.openId);
  useEffect(() => {
    const before = wasOpen.current;
    wasOpen.current = m.openId;
    if (m.openId !== null && focusOnOpen.current) {
      focusOnOpen.current = false;
      focusWhenThere(openMessage);
    } else if (m.openId !== null && before !== null && focusLeftWithMessage()) {
      // Another message shown in place of the one that had the focus (the next one, after it
      // was deleted from its toolbar or with #): the focus goes into it, not to the page's body.
      focusWhenThere(openMessage);
    } else if (m.openId === null && before !== null) {
      // Closed: back to the list, whose open row it was (the grid marks its active row).
      const active = document.activeElement;
      if (!active || active === document.body || !active.closest("dialog, [role=search]"))
        focusWhenThere(messageGrid);
    }
  }, [m.openId]);
}
