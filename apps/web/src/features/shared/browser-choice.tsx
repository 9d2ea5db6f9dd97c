"use client";

import { useId, useState } from "react";

/**
 * A choice about how this person reads, kept in this browser with the other preferences
 * (language, theme, Undo send), for both account types: the first of `choices` is the default,
 * and is stored as no entry at all.
 */
export function readChoice<C extends string>(key: string, choices: readonly [C, ...C[]]): C {
  try {
    const stored = localStorage.getItem(key);
    return choices.find((c) => c === stored) ?? choices[0];
  } catch {
    return choices[0];
  }
}

/** The setting's radios in Settings: a region named `title`, the `legend`, and a `help` line. */
export function ChoiceSetting<C extends string>({
  storageKey,
  choices,
  title,
  legend,
  help,
  label,
}: {
  storageKey: string;
  choices: readonly [C, ...C[]];
  title: string;
  legend: string;
  help: string;
  label: (choice: C) => string;
}) {
  const id = useId();
  const [value, setValue] = useState(() => readChoice(storageKey, choices));
  const choose = (next: C) => {
    setValue(next);
    try {
      if (next === choices[0]) localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, next);
    } catch {
      // Storage refused (a private window's quota): the choice holds until the page closes.
    }
  };
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-2">
      <h3 id={`${id}-title`} className="text-base font-semibold">
        {title}
      </h3>
      <fieldset className="space-y-1" aria-describedby={`${id}-help`}>
        <legend className="mb-1">{legend}</legend>
        {choices.map((c) => (
          <label key={c} className="flex items-center gap-2">
            <input type="radio" name={`${id}-choice`} checked={value === c} onChange={() => choose(c)} />
            {label(c)}
          </label>
        ))}
      </fieldset>
      <p id={`${id}-help`} className="text-xs text-slate-600 dark:text-slate-400">
        {help}
      </p>
    </section>
  );
}
