"use client";

import { useState, type InputHTMLAttributes } from "react";

/**
 * A whole number from `min` to `max`, shown as it is typed: `onChange` gets it only once it is
 * in range, and the field shows the value in force again when it is left. A field that put the
 * value in range at every keystroke turned a cleared field into `min`, so typing "30" gave
 * "130". While what is typed is not a number in range the field says so (`aria-invalid`).
 */
export function WholeNumberInput({
  value,
  min,
  max,
  onChange,
  className,
  ...rest
}: {
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
  className?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "min" | "max" | "onChange" | "type">) {
  const [typing, setTyping] = useState<string | null>(null);
  const text = typing ?? String(value);
  const n = Number(text);
  const valid = text.trim() !== "" && Number.isInteger(n) && n >= min && n <= max;
  return (
    <input
      {...rest}
      type="number"
      inputMode="numeric"
      min={min}
      max={max}
      step={1}
      value={text}
      aria-invalid={!valid || undefined}
      onChange={(e) => {
        const raw = e.target.value;
        setTyping(raw);
        const typed = Number(raw);
        if (raw.trim() !== "" && Number.isInteger(typed) && typed >= min && typed <= max) onChange(typed);
      }}
      onBlur={(e) => {
        setTyping(null);
        rest.onBlur?.(e);
      }}
      className={`${className ?? ""} aria-[invalid=true]:border-red-600`}
    />
  );
}
