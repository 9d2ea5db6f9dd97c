"use client";

import { useId, useState, type InputHTMLAttributes } from "react";
import { intoViewOnMount } from "@/lib/into-view-on-mount";

/**
 * A whole number from `min` to `max`, shown as it is typed. `onChange` gets the number once
 * what is typed is one in range, and null while it is not (empty, "0" below a `min` of 1,
 * "1.5"): a form with a Save button then refuses to save and says why, and a setting that
 * applies at once keeps the value in force.
 *
 * What was typed stays in the field, marked invalid, until it is mended: a field that put the
 * value in range at every keystroke turned a cleared field into `min` (typing "30" gave "130"),
 * and one that put the value in force back when it was left made the click on Save (which
 * leaves it first) save the old value under "Saved", the "0" just typed gone without a word.
 * With `invalidMessage`, the field says it beside itself (for settings that have no Save), on
 * a line of its own after the field and its `unit` (the parent a wrapping flex row).
 */
export function WholeNumberInput({
  value,
  min,
  max,
  onChange,
  invalidMessage,
  unit,
  className,
  ...rest
}: {
  value: number;
  min: number;
  max: number;
  onChange: (value: number | null) => void;
  /** Shown next to the field (and read with it) while what is typed is not taken. */
  invalidMessage?: string;
  /** Written after the field ("Days"); the field's label names it for screen readers. */
  unit?: string;
  className?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "min" | "max" | "onChange" | "type">) {
  const [typing, setTyping] = useState<string | null>(null);
  // Turned off (its checkbox unticked): it shows the value in force again, not a mistake typed
  // before, which stayed marked invalid and came back when it was turned on again.
  if (rest.disabled && typing !== null) setTyping(null);
  const messageId = useId();
  const text = typing ?? (Number.isFinite(value) ? String(value) : "");
  const valid = wholeNumberIn(text, min, max) !== null;
  const say = !valid && !rest.disabled && invalidMessage;
  return (
    <>
      <input
        {...rest}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={1}
        value={text}
        aria-invalid={!valid || undefined}
        aria-describedby={
          [say ? messageId : null, rest["aria-describedby"]].filter(Boolean).join(" ") || undefined
        }
        onChange={(e) => {
          setTyping(e.target.value);
          onChange(wholeNumberIn(e.target.value, min, max));
        }}
        onBlur={(e) => {
          // In range: shown as the number it is ("007" as 7). Not: kept as typed, to mend.
          if (valid) setTyping(null);
          rest.onBlur?.(e);
        }}
        className={`${className ?? ""} aria-[invalid=true]:border-red-600`}
      />
      {unit && <span aria-hidden>{unit}</span>}
      {say && (
        <span
          id={messageId}
          ref={intoViewOnMount}
          role="alert"
          className="basis-full text-xs text-red-700 dark:text-red-300"
        >
          {invalidMessage}
        </span>
      )}
    </>
  );
}

/** The whole number `text` says, when it is one from `min` to `max`; otherwise null. */
export function wholeNumberIn(text: string, min: number, max: number): number | null {
  if (text.trim() === "") return null;
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}
