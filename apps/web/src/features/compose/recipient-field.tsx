"use client";

import { useId, type ReactNode } from "react";
import type { Address } from "@pismo/protocol/schemas";
import { parseAddressList, recipientEntry } from "@pismo/protocol/compose";
import { useRecipientCompletion } from "../contacts/recipient-completion";
import { focusOnMount } from "@/lib/focus-on-mount";

/**
 * A recipient field: typed as text ("Ana <ana@x.rs>, bob@x.rs"), completed from the address
 * book (and the correspondents on screen) by a listbox under it.
 */
export function RecipientField({
  label,
  name,
  value,
  onChange,
  suggestions,
  autoFocus,
  after = null,
}: {
  label: string;
  /** "to", "cc" or "bcc": the compose window's keys tell the fields apart by it. */
  name?: string;
  value: string;
  onChange: (value: string) => void;
  suggestions: Address[];
  autoFocus?: boolean;
  /** Beside the field, in its row (To's Cc/Bcc button): never over what is typed. */
  after?: ReactNode;
}) {
  const id = useId();
  const completion = useRecipientCompletion({ id, value, onChange, extra: suggestions });
  return (
    <div className="relative flex items-center gap-2 border-b border-slate-200 px-3 dark:border-slate-700">
      <label htmlFor={id} className="w-16 shrink-0 text-sm text-slate-500">
        {label}
      </label>
      <input
        id={id}
        name={name}
        ref={autoFocus ? focusOnMount : undefined}
        value={value}
        {...completion.inputProps}
        autoComplete="off"
        spellCheck="false"
        className="min-w-0 flex-1 bg-transparent py-2 text-sm outline-none"
      />
      {after}
      {completion.list}
    </div>
  );
}

export function recipientsOf(value: string) {
  return parseAddressList(value);
}

export function recipientsText(list: Address[]): string {
  return list.map(recipientEntry).join(", ");
}
