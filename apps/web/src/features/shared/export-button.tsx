"use client";

import { useState } from "react";
import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { describeError } from "@/lib/errors";
import type { ExportProgress } from "./mbox-download";

/** Export folder (mbox), for either protocol: while the folder's messages are written, the
 * button says how far it is (and waits, so a second click does not export it twice). */
export function ExportMboxButton({
  disabled = false,
  onExport,
}: {
  disabled?: boolean;
  onExport: (onProgress: ExportProgress) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const number = (n: number) => n.toLocaleString(i18n.language);
  return (
    <button
      type="button"
      className={`${buttonClass.ghost} whitespace-nowrap tabular-nums`}
      disabled={disabled || progress !== null}
      aria-busy={progress !== null}
      onClick={() => {
        setProgress({ done: 0, total: 0 });
        onExport((done, total) => setProgress({ done, total }))
          .catch((error: unknown) => toast(describeError(error, t), "error"))
          .finally(() => setProgress(null));
      }}
    >
      {progress === null
        ? t("mail.exportMbox")
        : t("mail.exportProgress", { done: number(progress.done), total: number(progress.total) })}
    </button>
  );
}
