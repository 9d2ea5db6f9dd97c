"use client";

import { useState, type KeyboardEvent } from "react";
import { useTranslation } from "@/i18n/react";
import type { Address } from "@pismo/protocol/schemas";
import { parseAddressList } from "@pismo/protocol/compose";
import {
  addressKey,
  emptyAddressBook,
  suggestRecipients,
  type RecipientSuggestion,
} from "@pismo/protocol/contacts";
import { useContacts } from "./contacts-context";
import { expandTypedGroups, insertText, lastSeparator } from "./recipient-text";

/**
 * Completion for a recipient field (a combobox with a listbox of options): contacts and
 * groups matching the entry being typed, ranked by frecency. Arrow keys move, Enter, Tab or a
 * click chooses (the entry becomes "Name <address>, " and typing goes on), Escape closes. An
 * address typed whole is kept: Enter or Tab takes another one only once the arrow keys chose it.
 * `extra` are addresses known without being contacts (e.g. the lists on screen).
 */
export function useRecipientCompletion({
  id,
  value,
  onChange,
  extra,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  extra: readonly Address[];
}) {
  const { t } = useTranslation();
  const contacts = useContacts();
  const book = contacts?.book ?? emptyAddressBook();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  // The highlight was moved with the arrow keys since the text last changed: what it shows
  // was chosen, not merely offered first.
  const [moved, setMoved] = useState(false);
  // Frecency changes over days, not while one message is written: the field's opening time will do.
  const [now] = useState(() => Date.now());
  const cut = lastSeparator(value);
  const head = cut >= 0 ? value.slice(0, cut + 1) : "";
  const typed = value.slice(cut + 1).trim();
  const suggestions = open
    ? suggestRecipients(book, typed, {
        now,
        exclude: parseAddressList(head).valid.map((a) => a.address),
        extra,
      })
    : [];
  const shown = suggestions.length > 0;
  const current = Math.min(active, suggestions.length - 1);
  const listId = `${id}-suggestions`;
  const optionId = (i: number) => `${id}-suggestion-${i}`;

  const choose = (s: RecipientSuggestion) => {
    onChange(`${head ? `${head.trimEnd()} ` : ""}${insertText(s)}, `);
    setOpen(false);
    setActive(0);
    setMoved(false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    // An input method's Enter confirms its own composition (a Serbian Cyrillic or a phone's
    // keyboard), not a suggestion.
    if (e.nativeEvent.isComposing) return;
    if (!shown) {
      if (e.key === "ArrowDown" && typed) {
        setOpen(true);
        e.preventDefault();
      }
      return;
    }
    const chosen = suggestions[current];
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((current + step + suggestions.length) % suggestions.length);
      setMoved(true);
    } else if ((e.key === "Enter" || e.key === "Tab") && chosen && !e.shiftKey) {
      if (!moved && replacesTypedAddress(typed, chosen)) {
        // "marko@gmail.com" typed whole is the address meant, even if a busier "j.marko@…" is
        // offered first: the list closes and the key does what it does without one (Enter
        // confirms the address, Tab moves on).
        setOpen(false);
        return;
      }
      choose(chosen);
    } else if (e.key === "Escape") {
      setOpen(false);
    } else return;
    // The list has the key: the compose form must not send on Enter nor close on Escape.
    e.preventDefault();
    e.stopPropagation();
  };

  const inputProps = {
    role: "combobox",
    "aria-autocomplete": "list",
    "aria-expanded": shown,
    "aria-controls": listId,
    ...(shown ? { "aria-activedescendant": optionId(current) } : {}),
    onKeyDown,
    onChange: (e: { target: { value: string } }) => {
      onChange(e.target.value);
      setOpen(true);
      setActive(0);
      setMoved(false);
    },
    onBlur: () => {
      setOpen(false);
      if (contacts) {
        const expanded = expandTypedGroups(book, value);
        if (expanded !== value) onChange(expanded);
      }
    },
  } as const;

  const list = (
    <ul
      id={listId}
      role="listbox"
      aria-label={t("contacts.suggestions")}
      hidden={!shown}
      className="absolute top-full right-0 left-0 z-30 max-h-72 overflow-y-auto rounded-b-lg border border-slate-200 bg-white py-1 text-sm shadow-lg sm:left-16 dark:border-slate-700 dark:bg-slate-900"
    >
      {suggestions.map((s, i) => (
        <li
          key={s.kind === "person" ? s.address : `group:${s.name}`}
          id={optionId(i)}
          role="option"
          aria-selected={i === current}
          // Keep the focus in the field: the choice is made on click.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => choose(s)}
          // Pointing at another option chooses it, as the arrow keys do.
          onMouseMove={() => {
            if (i === current) return;
            setActive(i);
            setMoved(true);
          }}
          className={`flex cursor-pointer flex-wrap items-baseline gap-x-2 px-3 py-1.5 ${i === current ? "bg-sky-100 dark:bg-sky-900/50" : ""}`}
        >
          {s.kind === "person" ? (
            <>
              <span className="font-medium">{s.name || s.address}</span>{" "}
              {s.name && <span className="text-slate-500 dark:text-slate-400">&lt;{s.address}&gt;</span>}
            </>
          ) : (
            <>
              <span className="font-medium">{s.name}</span>{" "}
              <span className="text-slate-500 dark:text-slate-400">
                {t("contacts.groupMembers", { count: s.members.length })}
              </span>
            </>
          )}
        </li>
      ))}
    </ul>
  );
  return { inputProps, list };
}

/** Whether taking `suggestion` for the entry `typed` would put another address in place of a
 * complete one the user typed. The same address with its contact's name is no replacement, nor
 * is an address that goes on from what was typed: "marko@g" looks like an address but is one
 * being typed, and "marko@gmail.com" completes it. */
export function replacesTypedAddress(typed: string, suggestion: RecipientSuggestion): boolean {
  const { valid, invalid } = parseAddressList(typed);
  if (valid.length !== 1 || invalid.length > 0) return false;
  return (
    suggestion.kind !== "person" || !addressKey(suggestion.address).startsWith(addressKey(valid[0]!.address))
  );
}
