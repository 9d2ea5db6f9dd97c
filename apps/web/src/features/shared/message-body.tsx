"use client";

import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { MESSAGE_IFRAME_SANDBOX, buildMessageDocument, linkifyPlainText } from "@pismo/protocol/html";
import { sanitizeMailHtml } from "@/lib/sanitizer";
import { allowRemoteFor, remoteAllowedFor } from "@/lib/remote-content";
import { buttonClass } from "@/components/ui/dialog";

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
  inline,
}: {
  kind: "html" | "text" | "none";
  content: string;
  sender: string | undefined;
  inline: InlinePart[];
}) {
  const { t } = useTranslation();
  const [allowRemote, setAllowRemote] = useState(() => remoteAllowedFor(sender));
  const [cidUrls, setCidUrls] = useState<Record<string, string>>({});

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

  const doc = useMemo(() => {
    if (kind !== "html") return null;
    const result = sanitizeMailHtml(content, { allowRemote, resolveCid: (cid) => cidUrls[cid] ?? null });
    return {
      srcdoc: buildMessageDocument(result.html, { allowRemote }),
      hasRemote: result.hasRemote,
      blocked: result.remoteBlocked,
    };
  }, [kind, content, allowRemote, cidUrls]);

  if (kind === "none") return <p className="p-4 text-sm text-slate-500">{t("mail.noBody")}</p>;

  if (kind === "text") {
    return (
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
            >
              {seg.text}
            </a>
          ),
        )}
      </div>
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
          {sender && (
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
        title={t("mail.messageBody")}
        sandbox={MESSAGE_IFRAME_SANDBOX}
        referrerPolicy="no-referrer"
        srcDoc={doc?.srcdoc ?? ""}
        className="min-h-[60vh] w-full flex-1 border-0 bg-white"
      />
    </div>
  );
}
