"use client";

import { formatBytes, formatCount } from "@pismo/protocol/format";
import { useTranslation } from "@/i18n/react";
import { useToast } from "@/components/ui/toast";
import { describeError } from "@/lib/errors";
import { MAX_IMPORTED_MESSAGE_BYTES } from "./import-limits";

/** What one imported file became: how many of its messages went in (and why the rest did not;
 * `tooLarge`: how many were larger than MAX_IMPORTED_MESSAGE_BYTES, or than `limitBytes`, the
 * most the server takes, where it gave one, left out), or why none could (`tooLarge`: an .eml
 * too large; `allTooLarge`: an mbox whose every message is; the same `ForServer`). */
export type ImportOutcome =
  | {
      file: string;
      done: number;
      total: number;
      already?: number;
      tooLarge?: number;
      limitBytes?: number;
      error?: unknown;
    }
  | {
      file: string;
      problem:
        | "notMail"
        | "empty"
        | "unreadable"
        | "tooLarge"
        | "allTooLarge"
        | "tooLargeForServer"
        | "allTooLargeForServer";
      limitBytes?: number;
    };

/** A file the browser could not read on (changed, moved or removed since it was chosen). */
function unreadable(error: unknown): boolean {
  return (
    error instanceof DOMException && (error.name === "NotReadableError" || error.name === "NotFoundError")
  );
}

/** Says what each imported file became, in the reader's language. */
export function useImportReport(): (folder: string, outcomes: readonly ImportOutcome[]) => void {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const size = formatBytes(MAX_IMPORTED_MESSAGE_BYTES, i18n.language);
  const limit = (bytes: number | undefined) =>
    bytes === undefined ? size : formatBytes(bytes, i18n.language);
  /** A count as the reader writes numbers ("12,377"; sr "12.377"), its plural form kept. */
  const counted = (n: number) => ({ count: formatCount(n, i18n.language), quantity: n });
  /** How many the folder held already, and how many were too large, said after what was imported. */
  const leftOut = (outcome: {
    already?: number | undefined;
    tooLarge?: number | undefined;
    limitBytes?: number | undefined;
  }) => [
    ...(outcome.already ? [t("mail.importAlready", counted(outcome.already))] : []),
    ...(outcome.tooLarge
      ? [
          t(outcome.limitBytes === undefined ? "mail.importTooLarge" : "mail.importTooLargeForServer", {
            ...counted(outcome.tooLarge),
            size: limit(outcome.limitBytes),
          }),
        ]
      : []),
  ];
  return (folder, outcomes) => {
    for (const outcome of outcomes) {
      if ("problem" in outcome)
        toast(
          t("mail.mailImportFailed", {
            file: outcome.file,
            reason: t(`mail.importProblem.${outcome.problem}`, { size: limit(outcome.limitBytes) }),
          }),
          "error",
        );
      else if (outcome.error !== undefined)
        toast(
          [
            t("mail.mailImportStopped", {
              done: formatCount(outcome.done, i18n.language),
              ...counted(outcome.total),
              file: outcome.file,
              folder,
              reason: unreadable(outcome.error)
                ? t("mail.importProblem.unreadable")
                : describeError(outcome.error, t),
            }),
            ...leftOut(outcome),
          ].join(" "),
          "error",
        );
      else if (outcome.done === 0 && outcome.already)
        toast(
          [
            t("mail.importNothingNew", { ...counted(outcome.already), file: outcome.file, folder }),
            ...leftOut({ tooLarge: outcome.tooLarge, limitBytes: outcome.limitBytes }),
          ].join(" "),
          "info",
        );
      else
        toast(
          [t("mail.mailImported", { ...counted(outcome.done), folder }), ...leftOut(outcome)].join(" "),
          "info",
        );
    }
  };
}
