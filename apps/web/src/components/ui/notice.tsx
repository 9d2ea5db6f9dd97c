"use client";

import type { ReactNode } from "react";

/**
 * Where notices stand while the compose window is open (it marks `<html data-compose-open>`):
 * clear of it, so that none covers its Send button. On a phone, where it fills the screen, above
 * its bar of buttons (two lines on a narrow phone); from 768 to 1279 px, where it would cover the
 * notices' corner, above the window (its height is the compose panel's, `min(42rem, 100dvh -
 * 4rem)`), or on a window too short for that, at its top edge rather than off the screen; wider,
 * they stand beside it. `high` is for the stack that stands above another (short notices over Undo).
 */
function clearOfCompose(high: boolean): string {
  return high
    ? "[[data-compose-open]_&]:max-md:bottom-36 [[data-compose-open]_&]:md:max-xl:bottom-[min(calc(min(42rem,100dvh-4rem)+4rem),calc(100dvh-6.5rem))]"
    : "[[data-compose-open]_&]:max-md:bottom-24 [[data-compose-open]_&]:md:max-xl:bottom-[min(calc(min(42rem,100dvh-4rem)+1rem),calc(100dvh-3.5rem))]";
}

/**
 * Where notices stand: fixed at the bottom, above the page, letting clicks through around them.
 * `className` places the stack (bottom offset, alignment); `aboveOthers`: it stands above
 * another stack, and stays above it when both move clear of the compose window.
 */
export function NoticeArea({
  className,
  aboveOthers = false,
  children,
}: {
  className: string;
  aboveOthers?: boolean;
  children: ReactNode;
}) {
  return (
    <div
      className={`pointer-events-none fixed inset-x-0 z-50 flex px-4 ${className} ${clearOfCompose(aboveOthers)}`}
    >
      {children}
    </div>
  );
}

/**
 * One notice at the bottom of the screen (after an action, a message being sent, a new version
 * of the app): what happened, at most one action (Undo, Reload) and a close button. A status,
 * so screen readers hear it without losing their place; named where a test or a user needs to
 * tell it from the others.
 */
export function Notice({
  label,
  text,
  action,
  dismiss,
}: {
  label?: string;
  text: ReactNode;
  action?: { label: string; onClick: () => void; disabled?: boolean } | null;
  /** The × button; `label` is its accessible name. */
  dismiss?: { label: string; onClick: () => void };
}) {
  return (
    <div
      role="status"
      aria-label={label}
      className="pointer-events-auto flex max-w-lg items-center gap-3 rounded-lg bg-slate-800 px-4 py-2 text-sm text-white shadow-lg dark:bg-slate-200 dark:text-slate-900"
    >
      <span>{text}</span>
      {action && (
        <button
          type="button"
          className="rounded-md px-2 py-0.5 font-semibold text-sky-300 hover:bg-white/10 focus-visible:outline-2 focus-visible:outline-sky-300 disabled:opacity-50 dark:text-sky-800 dark:hover:bg-slate-900/10"
          disabled={action.disabled}
          onClick={action.onClick}
        >
          {action.label}
        </button>
      )}
      {dismiss && (
        <button
          type="button"
          aria-label={dismiss.label}
          className="rounded px-1 text-white/70 hover:bg-white/10 dark:text-slate-600"
          onClick={dismiss.onClick}
        >
          ×
        </button>
      )}
    </div>
  );
}
