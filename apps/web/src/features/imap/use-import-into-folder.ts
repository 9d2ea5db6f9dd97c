"use client";

import { useTranslation } from "@/i18n/react";
import { useToast } from "@/components/ui/toast";
import { describeError } from "@/lib/errors";
import { useTRPCClient } from "@/trpc/client";
import { useImportReport } from "../shared/import-report";
import type { ImportProgress } from "../shared/import-messages";

/**
 * Import messages into an IMAP folder (the code comes with the click): each message uploaded
 * and APPENDed by the gateway (compose.importMessage) with the state its file gave it (read,
 * flagged, answered; read when it said nothing), unless the folder already holds it, one at a
 * time, so the session's upload
 * bounds hold whatever the file's size. A message the server refuses stops that file (its
 * messages before it stay imported), and each file is said as it went.
 */
export function useImportIntoFolder(): (
  folder: string,
  label: string,
  files: File[],
  onProgress: ImportProgress,
) => Promise<void> {
  const { t } = useTranslation();
  const toast = useToast();
  const client = useTRPCClient();
  const report = useImportReport();
  return (folder, label, files, onProgress) =>
    (async () => {
      const [{ importFiles }, { uploadFile }] = await Promise.all([
        import("../shared/import-messages"),
        import("../compose/upload"),
      ]);
      toast(t("mail.importing", { folder: label }), "info");
      const outcomes = await importFiles(
        files,
        async (messages, stored) => {
          let done = 0;
          let already = 0;
          try {
            for (const { raw, state } of messages) {
              const upload = await uploadFile(
                new File([raw as BlobPart], "imported.eml", { type: "message/rfc822" }),
                () => undefined,
                new AbortController().signal,
              );
              const put = await client.compose.importMessage.mutate({
                folder,
                uploadId: upload.id,
                ...(state ? { state } : {}),
              });
              if (put.already) already += 1;
              else done += 1;
              stored(done + already);
            }
            return { done, already };
          } catch (error) {
            return { done, already, error };
          }
        },
        onProgress,
      );
      report(label, outcomes);
    })().catch((error: unknown) => toast(describeError(error, t), "error"));
}
