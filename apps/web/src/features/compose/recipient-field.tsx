"use client";

import { useId } from "react";
import type { Address } from "@pismo/protocol/schemas";
import { parseAddressList } from "@pismo/protocol/compose";
import { formatAddress } from "@pismo/protocol/format";

/**
 * A recipient field: typed as text ("Ana <ana@x.rs>, bob@x.rs"), completed from recent
 * correspondents with a native <datalist> (accessible and no library).
 */
export function RecipientField({
  label,
  name,
  value,
  onChange,
  suggestions,
  autoFocus,
}: {
  label: string;
  /** "to", "cc" or "bcc": the compose window's keys tell the fields apart by it. */
  name?: string;
  value: string;
  onChange: (value: string) => void;
  suggestions: Address[];
  autoFocus?: boolean;
}) {
  const id = useId();
  // Complete the last entry of the list, keep the ones already typed.
  const head = value.includes(",") ? value.slice(0, value.lastIndexOf(",") + 1) + " " : "";
  return (
    <div className="flex items-center gap-2 border-b border-slate-200 px-3 dark:border-slate-700">
      <label htmlFor={id} className="w-16 shrink-0 text-sm text-slate-500">
        {label}
      </label>
      <input
        id={id}
        name={name}
        list={`${id}-list`}
        autoFocus={autoFocus}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        className="min-w-0 flex-1 bg-transparent py-2 text-sm outline-none"
      />
      <datalist id={`${id}-list`}>
        {suggestions.map((a) => (
          <option key={a.address} value={head + formatAddress(a)} />
        ))}
      </datalist>
    </div>
  );
}

export function recipientsOf(value: string) {
  return parseAddressList(value);
}

export function recipientsText(list: Address[]): string {
  return list.map(formatAddress).join(", ");
}
