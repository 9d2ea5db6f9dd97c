"use client";

import { formatBytes } from "@pismo/protocol/format";
import { useTranslation } from "@/i18n/react";
import { useToast } from "@/components/ui/toast";
import { describeError } from "@/lib/errors";
import { useTRPCClient } from "@/trpc/client";

/**
 * Import messages into an IMAP folder (the code comes with the click): each file said as it
 * went, how many of its messages went in, or why none or not all did.
 */
export function useImportIntoFolder(): (folder: string, label: string, files: File[]) => Promise<void> {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const client = useTRPCClient();
  return (folder, label, files) =>
    (async () => {
      const [{ importIntoFolder }, { MAX_IMPORT_BYTES }] = await Promise.all([
        import("./import-messages"),
        import("../pop3/mbox"),
      ]);
      toast(t("mail.importing", { folder: label }), "info");
      for (const outcome of await importIntoFolder(client, folder, files)) {
        if ("problem" in outcome)
          toast(
            t("mail.mailImportFailed", {
              file: outcome.file,
              reason: t(`mail.importProblem.${outcome.problem}`, {
                size: formatBytes(MAX_IMPORT_BYTES, i18n.language),
              }),
            }),
            "error",
          );
        else if (outcome.error !== undefined)
          toast(
            t("mail.mailImportStopped", {
              done: outcome.done,
              count: outcome.total,
              file: outcome.file,
              folder: label,
              reason: describeError(outcome.error, t),
            }),
            "error",
          );
        else toast(t("mail.mailImported", { count: outcome.done, folder: label }), "info");
      }
    })().catch((error: unknown) => toast(describeError(error, t), "error"));
}
