"use client";

import { useSyncExternalStore } from "react";
import { formatCount } from "@pismo/protocol/format";
import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { describeError } from "@/lib/errors";
import type { ExportProgress } from "./mbox-download";

/** The page's export running now (one at a time: an IMAP one shares the session's one
 * connection), kept outside the button, which a search or a folder switch takes off the page:
 * shown again, it still says how far the export is. */
let running: { folder: string; done: number; total: number } | null = null;
const listeners = new Set<() => void>();
const setRunning = (value: typeof running) => {
  running = value;
  for (const listener of listeners) listener();
};
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** Export folder (mbox), for either protocol: while the folder's messages are written, its
 * button says how far it is, and every folder's waits (so a second click does not export again). */
export function ExportMboxButton({
  folder,
  disabled = false,
  onExport,
}: {
  folder: string;
  disabled?: boolean;
  onExport: (onProgress: ExportProgress) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const now = useSyncExternalStore(
    subscribe,
    () => running,
    () => null,
  );
  const mine = now !== null && now.folder === folder;
  return (
    <button
      type="button"
      className={`${buttonClass.ghost} whitespace-nowrap tabular-nums`}
      disabled={disabled || now !== null}
      aria-busy={mine}
      onClick={() => {
        setRunning({ folder, done: 0, total: 0 });
        onExport((done, total) => setRunning({ folder, done, total }))
          .catch((error: unknown) => toast(describeError(error, t), "error"))
          .finally(() => setRunning(null));
      }}
    >
      {!mine
        ? t("mail.exportMbox")
        : now.total === 0
          ? t("mail.exportStarting")
          : t("mail.exportProgress", {
              done: formatCount(now.done, i18n.language),
              total: formatCount(now.total, i18n.language),
            })}
    </button>
  );
}
