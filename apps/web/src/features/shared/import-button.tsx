"use client";

import { useRef, useState } from "react";
import { formatCount } from "@pismo/protocol/format";
import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";
import type { ImportProgress } from "./import-messages";

/** Import messages: chooses mbox or .eml files for the folder shown (either protocol); while
 * they go in, the button says how far the file being imported is (first, that it is read to
 * count its messages). */
export function ImportMessagesButton({
  disabled = false,
  onFiles,
}: {
  disabled?: boolean;
  /** Resolves when the files are in (or said not to be): until then the button waits, so a
   * second click does not import them twice. */
  onFiles: (files: File[], onProgress: ImportProgress) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<Parameters<ImportProgress>[0] | null>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept=".mbox,.mbx,.eml,application/mbox,message/rfc822"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = "";
          if (files.length === 0) return;
          setBusy(true);
          void onFiles(files, setProgress).finally(() => {
            setBusy(false);
            setProgress(null);
          });
        }}
      />
      <button
        type="button"
        className={`${buttonClass.ghost} max-w-full truncate tabular-nums`}
        disabled={disabled || busy}
        aria-busy={busy}
        title={t("mail.importMailHint")}
        onClick={() => input.current?.click()}
      >
        {!busy || !progress
          ? t("mail.importMail")
          : progress.total === null
            ? t("mail.importCounting", {
                file: progress.file,
                percent: progress.read.toLocaleString(i18n.language, { style: "percent" }),
              })
            : t("mail.importProgress", {
                done: formatCount(progress.done, i18n.language),
                total: formatCount(progress.total, i18n.language),
              })}
      </button>
    </>
  );
}
