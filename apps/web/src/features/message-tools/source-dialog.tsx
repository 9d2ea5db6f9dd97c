"use client";

import { useEffect, useRef, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { formatBytes } from "@pismo/protocol/format";
import { Dialog, buttonClass } from "@/components/ui/dialog";
import { localeOf } from "@/i18n";
import { describeError } from "@/lib/errors";
import { sourceText, type SourceText } from "./raw-source";

export interface RawSource {
  /** The first bytes of the message (all of it, or up to the cap). */
  bytes: Uint8Array;
  /** The size of the whole message. */
  total: number;
}

/**
 * "Show original": the message exactly as it arrived, headers and encoded parts, as text in
 * a <pre>: React writes it as a text node, so nothing in it is ever parsed as HTML.
 */
export function SourceDialog({ load, onClose }: { load: () => Promise<RawSource>; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const [state, setState] = useState<{ source: SourceText } | { error: string } | null>(null);

  // Read once per opening, whatever the view around it re-renders.
  const loadOnce = useRef(load);
  useEffect(() => {
    let cancelled = false;
    loadOnce.current().then(
      (raw) => {
        if (!cancelled) setState({ source: sourceText(raw.bytes, raw.total) });
      },
      (error: unknown) => {
        if (!cancelled) setState({ error: describeError(error, t) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [t]);

  return (
    <Dialog open title={t("messageTools.originalTitle")} onClose={onClose} wide>
      {state === null ? (
        <p className="text-sm text-slate-500">{t("mail.loading")}</p>
      ) : "error" in state ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {state.error}
        </p>
      ) : (
        <>
          {state.source.truncated && (
            <p
              role="note"
              className="mb-2 rounded bg-amber-50 px-2 py-1 text-xs text-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
            >
              {t("messageTools.originalCut", {
                size: formatBytes(state.source.total, locale),
                shown: formatBytes(state.source.shown, locale),
              })}
            </p>
          )}
          <pre
            aria-label={t("messageTools.originalText")}
            tabIndex={0}
            className="max-h-[65vh] overflow-auto rounded border border-slate-200 bg-slate-50 p-3 font-mono text-xs leading-snug break-all whitespace-pre-wrap dark:border-slate-700 dark:bg-slate-950"
          >
            {state.source.text}
          </pre>
        </>
      )}
      <div className="mt-3 flex justify-end">
        <button type="button" className={buttonClass.secondary} onClick={onClose}>
          {t("messageTools.close")}
        </button>
      </div>
    </Dialog>
  );
}
