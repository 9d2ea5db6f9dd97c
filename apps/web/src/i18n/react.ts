import { use, useMemo, useSyncExternalStore } from "react";
import { i18n } from "./index";
import type { TFunction } from "./translate";
import type { Translator } from "./translator";

export type { TFunction, TOptions } from "./translate";

/** The first catalog's load, marked the way React's `use` reads a settled promise at once. */
const ready: Promise<void> = i18n.ready;
void ready.then(() => {
  (ready as Promise<void> & { status?: string }).status = "fulfilled";
});

/**
 * `const { t, i18n } = useTranslation()`: `t` in the shown language (the same function until
 * the language changes), and the translator to read or change the language. The component
 * re-renders when the language changes, and suspends until the first catalog is in: the app's
 * Suspense boundary paints nothing before it.
 */
export function useTranslation(): { t: TFunction; i18n: Translator } {
  const language = useSyncExternalStore(i18n.subscribe, () => i18n.language);
  // Always read, never behind `isReady()`: a component that suspended here while mounting is
  // replayed once the catalog is in, and a replay that skips this `use` leaves React on its
  // update hooks for hooks that never mounted (its error #467, seen in a fresh-clone CI run).
  // Once loaded, `ready` carries React's "fulfilled" mark, so the read is synchronous.
  use(ready);
  return useMemo(() => ({ t: i18n.getFixedT(language), i18n }), [language]);
}
