"use client";

import { useTranslation } from "@/i18n/react";
import type { Identity } from "@pismo/protocol/identities";
import { formatAddress } from "@pismo/protocol/format";

/** The sender, chosen among the account's identities; shown only when there is a choice. */
export function FromField({
  identities,
  fromId,
  onChange,
}: {
  identities: readonly Identity[];
  fromId: string | undefined;
  onChange: (fromId: string) => void;
}) {
  const { t } = useTranslation();
  if (identities.length < 2) return null;
  return (
    <div className="flex items-center gap-2 border-b border-slate-200 px-3 dark:border-slate-700">
      <label htmlFor="compose-from" className="w-16 shrink-0 text-sm text-slate-500">
        {t("identities.from")}
      </label>
      <select
        id="compose-from"
        value={fromId ?? identities[0]?.id}
        onChange={(e) => onChange(e.target.value)}
        className="min-w-0 flex-1 truncate bg-transparent py-2 text-sm outline-none"
      >
        {identities.map((i) => (
          <option key={i.id} value={i.id}>
            {formatAddress({ name: i.name, address: i.address })}
          </option>
        ))}
      </select>
    </div>
  );
}
