"use client";

import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "@/i18n/react";
import { Dialog, buttonClass } from "@/components/ui/dialog";
import type { ComposeFields } from "../compose/initial-draft";
import { ownHtmlText } from "../compose/compose-sanitizer";
import { inDialog } from "../shortcuts/takes-text";
import { composeKeyAction, confirmRecipients, missingBeforeSend, type ComposeField } from "./compose-keys";

const RECIPIENT_FIELDS = ["to", "cc", "bcc"] as const;
type RecipientName = (typeof RECIPIENT_FIELDS)[number];

function fieldOf(target: EventTarget): { kind: ComposeField; name: RecipientName | null } {
  if (target instanceof HTMLTextAreaElement || (target instanceof HTMLElement && target.isContentEditable))
    return { kind: "body", name: null };
  if (target instanceof HTMLInputElement) {
    const name = RECIPIENT_FIELDS.find((n) => n === target.name) ?? null;
    if (name) return { kind: "recipient", name };
    if (target.name === "subject") return { kind: "subject", name: null };
    return { kind: "other", name: null };
  }
  return { kind: "control", name: null };
}

function focusBody(form: HTMLElement) {
  form.querySelector<HTMLElement>('textarea, [contenteditable="true"]')?.focus();
}

/**
 * The compose window's keys and the question before sending: Enter never sends (it confirms
 * an address, or moves from Subject to the text), Ctrl/Cmd+Enter and the Send button do, and
 * a message without a subject or without text is sent only after the user says so.
 */
export function useComposeKeys({
  fields,
  update,
  send,
  uploading = 0,
}: {
  fields: ComposeFields | null;
  update: (patch: Partial<ComposeFields>) => void;
  send: () => void;
  /** Files still uploading: attached, as far as the question before sending is concerned. */
  uploading?: number;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState<{ subject: boolean; text: boolean; attachment: boolean } | null>(null);
  const [note, setNote] = useState<{ text: string; alert: boolean } | null>(null);
  // Where Cancel returns to. Focused after the question's <dialog> has closed: closing it
  // gives focus back to the Send button, and this comes after (the dialog's effect runs first).
  const refocus = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (asking || !refocus.current) return;
    refocus.current.focus();
    refocus.current = null;
  }, [asking]);

  const requestSend = () => {
    if (!fields) return;
    const missing = missingBeforeSend(
      { ...fields, uploading },
      fields.rich ? ownHtmlText(fields.html) : fields.text,
    );
    if (missing.subject || missing.text || missing.attachment) setAsking(missing);
    else send();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    // The question's own buttons answer Enter as buttons do.
    if (inDialog(e.target)) return;
    const field = fieldOf(e.target);
    const action = composeKeyAction(
      {
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        shiftKey: e.shiftKey,
        altKey: e.altKey,
        isComposing: e.nativeEvent.isComposing,
      },
      field.kind,
    );
    if (action === null) return;
    e.preventDefault();
    if (action === "send") requestSend();
    else if (action === "to-body") focusBody(e.currentTarget);
    else if (action === "confirm-recipient" && field.name && fields) {
      const result = confirmRecipients(fields[field.name]);
      update({ [field.name]: result.text });
      setNote(
        result.invalid.length > 0
          ? { text: t("messageTools.notAnAddress", { list: result.invalid.join(", ") }), alert: true }
          : result.confirmed > 0
            ? { text: t("messageTools.recipients", { count: result.confirmed }), alert: false }
            : null,
      );
    }
  };

  const title =
    asking?.subject && asking.text
      ? t("messageTools.askNoSubjectNoText")
      : asking?.subject && asking.attachment
        ? t("messageTools.askNoSubjectNoAttachment")
        : asking?.subject
          ? t("messageTools.askNoSubject")
          : asking?.attachment
            ? t("messageTools.askNoAttachment")
            : t("messageTools.askNoText");

  const cancel = (form: HTMLElement | null) => {
    // Back where the missing part is written; the fields are as they were.
    const subject = form?.querySelector<HTMLInputElement>('input[name="subject"]') ?? null;
    // A file said to be attached: on Attach files, whose Enter opens the file chooser.
    const attach = form?.querySelector<HTMLElement>("[data-attach]") ?? null;
    refocus.current =
      asking?.subject && subject
        ? subject
        : asking?.attachment && attach
          ? attach
          : (form?.querySelector<HTMLElement>('textarea, [contenteditable="true"]') ?? null);
    setAsking(null);
  };

  const ui = (
    <>
      {note && (
        <p
          role={note.alert ? "alert" : "status"}
          className={
            note.alert
              ? "border-b border-red-200 bg-red-50 px-3 py-1 text-xs text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
              : "sr-only"
          }
        >
          {note.text}
        </p>
      )}
      <Dialog open={asking !== null} title={title} onClose={() => setAsking(null)}>
        {asking?.attachment && (
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-300">
            {t("messageTools.askAttachmentDetail")}
          </p>
        )}
        <p className="mb-4 text-sm text-slate-600 dark:text-slate-300">{t("messageTools.askDetail")}</p>
        <div className="flex justify-end gap-2">
          <button
            type="button"
            className={buttonClass.secondary}
            onClick={(e) => cancel(e.currentTarget.closest("section"))}
          >
            {t("messageTools.cancel")}
          </button>
          <button
            type="button"
            className={buttonClass.primary}
            onClick={() => {
              setAsking(null);
              send();
            }}
          >
            {t("messageTools.sendAnyway")}
          </button>
        </div>
      </Dialog>
    </>
  );

  return { onKeyDown, requestSend, ui };
}
