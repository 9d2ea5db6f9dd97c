"use client";

import { useCallback, useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";
import { OPEN_FOLDERS_ATTR } from "./mail-layout";

// The parts around the lists that IMAP and POP3 mailboxes share: the list's title bar, the bar
// of actions on the selected messages, the account line, the tab title and the selection.

/** The browser tab says how many unread messages the Inbox has, then where the user is. */
export function useDocumentTitle(inboxUnread: number, title: string): void {
  useEffect(() => {
    document.title = `${inboxUnread > 0 ? `(${inboxUnread}) ` : ""}${title} — Pismo`;
  }, [inboxUnread, title]);
}

/** The rows ticked for a bulk action. */
export function useChecked<T>() {
  const [checked, setChecked] = useState<Set<T>>(new Set());
  const toggle = useCallback(
    (id: T) =>
      setChecked((c) => {
        const n = new Set(c);
        if (n.has(id)) n.delete(id);
        else n.add(id);
        return n;
      }),
    [],
  );
  const setAll = useCallback(
    (ids: readonly T[], on: boolean) => setChecked(on ? new Set(ids) : new Set()),
    [],
  );
  /** Adds these to the selection (a Shift-click's range). */
  const add = useCallback((ids: readonly T[]) => setChecked((c) => new Set([...c, ...ids])), []);
  const clear = useCallback(() => setChecked(new Set()), []);
  /** Takes these out of the selection (gone from the folder). */
  const drop = useCallback(
    (ids: readonly T[]) =>
      setChecked((c) =>
        ids.some((id) => c.has(id)) ? new Set([...c].filter((id) => !ids.includes(id))) : c,
      ),
    [],
  );
  return { checked, toggle, setAll, add, clear, drop };
}

/**
 * Above the list: the folders button (on a phone or a tablet), the folder's name, and its actions. Where the
 * name and the actions do not fit on one line (a phone in Trash: Empty Trash, Conversations, the
 * order), the actions go to a line of their own under it instead of squeezing it to an ellipsis.
 */
export function ListTitleBar({
  title,
  onOpenFolders,
  children,
}: {
  title: string;
  onOpenFolders: () => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="flex min-h-11 shrink-0 flex-wrap items-center gap-x-2 gap-y-1 border-b border-slate-200 px-3 py-1 dark:border-slate-800">
      <button
        type="button"
        className={`${buttonClass.ghost} lg:hidden`}
        aria-label={t("mail.openFolders")}
        {...{ [OPEN_FOLDERS_ATTR]: "" }}
        onClick={onOpenFolders}
      >
        ☰
      </button>
      <h1 className="min-w-0 flex-auto truncate text-base font-semibold">{title}</h1>
      {children && <div className="ml-auto flex flex-wrap items-center justify-end gap-2">{children}</div>}
    </div>
  );
}

/** Empty trash, after the user confirms how many messages go for good. */
export function EmptyTrashButton({
  count,
  name,
  onEmpty,
}: {
  count: number;
  name: string;
  onEmpty: () => void;
}) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className={buttonClass.ghost}
      onClick={() => {
        if (confirm(t("mail.confirmEmpty", { count, name }))) onEmpty();
      }}
    >
      {t("mail.emptyTrash")}
    </button>
  );
}

/** Shown while messages are ticked: read, unread, delete, forward them as attachments, and
 * the protocol's move menus. */
export function SelectionBar({
  waiting = false,
  onSeen,
  deleteLabel,
  onDelete,
  onForward,
  children,
}: {
  /** The selection is still being made (its actions are disabled until it is). */
  waiting?: boolean;
  onSeen: (seen: boolean) => void;
  deleteLabel?: string;
  onDelete: () => void;
  /** Absent where the selection cannot be forwarded (Drafts). */
  onForward?: () => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  // A fieldset disables every button inside, the Move menu's included.
  return (
    <fieldset
      disabled={waiting}
      aria-busy={waiting}
      className="m-0 flex min-w-0 flex-wrap items-center gap-1 border-0 border-b border-slate-200 bg-slate-50 px-2 py-1 disabled:opacity-60 dark:border-slate-800 dark:bg-slate-900"
    >
      <button type="button" className={buttonClass.ghost} onClick={() => onSeen(true)}>
        {t("mail.markRead")}
      </button>
      <button type="button" className={buttonClass.ghost} onClick={() => onSeen(false)}>
        {t("mail.markUnread")}
      </button>
      <button type="button" className={buttonClass.ghost} onClick={onDelete}>
        {deleteLabel ?? t("mail.delete")}
      </button>
      {onForward && (
        <button
          type="button"
          className={buttonClass.ghost}
          title={t("mail.forwardSelectedHint")}
          onClick={onForward}
        >
          {t("mail.forwardSelected")}
        </button>
      )}
      {children}
    </fieldset>
  );
}

/** Who is signed in, and Sign out. */
export function AccountLine({ email, onSignOut }: { email: string; onSignOut: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      <span className="truncate text-slate-500" title={email}>
        {email}
      </span>
      {/* The address gives up width, not the button: "Sign out" on one line. */}
      <button type="button" className={`${buttonClass.ghost} shrink-0 whitespace-nowrap`} onClick={onSignOut}>
        {t("mail.signOut")}
      </button>
    </>
  );
}

/** Compose a new message. */
export function ComposeButton({ onCompose }: { onCompose: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className={`${buttonClass.primary} w-full py-2`} onClick={onCompose}>
      {t("mail.compose")}
    </button>
  );
}
