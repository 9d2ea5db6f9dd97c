"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { formatAddress, formatFullDate } from "@pismo/protocol/format";
import { buttonClass, useModal } from "@/components/ui/dialog";
import { localeOf } from "@/i18n";
import { sanitizeMailHtml } from "@/lib/sanitizer";
import type { DisplayMessage } from "../shared/display-message";
import type { InlinePart } from "../shared/message-body";
import { buildPrintDocument } from "./print-document";

/**
 * The frame of the print view runs no script (no allow-scripts) and its document forbids
 * script and remote loads by CSP; allow-same-origin only lets this page call print() on it
 * (and allow-modals lets print() open the dialog). Without allow-scripts, same origin gives
 * the message nothing: it has no code to use it with.
 */
export const PRINT_FRAME_SANDBOX = "allow-same-origin allow-modals";

/**
 * "Print": the message alone, its headers and sanitised body, without the app around it, in
 * a view over the whole window; its own Print button prints just that document.
 */
export function PrintView({
  m,
  inline,
  onClose,
}: {
  m: DisplayMessage;
  inline: readonly InlinePart[];
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const frame = useRef<HTMLIFrameElement>(null);
  const printButton = useRef<HTMLButtonElement>(null);
  const printedOnce = useRef(false);
  const body = m.body;
  const [cids, setCids] = useState<Record<string, string> | null>(
    body?.kind === "html" && inline.some((p) => body.content.includes(`cid:${p.contentId}`)) ? null : {},
  );

  // Inline images the HTML names (cid:) are part of the message: loaded as data: URLs.
  useEffect(() => {
    if (cids !== null || body?.kind !== "html") return;
    let cancelled = false;
    const wanted = inline.filter((p) => body.content.includes(`cid:${p.contentId}`));
    void Promise.all(wanted.map(async (p) => [p.contentId, await p.load().catch(() => "")] as const)).then(
      (pairs) => {
        if (!cancelled) setCids(Object.fromEntries(pairs.filter(([, url]) => url)));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [cids, body, inline]);

  const srcdoc = useMemo(() => {
    if (cids === null) return null;
    const join = (list: DisplayMessage["to"]) => list.map(formatAddress).join(", ");
    return buildPrintDocument({
      subject: m.subject || t("mail.noSubject"),
      headers: [
        { label: t("mail.from"), value: m.from ? formatAddress(m.from) : m.fromText },
        { label: t("mail.to"), value: join(m.to) },
        { label: t("mail.cc"), value: join(m.cc) },
        { label: t("mail.bcc"), value: join(m.bcc) },
        { label: t("mail.date"), value: m.date ? formatFullDate(m.date, locale) : "" },
      ],
      body:
        body?.kind === "html"
          ? {
              kind: "html",
              sanitizedHtml: sanitizeMailHtml(body.content, {
                allowRemote: false,
                resolveCid: (cid) => cids[cid] ?? null,
              }).html,
            }
          : body?.kind === "text"
            ? { kind: "text", text: body.content }
            : { kind: "none" },
    });
  }, [cids, m, body, t, locale]);

  // A modal <dialog>: the app under it is inert (the mail's shortcuts do not act on what is under
  // it, a screen reader reads only the view), Escape closes it, and the focus goes back to Print.
  const { ref: view, removing } = useModal(true);

  useEffect(() => {
    printButton.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      // Ctrl/Cmd+P here prints the message, not the app under the view.
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "p") {
        e.preventDefault();
        frame.current?.contentWindow?.print();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const print = () => frame.current?.contentWindow?.print();

  return (
    <dialog
      ref={view}
      aria-label={t("messageTools.printView")}
      onClose={(e) => {
        if (e.target === e.currentTarget && !removing.current) onClose();
      }}
      className="fixed inset-0 z-50 m-0 flex h-dvh max-h-none w-screen max-w-none flex-col border-0 bg-slate-100 p-0 text-slate-900 dark:bg-slate-950 dark:text-slate-100"
    >
      <div className="flex items-center gap-2 border-b border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900">
        <h2 className="flex-1 truncate text-sm font-medium">{t("messageTools.printView")}</h2>
        <button
          ref={printButton}
          type="button"
          className={buttonClass.primary}
          disabled={srcdoc === null}
          onClick={print}
        >
          {t("messageTools.print")}
        </button>
        <button type="button" className={buttonClass.secondary} onClick={onClose}>
          {t("messageTools.close")}
        </button>
      </div>
      {srcdoc === null ? (
        <p className="p-6 text-sm text-slate-500">{t("mail.loading")}</p>
      ) : (
        <iframe
          ref={frame}
          title={t("messageTools.printFrame")}
          sandbox={PRINT_FRAME_SANDBOX}
          referrerPolicy="no-referrer"
          srcDoc={srcdoc}
          // The browser's print dialog opens once the document is there, as "Print" promised.
          onLoad={() => {
            if (printedOnce.current) return;
            printedOnce.current = true;
            print();
          }}
          className="mx-auto my-0 w-full max-w-[52rem] flex-1 border-0 bg-white shadow sm:my-4"
        />
      )}
    </dialog>
  );
}
