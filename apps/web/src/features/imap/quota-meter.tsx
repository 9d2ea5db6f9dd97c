"use client";

import { memo } from "react";

import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "@/i18n/react";
import { formatBytes } from "@pismo/protocol/format";
import { quotaLevel } from "@pismo/protocol/quota";
import { localeOf } from "@/i18n";
import { useTRPC } from "@/trpc/client";

/** With IMAP all mail stays on the server, so the space it takes is shown and warned
 * about, with a way to what fills it (largest first) and to emptying the Trash. */
/** Memoized: opening a message does not render the meter again. */
export const QuotaMeter = memo(function QuotaMeter({ onShowLargest }: { onShowLargest: () => void }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const trpc = useTRPC();
  const quota = useQuery({
    ...trpc.imap.quota.queryOptions(),
    staleTime: 60_000,
    refetchInterval: 5 * 60_000,
  });
  const q = quota.data;
  if (!q) return null;
  const level = quotaLevel(q.usedBytes, q.limitBytes);
  const bar =
    level.level === "critical" ? "bg-red-600" : level.level === "warning" ? "bg-amber-500" : "bg-accent";
  return (
    <div className="space-y-1.5 px-3 py-2 text-xs">
      <div
        role="meter"
        aria-label={t("mail.storage")}
        aria-valuemin={0}
        aria-valuenow={q.usedBytes}
        aria-valuemax={q.limitBytes}
        aria-valuetext={t("mail.storageOf", {
          used: formatBytes(q.usedBytes, locale),
          total: formatBytes(q.limitBytes, locale),
        })}
      >
        <div className="mb-1 flex justify-between text-slate-600 dark:text-slate-400">
          <span>{t("mail.storage")}</span>
          <span className="tabular-nums">
            {t("mail.storageOf", {
              used: formatBytes(q.usedBytes, locale),
              total: formatBytes(q.limitBytes, locale),
            })}
          </span>
        </div>
        <div className="h-1.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800">
          <div className={`h-full ${bar}`} style={{ width: `${Math.min(100, level.percent)}%` }} />
        </div>
      </div>
      {level.level !== "ok" && (
        <div
          role="alert"
          className={`rounded-md px-2 py-1.5 ${level.level === "critical" ? "bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200" : "bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200"}`}
        >
          {t(level.level === "critical" ? "mail.storageCritical" : "mail.storageWarn", {
            percent: level.percent,
          })}{" "}
          <button type="button" className="font-medium underline" onClick={onShowLargest}>
            {t("mail.largest")}
          </button>
        </div>
      )}
    </div>
  );
});
