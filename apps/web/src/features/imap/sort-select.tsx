"use client";

import { useTranslation } from "@/i18n/react";
import type { ListSort } from "@pismo/protocol/schemas";

/** The IMAP list's order: as the server received the mail, by the messages' dates, or by size
 * (largest first, which the quota meter's "show largest" opens). */
export function SortSelect({
  hidden,
  value,
  onChange,
}: {
  hidden: boolean;
  value: ListSort;
  onChange: (sort: ListSort) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <label className="sr-only" htmlFor="sort">
        {t("mail.sortBy")}
      </label>
      <select
        id="sort"
        hidden={hidden}
        value={value}
        onChange={(e) => onChange(e.target.value as ListSort)}
        className="rounded-md border border-slate-300 bg-white px-1.5 py-1 text-xs dark:border-slate-700 dark:bg-slate-900"
      >
        <option value="arrival">{t("mail.sortArrival")}</option>
        <option value="date">{t("mail.sortDate")}</option>
        <option value="size">{t("mail.sortSize")}</option>
      </select>
    </>
  );
}
