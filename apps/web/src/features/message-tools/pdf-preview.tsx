"use client";

import { useEffect, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { Dialog, buttonClass } from "@/components/ui/dialog";
import { EyeIcon } from "@/components/ui/icons";
import { describeError } from "@/lib/errors";
import type { DisplayAttachment } from "../shared/display-message";
import { looksLikePdf, mayPreviewAsPdf } from "./pdf";

/**
 * The browser's own PDF viewer, fed a blob: URL typed application/pdf. The bytes are checked
 * to be a PDF first: a blob of the app's origin with another type (HTML, SVG) could run script.
 */
export function PdfPreviewButton({
  attachment,
  name,
  load,
}: {
  attachment: DisplayAttachment;
  name: string;
  load: () => Promise<Uint8Array>;
}) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ url: string } | { error: string } | "loading" | null>(null);
  const url = state !== null && typeof state === "object" && "url" in state ? state.url : null;
  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url);
    },
    [url],
  );
  if (!mayPreviewAsPdf(attachment)) return null;

  const open = async () => {
    setState("loading");
    try {
      const bytes = await load();
      if (!looksLikePdf(bytes)) return setState({ error: t("messageTools.notPdf", { name }) });
      setState({ url: URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/pdf" })) });
    } catch (error) {
      setState({ error: describeError(error, t) });
    }
  };

  return (
    <>
      <button
        type="button"
        aria-label={t("messageTools.previewPdf", { name })}
        disabled={state === "loading"}
        onClick={() => void open()}
        className="border-l border-slate-200 px-2 py-1.5 hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        <EyeIcon />
      </button>
      {state !== null && state !== "loading" && (
        <Dialog open title={name} onClose={() => setState(null)} wide>
          {"error" in state ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {state.error}
            </p>
          ) : (
            <>
              <iframe
                title={t("messageTools.pdfFrame", { name })}
                src={state.url}
                className="h-[70vh] w-full rounded border border-slate-200 dark:border-slate-700"
              />
              <p className="mt-2 text-sm">
                <a href={state.url} target="_blank" rel="noopener" className="text-accent underline">
                  {t("messageTools.openInTab")}
                </a>
              </p>
            </>
          )}
          <div className="mt-3 flex justify-end">
            <button type="button" className={buttonClass.secondary} onClick={() => setState(null)}>
              {t("messageTools.close")}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
