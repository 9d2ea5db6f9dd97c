"use client";

import { useId, useLayoutEffect, useRef, useState, type RefObject } from "react";
import { useTranslation } from "@/i18n/react";

/**
 * What follows when the message being read is deleted, archived, moved or reported as spam:
 * back to the list (as before, and Gmail's default), or on to the message below it or above it
 * (Roundcube's and Thunderbird's way, Gmail's "auto-advance"). A choice about how this person
 * reads, kept in this browser with the other preferences (language, theme, Undo send), for both
 * account types.
 */
export type AfterActing = "list" | "next" | "previous";

const KEY = "pismo.afterActing";
const CHOICES = ["list", "next", "previous"] as const satisfies readonly AfterActing[];

export function readAfterActing(): AfterActing {
  try {
    const stored = localStorage.getItem(KEY);
    return CHOICES.find((c) => c === stored) ?? "list";
  } catch {
    return "list";
  }
}

/**
 * A list opens, in place of its open message that is leaving it, the one `delta` rows away (1
 * below, -1 above; the other side at the list's end). False when it cannot (none left, or its
 * rows around the open one not loaded): the message is then closed.
 */
export type AdvanceFrom = (delta: 1 | -1) => boolean;

/**
 * For an app: `leave()` after its open message was acted on (alone, not a checked selection)
 * goes where the preference says. The list shown hands its `advance` to `advanceRef`
 * (useAdvanceHandle); `close` is the app's way back to the list.
 */
export function useLeaveActedOn(close: () => void): {
  advanceRef: RefObject<AdvanceFrom | null>;
  leave: () => void;
} {
  const advanceRef = useRef<AdvanceFrom | null>(null);
  const leave = () => {
    const after = readAfterActing();
    if (after !== "list" && advanceRef.current?.(after === "next" ? 1 : -1)) return;
    close();
  };
  return { advanceRef, leave };
}

/** A list gives the app its way to open the next message; the latest render's, for the rows it holds. */
export function useAdvanceHandle(ref: RefObject<AdvanceFrom | null> | undefined, advance: AdvanceFrom): void {
  useLayoutEffect(() => {
    if (!ref) return;
    ref.current = advance;
  });
  useLayoutEffect(() => {
    if (!ref) return;
    return () => {
      ref.current = null;
    };
  }, [ref]);
}

/** The Settings section: three choices, saved as soon as one is picked. */
export function AfterActingSetting() {
  const { t } = useTranslation();
  const id = useId();
  const [value, setValue] = useState(readAfterActing);
  const choose = (next: AfterActing) => {
    setValue(next);
    try {
      if (next === "list") localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, next);
    } catch {
      // Storage refused (a private window's quota): the choice holds until the page closes.
    }
  };
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-2">
      <h3 id={`${id}-title`} className="text-base font-semibold">
        {t("afterActing.setting")}
      </h3>
      <fieldset className="space-y-1" aria-describedby={`${id}-help`}>
        <legend className="mb-1">{t("afterActing.legend")}</legend>
        {CHOICES.map((c) => (
          <label key={c} className="flex items-center gap-2">
            <input type="radio" name={`${id}-after`} checked={value === c} onChange={() => choose(c)} />
            {t(`afterActing.${c}`)}
          </label>
        ))}
      </fieldset>
      <p id={`${id}-help`} className="text-xs text-slate-600 dark:text-slate-400">
        {t("afterActing.help")}
      </p>
    </section>
  );
}
