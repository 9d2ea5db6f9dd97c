"use client";

import { formatBytes } from "@pismo/protocol/format";
import { useTranslation } from "@/i18n/react";
import { useToast } from "@/components/ui/toast";
import { describeError } from "@/lib/errors";

/** What one imported file became: how many of its messages went in (and why the rest did not),
 * or why none could. */
export type ImportOutcome =
  | { file: string; done: number; total: number; already?: number; error?: unknown }
  | { file: string; problem: "notMail" | "empty" }
  /** An .eml larger than `limit` bytes. */
  | { file: string; problem: "tooLarge"; limit: number };

/** Says what each imported file became, in the reader's language. */
export function useImportReport(): (folder: string, outcomes: readonly ImportOutcome[]) => void {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  /** How many the folder held already, said after what was imported. */
  const already = (count = 0) => (count > 0 ? [t("mail.importAlready", { count })] : []);
  return (folder, outcomes) => {
    for (const outcome of outcomes) {
      if ("problem" in outcome)
        toast(
          t("mail.mailImportFailed", {
            file: outcome.file,
            reason: t(`mail.importProblem.${outcome.problem}`, {
              size: outcome.problem === "tooLarge" ? formatBytes(outcome.limit, i18n.language) : "",
            }),
          }),
          "error",
        );
      else if (outcome.error !== undefined)
        toast(
          [
            t("mail.mailImportStopped", {
              done: outcome.done,
              count: outcome.total,
              file: outcome.file,
              folder,
              reason: describeError(outcome.error, t),
            }),
            ...already(outcome.already),
          ].join(" "),
          "error",
        );
      else if (outcome.done === 0 && outcome.already)
        toast(t("mail.importNothingNew", { count: outcome.already, file: outcome.file, folder }), "info");
      else
        toast(
          [t("mail.mailImported", { count: outcome.done, folder }), ...already(outcome.already)].join(" "),
          "info",
        );
    }
  };
}
