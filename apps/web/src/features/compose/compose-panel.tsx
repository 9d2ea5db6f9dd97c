"use client";

import { useCallback, useEffect, useRef, useState, type DragEvent } from "react";
import { useTranslation } from "@/i18n/react";
import type { Account, DraftAttachment } from "@pismo/protocol/schemas";
import { buttonClass } from "@/components/ui/dialog";
import { PaperclipIcon } from "@/components/ui/icons";
import { localeOf } from "@/i18n";
import { gatewayBytes, partUrl } from "@/lib/gateway-http";
import { isPictureType } from "../shared/display-message";
import { AttachmentsStrip } from "./attachments-strip";
import { useCompose, type ComposeRequest } from "./compose-context";
import type { DraftStore } from "./draft-store";
import { HeaderFields } from "./header-fields";
import { FromField } from "../identities/from-field";
import { RichEditor, type RichSignature } from "./rich-editor";
import { useComposeForm } from "./use-compose-form";
import { useComposeKeys } from "../message-tools/use-compose-keys";
import { inDialog } from "../shortcuts/takes-text";
import { TemplatesMenu } from "../templates/templates-menu";
import { htmlText, outgoingHtml, sanitizeComposeHtml } from "./compose-sanitizer";
import { htmlSignatureBlock, plainSignatureBlock, swapPlainSignature } from "@pismo/protocol/identities";
import { templateAsHtml, templateAsText, type TemplateBody } from "@pismo/protocol/templates";

/**
 * The compose window: a panel that leaves the message list and the open message in place.
 * `drafts` says where drafts and the sent copy are kept; by default on the IMAP server.
 */
export function ComposePanel({ account, drafts }: { account: Account; drafts?: DraftStore }) {
  const { request, serial } = useCompose();
  if (!request) return null;
  return <ComposeForm key={serial} serial={serial} account={account} request={request} drafts={drafts} />;
}

/** Focuses the plain-text body with the caret at its start (above a reply's quote). */
function caretAtStart(el: HTMLTextAreaElement | null): void {
  if (!el) return;
  el.focus();
  el.setSelectionRange(0, 0);
  el.scrollTop = 0;
}

/** The panel's shell: title bar with the draft's state, the fields, the body, the buttons, drag and drop. */
function ComposeForm({
  serial,
  account,
  request,
  drafts,
}: {
  /** This window's serial (its key). */
  serial: number;
  account: Account;
  request: ComposeRequest;
  drafts: DraftStore | undefined;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const {
    fields,
    update,
    loadedText,
    switchRich,
    status,
    draftsLocal,
    error,
    uploads,
    addFiles,
    sending,
    onSend,
    onDiscard,
    close,
    identities,
    signaturePlacement,
    templates,
  } = useComposeForm(account, request, drafts, serial);
  const keys = useComposeKeys({ fields, update, send: onSend, uploading: uploads.length });
  // The bytes of a forwarded message's picture (a part with a Content-ID), for the editor: an
  // IMAP message's from the server, a POP3 message's from this browser (the forward's own
  // files, or the bytes a kept draft's uploads were made of). Only raster types, which run
  // nothing in the app's document (isPictureType). Read when the editor is filled.
  const pictures = (cid: string): (() => Promise<Blob>) | null => {
    const shown = (a: DraftAttachment) => a.contentId === cid && isPictureType(a.contentType);
    const part = fields?.attachments.find(shown);
    if (part?.kind === "forward") return () => gatewayBytes(partUrl(part.folder, part.uid, part.part, true));
    const source = "source" in request && "origin" in request.source ? request.source : null;
    const file = [...(source?.pictureIds ?? [])].find(([f, id]) => id === cid && isPictureType(f.type))?.[0];
    if (file) return () => Promise.resolve(file);
    const kept = request.mode === "saved" ? request.fields.attachments.find(shown) : undefined;
    const bytes =
      kept?.kind === "upload" && request.mode === "saved" ? request.files?.get(kept.id) : undefined;
    return bytes ? () => Promise.resolve(bytes) : null;
  };
  const { replaced } = useCompose();
  const section = useRef<HTMLElement>(null);
  // What opened the window (Compose, Reply, the list for c) gets the focus back when it closes
  // (✕, Escape, Send), as a dialog gives it back to its opener; not when another window replaces
  // it, nor when the user has put the focus elsewhere meanwhile.
  const [opener] = useState(() => (typeof document === "undefined" ? null : document.activeElement));
  useEffect(() => {
    const own = section.current;
    return () => {
      if (replaced.current === serial || !(opener instanceof HTMLElement) || !opener.isConnected) return;
      const active = document.activeElement;
      if (active && active !== document.body && !own?.contains(active)) return;
      opener.focus();
    };
  }, [opener, replaced, serial]);
  const [dragging, setDragging] = useState(false);
  // Where typing starts: the text of a reply (its empty line above the quote) or of a draft
  // that has its recipients, as in Gmail; To for a new message, a forward, or no recipient yet.
  // Decided by the recipients the window opened with (a draft's come once it is loaded): typing
  // the first one into To must not send the caret to the text.
  const [toAtOpen, setToAtOpen] = useState<string | null>(fields?.to ?? null);
  if (toAtOpen === null && fields) setToAtOpen(fields.to);
  const bodyFirst =
    request.mode === "reply" ||
    request.mode === "replyAll" ||
    ((request.mode === "draft" || request.mode === "saved") && (toAtOpen?.trim() ?? "") !== "");
  const fileInput = useRef<HTMLInputElement>(null);
  const plainBody = useRef<HTMLTextAreaElement | null>(null);
  // Whether the reader has put the caret in the plain text (clicked, typed, moved it): until
  // then a template goes in at its start, as in the rich editor, not where setting the value
  // left the caret (at the end, after a signature or a forwarded message).
  const plainCaret = useRef(false);
  const plainBodyRef = useCallback(
    (el: HTMLTextAreaElement | null) => {
      plainBody.current = el;
      if (bodyFirst) caretAtStart(el);
    },
    [bodyFirst],
  );
  const richInsert = useRef<((html: string) => void) | null>(null);
  const richSignature = useRef<RichSignature | null>(null);

  // Another sender: its signature takes the place of the one before (Thunderbird's way), where
  // the message still has that one; a signature the writer removed is not put back. After none,
  // it goes where a message starts with it (above or below a reply's quote, as set).
  const changeSender = (fromId: string) => {
    if (!fields) return;
    const before = identities.find((i) => i.id === fields.fromId) ?? identities[0];
    const after = identities.find((i) => i.id === fromId);
    if (!after) return update({ fromId });
    const old = before ? plainSignatureBlock(before.signature) : "";
    // Above the quote is a reply's place; anything else (a forward, new mail) gets it at the end.
    const placement = fields.inReplyTo !== null ? signaturePlacement : "below";
    if (fields.rich) {
      richSignature.current?.(htmlSignatureBlock(after.signature, sanitizeComposeHtml), {
        add: old === "",
        placement,
      });
      return update({ fromId });
    }
    update({
      fromId,
      text: swapPlainSignature(fields.text, old, plainSignatureBlock(after.signature), placement),
    });
  };

  // A template goes in where the caret was, and names a message that has no subject yet.
  const insertTemplate = (template: TemplateBody) => {
    if (!fields) return;
    if (fields.subject.trim() === "" && template.name !== "") update({ subject: template.name });
    if (fields.rich) {
      richInsert.current?.(templateAsHtml(template));
      return;
    }
    const el = plainBody.current;
    if (!el) return;
    const text = templateAsText(template, htmlText);
    el.focus();
    if (!plainCaret.current) el.setSelectionRange(0, 0);
    // As typed: the browser's Undo takes it back, and the change reaches the form as input.
    if (!document.execCommand("insertText", false, text)) {
      el.setRangeText(text, el.selectionStart, el.selectionEnd, "end");
      update({ text: el.value });
    }
  };

  const title =
    request.mode === "reply" || request.mode === "replyAll"
      ? t("compose.replyTitle")
      : request.mode === "forward" || request.mode === "forwardAttached"
        ? t("compose.forwardTitle")
        : t("compose.title");
  // The notices stand clear of the window while it is open (NoticeArea).
  useEffect(() => {
    document.documentElement.setAttribute("data-compose-open", "");
    return () => document.documentElement.removeAttribute("data-compose-open");
  }, []);

  const onDrop = (e: DragEvent) => {
    if (!e.dataTransfer.files.length) return;
    e.preventDefault();
    setDragging(false);
    void addFiles(e.dataTransfer.files);
  };

  return (
    <section
      ref={section}
      role="dialog"
      aria-modal="false"
      aria-label={title}
      // A click on its blank parts keeps the focus in the window (not on the page's body, where
      // the mail's shortcuts would take the next keys).
      tabIndex={-1}
      // Escape closes the window, its message kept in Drafts as ✕ keeps it; an open list of
      // suggestions, an input method or the question before sending takes its own Escape first.
      onKeyDown={(e) => {
        if (e.key !== "Escape" || e.defaultPrevented || e.nativeEvent.isComposing) return;
        if (inDialog(e.target)) return;
        e.preventDefault();
        close();
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes("Files")) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      className="fixed inset-0 z-40 flex flex-col bg-white shadow-2xl outline-none md:inset-auto md:right-4 md:bottom-0 md:h-[min(42rem,calc(100dvh-4rem))] md:w-[min(40rem,calc(100vw-2rem))] md:rounded-t-xl md:border md:border-slate-300 dark:bg-slate-900 dark:md:border-slate-700"
    >
      <header className="flex items-center gap-2 rounded-t-xl bg-slate-800 px-3 py-2 text-sm text-white dark:bg-slate-950">
        <h2 className="flex-1 truncate font-medium">{fields?.subject || title}</h2>
        <span className="text-xs text-slate-300" aria-live="polite">
          {status.kind === "saving"
            ? t("compose.draftSaving")
            : status.kind === "saved" && status.at
              ? t("compose.draftSaved", {
                  time: status.at.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }),
                })
              : status.kind === "failed"
                ? t(draftsLocal ? "compose.draftFailedLocal" : "compose.draftFailed")
                : ""}
        </span>
        <button
          type="button"
          className="rounded px-2 hover:bg-white/10"
          aria-label={t("compose.close")}
          onClick={close}
        >
          ✕
        </button>
      </header>
      {!fields ? (
        <p className="p-4 text-sm text-slate-500">{t("mail.loading")}</p>
      ) : (
        <form
          className="flex min-h-0 flex-1 flex-col"
          onSubmit={(e) => {
            e.preventDefault();
            keys.requestSend();
          }}
          onKeyDown={keys.onKeyDown}
        >
          <FromField identities={identities} fromId={fields.fromId} onChange={changeSender} />
          <HeaderFields fields={fields} update={update} autoFocus={!bodyFirst} />
          {keys.ui}
          {fields.rich ? (
            <RichEditor
              autoFocus={bodyFirst}
              initialHtml={fields.html}
              label={t("compose.richText")}
              onChange={(html, text) => update({ html, text })}
              onLoad={loadedText}
              insertRef={richInsert}
              signatureRef={richSignature}
              pictures={pictures}
            />
          ) : (
            <textarea
              ref={plainBodyRef}
              onSelect={() => {
                plainCaret.current = true;
              }}
              aria-label={t("compose.body")}
              value={fields.text}
              onChange={(e) => update({ text: e.target.value })}
              className="min-h-40 flex-1 resize-none bg-transparent px-3 py-2 font-mono text-sm outline-none"
            />
          )}
          <AttachmentsStrip
            attachments={fields.attachments}
            uploads={uploads}
            onRemove={(i) => update({ attachments: fields.attachments.filter((_, j) => j !== i) })}
          />
          {dragging && (
            <div className="pointer-events-none absolute inset-0 flex items-center justify-center rounded-xl border-2 border-dashed border-accent bg-accent/10 text-sm font-medium text-accent">
              {t("compose.dropHere")}
            </div>
          )}
          {error && (
            <p
              role="alert"
              className="border-t border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
            >
              {error}
            </p>
          )}
          <footer className="flex flex-wrap items-center gap-2 border-t border-slate-200 px-3 py-2 dark:border-slate-700">
            <button type="submit" className={buttonClass.primary} disabled={sending || uploads.length > 0}>
              {sending ? t("compose.sending") : t("compose.send")}
            </button>
            <input
              ref={fileInput}
              type="file"
              multiple
              hidden
              onChange={(e) => {
                if (e.target.files) void addFiles(e.target.files);
                e.target.value = "";
              }}
            />
            <button
              type="button"
              className={buttonClass.ghost}
              data-attach
              onClick={() => fileInput.current?.click()}
            >
              <span className="flex items-center gap-1">
                <PaperclipIcon /> {t("compose.attach")}
              </span>
            </button>
            <button type="button" className={buttonClass.ghost} onClick={switchRich}>
              {fields.rich ? t("compose.plainText") : t("compose.richText")}
            </button>
            <TemplatesMenu
              store={templates}
              account={account.email}
              current={() => ({
                subject: fields.subject,
                text: fields.text,
                html: fields.rich ? outgoingHtml(fields.html) : null,
              })}
              onInsert={insertTemplate}
            />
            <label className="flex items-center gap-1.5 px-1 text-sm" title={t("readReceipt.requestHint")}>
              <input
                type="checkbox"
                checked={fields.receipt === true}
                onChange={(e) => update({ receipt: e.target.checked })}
              />
              {t("readReceipt.request")}
            </label>
            <span className="flex-1" />
            <button type="button" className={buttonClass.ghost} onClick={onDiscard}>
              {t("compose.discard")}
            </button>
          </footer>
        </form>
      )}
    </section>
  );
}
