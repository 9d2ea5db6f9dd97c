"use client";

import type { ReactNode } from "react";
import type { FromMessageMode } from "../compose/compose-context";
import { useTranslation } from "@/i18n/react";
import { formatBytes, formatFullDate } from "@pismo/protocol/format";
import { buttonClass } from "@/components/ui/dialog";
import { EyeIcon, PaperclipIcon } from "@/components/ui/icons";
import type { DisplayAttachment, DisplayMessage } from "./display-message";
import { MoveMenu, type MoveTarget } from "./move-menu";
import { Person } from "./person";
import { SenderStatus, SenderWarnings } from "./sender-trust";
import { UnsubscribeButton } from "./unsubscribe";

// The parts of the reading view, the same for IMAP and POP3: each protocol's view passes a
// DisplayMessage and its own actions.

/** The open message: a toolbar over a scrolling header, notes, attachments and body. */
export function MessageFrame({
  toolbar,
  children,
  standby = false,
}: {
  toolbar: ReactNode;
  children: ReactNode;
  /** Rendered ahead out of sight (a neighbour): hidden, inert and unnamed until shown. */
  standby?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <article
      aria-label={standby ? undefined : t("mail.message")}
      hidden={standby}
      inert={standby}
      className={`${standby ? "hidden" : "flex"} min-h-0 flex-1 flex-col`}
    >
      <div className="flex flex-wrap items-center gap-1 border-b border-slate-200 px-2 py-1.5 dark:border-slate-800">
        {toolbar}
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">{children}</div>
    </article>
  );
}

// The move menu lives apart so that the list's selection bar does not load the reading
// view's sender checks (their public suffix list and address parser) with it.
export { MoveMenu, type MoveTarget } from "./move-menu";

/** Back (on a phone), reply, reply all, forward, read state, flag, delete and move. */
export function MessageToolbar({
  m,
  onBack,
  answer,
  onSeen,
  onFlag,
  deleteLabel,
  onDelete,
  moveTargets,
  onMove,
  children,
}: {
  m: Pick<DisplayMessage, "seen" | "flagged">;
  onBack: () => void;
  /** Null where a message cannot be answered (a draft is finished in the compose panel). */
  answer: {
    open: (mode: FromMessageMode) => void;
    disabled: boolean;
    forwardDisabled: boolean;
  } | null;
  onSeen: (seen: boolean) => void;
  onFlag: (flagged: boolean) => void;
  deleteLabel?: string;
  onDelete: () => void;
  moveTargets: readonly MoveTarget[];
  onMove: (target: MoveTarget) => void;
  /** Further actions of one protocol. */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      <button type="button" className={`${buttonClass.ghost} md:hidden`} onClick={onBack}>
        <span aria-hidden="true">←</span> {t("mail.back")}
      </button>
      {answer && (
        <>
          <button
            type="button"
            className={buttonClass.ghost}
            disabled={answer.disabled}
            onClick={() => answer.open("reply")}
          >
            {t("mail.reply")}
          </button>
          <button
            type="button"
            className={buttonClass.ghost}
            disabled={answer.disabled}
            onClick={() => answer.open("replyAll")}
          >
            {t("mail.replyAll")}
          </button>
          <button
            type="button"
            className={buttonClass.ghost}
            disabled={answer.disabled || answer.forwardDisabled}
            onClick={() => answer.open("forward")}
          >
            {t("mail.forward")}
          </button>
          <button
            type="button"
            className={buttonClass.ghost}
            disabled={answer.disabled || answer.forwardDisabled}
            title={t("mail.forwardAttachedHint")}
            onClick={() => answer.open("forwardAttached")}
          >
            {t("mail.forwardAttached")}
          </button>
          <button
            type="button"
            className={buttonClass.ghost}
            disabled={answer.disabled || answer.forwardDisabled}
            title={t("mail.editAsNewHint")}
            onClick={() => answer.open("editAsNew")}
          >
            {t("mail.editAsNew")}
          </button>
        </>
      )}
      <button type="button" className={buttonClass.ghost} onClick={() => onSeen(!m.seen)}>
        {m.seen ? t("mail.markUnread") : t("mail.markRead")}
      </button>
      <button
        type="button"
        className={buttonClass.ghost}
        aria-pressed={m.flagged}
        onClick={() => onFlag(!m.flagged)}
      >
        {m.flagged ? t("mail.unflag") : t("mail.flag")}
      </button>
      <button type="button" className={buttonClass.ghost} onClick={onDelete}>
        {deleteLabel ?? t("mail.delete")}
      </button>
      <MoveMenu
        id="move-one"
        label={t("mail.moveTo")}
        targets={moveTargets}
        onMove={onMove}
        className="rounded-md border border-transparent bg-transparent px-1 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
      />
      {children}
    </>
  );
}

function People({ label, people }: { label: string; people: DisplayMessage["to"] }) {
  if (people.length === 0) return null;
  return (
    <div>
      <span className="text-slate-500">{label}: </span>
      {people.map((a, i) => (
        <span key={i}>
          {i > 0 && ", "}
          <Person a={a} />
        </span>
      ))}
    </div>
  );
}

/** Subject, From (name and the real address), To, Cc and the date. */
export function MessageHeader({ m, locale }: { m: DisplayMessage; locale: string }) {
  const { t } = useTranslation();
  return (
    <>
      <header className="space-y-1 border-b border-slate-200 px-4 py-3 text-sm dark:border-slate-800">
        <h2 className="text-lg font-semibold leading-snug">{m.subject || t("mail.noSubject")}</h2>
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <span>
            <span className="text-slate-500">{t("mail.from")}: </span>
            {m.from ? <Person a={m.from} /> : m.fromText || t("mail.unknownSender")}
          </span>
          {m.sender && <SenderStatus trust={m.sender} />}
          {m.unsubscribe && <UnsubscribeButton unsubscribe={m.unsubscribe} />}
        </div>
        <People label={t("mail.to")} people={m.to} />
        <People label={t("mail.cc")} people={m.cc} />
        <People label={t("mail.bcc")} people={m.bcc} />
        <div className="text-slate-500">
          <time dateTime={m.date ?? undefined}>{formatFullDate(m.date, locale)}</time>
        </div>
      </header>
      {m.sender && <SenderWarnings warnings={m.sender.warnings} />}
    </>
  );
}

/** Why the message shows differently from what its sender wrote: nothing is changed silently. */
export function MessageNotes({ m }: { m: Pick<DisplayMessage, "charsetNote" | "truncated" | "problems"> }) {
  const { t } = useTranslation();
  return (
    <>
      {m.charsetNote && (
        <p
          role="note"
          className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-xs text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
        >
          {m.charsetNote.unknown.length > 0
            ? t("mail.charsetUnknown", { charsets: m.charsetNote.unknown.join(", ") })
            : t("mail.charsetGuessed")}
        </p>
      )}
      {m.truncated && (
        <p role="note" className="border-b border-slate-200 px-4 py-2 text-xs text-slate-600">
          {t("mail.truncated")}
        </p>
      )}
      {m.problems.map((code) => (
        <p
          key={code}
          role="note"
          className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-xs text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
        >
          {t(`mail.problem.${code}`)}
        </p>
      ))}
    </>
  );
}

/** How one protocol gets an attachment's bytes: a link to the gateway, or bytes kept here. */
export interface AttachmentActions {
  save: (a: DisplayAttachment) => { href: string } | { onClick: () => void };
  /** Opens an attached message (message/rfc822) in a dialog. */
  openMessage?: (a: DisplayAttachment, name: string) => void;
  /** A URL that shows an image in a tab of its own. */
  previewHref?: (a: DisplayAttachment) => string;
  /** Further buttons of a chip (a PDF's preview). */
  more?: (a: DisplayAttachment, name: string) => ReactNode;
}

const chipAction = "flex min-w-0 items-center gap-2 px-2.5 py-1.5 hover:bg-slate-50 dark:hover:bg-slate-800";
const chipExtra =
  "border-l border-slate-200 px-2 py-1.5 hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800";

export function AttachmentChips({
  attachments,
  locale,
  actions,
}: {
  attachments: readonly DisplayAttachment[];
  locale: string;
  actions: AttachmentActions;
}) {
  const { t } = useTranslation();
  if (attachments.length === 0) return null;
  return (
    <section
      aria-label={t("mail.attachments")}
      className="flex flex-wrap gap-2 border-b border-slate-200 px-4 py-2 dark:border-slate-800"
    >
      {attachments.map((a) => {
        const name = a.filename || a.mimeType;
        const save = actions.save(a);
        const label = (
          <>
            <PaperclipIcon />
            <span className="truncate font-medium">{name}</span>
            <span className="shrink-0 text-slate-500">{formatBytes(a.size, locale)}</span>
          </>
        );
        return (
          <span
            key={a.id}
            className="flex max-w-full items-center overflow-hidden rounded-lg border border-slate-200 text-xs dark:border-slate-700"
          >
            {"href" in save ? (
              <a href={save.href} download={a.filename || undefined} className={chipAction}>
                {label}
              </a>
            ) : (
              <button type="button" onClick={save.onClick} className={`${chipAction} text-left`}>
                {label}
              </button>
            )}
            {a.isMessage && actions.openMessage && (
              <button
                type="button"
                className={chipExtra}
                aria-label={t("mail.openAttached", { name })}
                onClick={() => actions.openMessage?.(a, name)}
              >
                ↗
              </button>
            )}
            {actions.previewHref && /^image\/(png|jpeg|gif|webp)$/.test(a.mimeType) && (
              <a
                href={actions.previewHref(a)}
                target="_blank"
                rel="noopener noreferrer"
                aria-label={t("mail.preview", { name })}
                className={chipExtra}
              >
                <EyeIcon />
              </a>
            )}
            {actions.more?.(a, name)}
          </span>
        );
      })}
    </section>
  );
}
