"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";
import { useTRPC } from "@/trpc/client";
import { vacationActive } from "./vacation-active";

/**
 * The mailbox's reminder that an out-of-office reply is on. Apart from the Filters settings
 * (imap-filters.tsx), which load only when Settings opens.
 */
export function VacationBanner({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const state = useQuery(trpc.rules.get.queryOptions());
  if (state.data?.kind !== "pismo" || !vacationActive(state.data.set.vacation)) return null;
  return (
    <div
      role="status"
      aria-label={t("filters.vacation")}
      className="flex items-center gap-2 bg-amber-100 px-3 py-1.5 text-sm text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
    >
      <span className="flex-1">{t("filters.vacationOn")}</span>
      <button type="button" className={buttonClass.ghost} onClick={onOpen}>
        {t("filters.vacationChange")}
      </button>
    </div>
  );
}
