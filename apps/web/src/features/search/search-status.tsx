"use client";

import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";

/**
 * The results header, the same for both protocols: how many were found and where, or, while
 * a search of several folders runs, how far it is, with Stop.
 */
export function SearchStatus({
  count,
  scope,
  running,
  stopped = false,
  searched = 0,
  total = 1,
  onStop,
  problems = [],
}: {
  count: number;
  scope: string;
  running: boolean;
  stopped?: boolean;
  searched?: number;
  total?: number;
  onStop?: () => void;
  problems?: string[];
}) {
  const { t } = useTranslation();
  const text = running
    ? total > 1
      ? t("search.searching", { done: searched, total })
      : t("search.searchingOne", { scope })
    : stopped
      ? t("search.stopped", { done: searched, total, count })
      : t("search.found", { count, scope });
  return (
    <div
      role="status"
      aria-label={t("search.results")}
      className="flex min-h-9 shrink-0 flex-wrap items-center gap-2 border-b border-slate-200 bg-accent/5 px-3 py-1 text-xs text-slate-700 dark:border-slate-800 dark:text-slate-300"
    >
      {running && (
        <span
          aria-hidden
          className="size-3 animate-spin rounded-full border-2 border-accent border-t-transparent"
        />
      )}
      <span className="min-w-0 flex-1">{text}</span>
      {running && onStop && (
        <button type="button" className={`${buttonClass.ghost} text-xs`} onClick={onStop}>
          {t("search.stop")}
        </button>
      )}
      {problems.map((p) => (
        <span key={p} className="w-full text-amber-700 dark:text-amber-400">
          {p}
        </span>
      ))}
    </div>
  );
}

/** Nothing matched: say what was searched, and where, and how to widen it. */
export function SearchEmpty({ query, scope }: { query: string; scope: string }) {
  const { t } = useTranslation();
  return (
    <div className="mx-auto max-w-sm space-y-2 p-6 text-center text-sm text-slate-500">
      <p>{t("search.empty", { query, scope })}</p>
      <p className="text-xs">{t("search.emptyHint")}</p>
    </div>
  );
}
