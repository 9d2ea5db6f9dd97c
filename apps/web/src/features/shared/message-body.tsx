"use client";

import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { MESSAGE_IFRAME_SANDBOX, buildMessageDocument, linkifyPlainText } from "@pismo/protocol/html";
import { sanitizeMailHtml } from "@/lib/sanitizer";
import { allowRemoteFor, remoteAllowedFor } from "@/lib/remote-content";
import { Dialog, buttonClass } from "@/components/ui/dialog";
import { LinkCheckContent, linkCheckUrl, linkMarkText, linkNeedsCheck } from "./link-check";

export interface InlinePart {
  contentId: string;
  /** Fetches the part's bytes as a data: URL, only when the HTML refers to it. */
  load: () => Promise<string>;
}

/**
 * Shows one message's body (the parent keys it by message, so state starts fresh for each). HTML is sanitised (allow-list, remote loads held back), wrapped in a
 * document with its own CSP, and framed in a sandbox without scripts or same-origin: three
 * layers, any one of which stops a script. Plain text is never parsed as HTML.
 */
export function MessageBody({
  kind,
  content,
  sender,
  senderVerified = false,
  inline,
  standby = false,
  onShown,
}: {
  kind: "html" | "text" | "none";
  content: string;
  sender: string | undefined;
  /**
   * The sender's domain is authenticated (DKIM/DMARC). "Always show remote content from this
   * sender" is offered and applied only then: the From line alone can be forged.
   */
  senderVerified?: boolean;
  inline: InlinePart[];
  /** A neighbour rendered ahead: its frame loads now but is named only once shown. */
  standby?: boolean;
  /** Called once the body is on the page: an HTML body's frame has loaded, text is committed. */
  onShown?: () => void;
}) {
  const { t } = useTranslation();
  const [shownOnce, setAllowRemote] = useState(false);
  // "Always for this sender" counts only while the sender is verified (Pismo's own check may
  // verify it after the message is shown).
  const allowRemote = shownOnce || (senderVerified && remoteAllowedFor(sender));
  const [cidUrls, setCidUrls] = useState<Record<string, string>>({});
  const [checking, setChecking] = useState<{ href: string; text: string } | null>(null);

  // Inline images are fetched on demand: only those the HTML names with cid:.
  useEffect(() => {
    if (kind !== "html") return;
    const wanted = inline.filter((p) => content.includes(`cid:${p.contentId}`));
    let cancelled = false;
    void Promise.all(wanted.map(async (p) => [p.contentId, await p.load().catch(() => "")] as const)).then(
      (pairs) => {
        if (!cancelled && pairs.length) setCidUrls(Object.fromEntries(pairs.filter(([, url]) => url)));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [kind, content, inline]);

  useEffect(() => {
    if (kind !== "html") onShown?.();
  }, [kind, onShown]);

  const doc = useMemo(() => {
    if (kind !== "html") return null;
    const result = sanitizeMailHtml(content, {
      allowRemote,
      resolveCid: (cid) => cidUrls[cid] ?? null,
      // The frame runs no script, so a click there cannot be caught: a link that needs a
      // look opens the app's link check page instead, and is marked where it stands.
      rewriteLink: (text, href) => {
        const check = linkNeedsCheck(text, href);
        return check ? { href: linkCheckUrl(href, text), mark: linkMarkText(check, t) } : null;
      },
    });
    return {
      srcdoc: buildMessageDocument(result.html, { allowRemote }),
      hasRemote: result.hasRemote,
      blocked: result.remoteBlocked,
    };
  }, [kind, content, allowRemote, cidUrls, t]);

  // The frame keeps its first document until that has loaded: Chromium left a sandboxed frame
  // blank (or on its first document) when srcdoc changed before its first load, as when an
  // inline picture's data: URL came before the frame had started (a blank message, seen under
  // load; about one open in fifty there). Only the first load is waited for: a load waits for
  // every remote picture, and a slow server must not hold back the documents after it.
  const wantedDoc = doc?.srcdoc ?? "";
  const [firstDoc] = useState(wantedDoc);
  const [loadedOnce, setLoadedOnce] = useState(false);
  const framedDoc = loadedOnce ? wantedDoc : firstDoc;

  if (kind === "none") return <p className="p-4 text-sm text-slate-500">{t("mail.noBody")}</p>;

  if (kind === "text") {
    return (
      <>
        <div className="whitespace-pre-wrap break-words p-4 text-sm leading-relaxed">
          {linkifyPlainText(content).map((seg, i) =>
            seg.kind === "text" ? (
              <span key={i}>{seg.text}</span>
            ) : (
              <a
                key={i}
                href={seg.href}
                target="_blank"
                rel="noopener noreferrer"
                className="text-accent underline"
                onClick={(e) => {
                  // Plain text is the app's own DOM: the click is caught and the real
                  // destination shown first when the link deserves a look.
                  if (!linkNeedsCheck(seg.text, seg.href)) return;
                  e.preventDefault();
                  setChecking({ href: seg.href, text: seg.text });
                }}
              >
                {seg.text}
              </a>
            ),
          )}
        </div>
        <Dialog open={checking !== null} title={t("trust.checkLink")} onClose={() => setChecking(null)}>
          {checking && (
            <LinkCheckContent
              href={checking.href}
              text={checking.text}
              newTab
              onCancel={() => setChecking(null)}
            />
          )}
        </Dialog>
      </>
    );
  }

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      {doc?.hasRemote && !allowRemote && (
        <div className="flex flex-wrap items-center gap-2 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200">
          <span className="flex-1">{t("mail.remoteBlocked")}</span>
          <button type="button" className={buttonClass.secondary} onClick={() => setAllowRemote(true)}>
            {t("mail.showRemote")}
          </button>
          {sender && senderVerified && (
            <button
              type="button"
              className={buttonClass.ghost}
              onClick={() => {
                allowRemoteFor(sender);
                setAllowRemote(true);
              }}
            >
              {t("mail.alwaysFromSender", { address: sender })}
            </button>
          )}
        </div>
      )}
      <iframe
        {...(standby ? {} : { title: t("mail.messageBody") })}
        sandbox={MESSAGE_IFRAME_SANDBOX}
        referrerPolicy="no-referrer"
        srcDoc={framedDoc}
        onLoad={() => {
          setLoadedOnce(true);
          onShown?.();
        }}
        className="min-h-[60vh] w-full flex-1 border-0 bg-white"
      />
    </div>
  );
}
