// The sign-in form's look, shared by the live form (sign-in-page.tsx) and the form written
// into the page's HTML before its code has loaded (sign-in-shell.ts), so that the one takes
// the other's place without a shift.

export const inputClass =
  "w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-accent dark:border-slate-700 dark:bg-slate-900";
export const labelClass = "mb-1 block text-sm font-medium text-slate-700 dark:text-slate-300";
export const pageClass = "flex min-h-dvh flex-col";
export const headerClass =
  "relative flex h-12 shrink-0 items-center justify-between gap-2 border-b border-slate-200 bg-white px-3 dark:border-slate-800 dark:bg-slate-900";
export const appNameClass = "text-lg font-semibold tracking-tight text-accent";
export const taglineClass = "hidden text-xs text-slate-500 sm:inline dark:text-slate-400";
export const mainClass = "mx-auto flex w-full max-w-md flex-1 flex-col justify-center px-4 py-10";
export const titleClass = "mb-6 text-2xl font-semibold tracking-tight";
export const formClass =
  "space-y-4 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900";
export const radioGroupClass = "grid gap-2 sm:grid-cols-2";
export const radioHintClass = "text-xs leading-snug text-slate-600 dark:text-slate-400";
export const detailsClass = "rounded-xl border border-slate-200 px-3 py-2 text-sm dark:border-slate-700";
export const summaryClass = "cursor-pointer select-none font-medium";
export const statusClass = "min-h-4 text-xs text-slate-500 dark:text-slate-400";
export const submitClass =
  "w-full rounded-lg bg-accent px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-accent-strong disabled:opacity-60";

/** A protocol's choice card: the chosen one ringed. */
export function protocolCardClass(chosen: boolean): string {
  return `flex cursor-pointer flex-col gap-1 rounded-xl border p-3 text-sm transition ${chosen ? "border-accent bg-accent/5 ring-1 ring-accent" : "border-slate-200 hover:border-slate-300 dark:border-slate-700"}`;
}
