import { use, useMemo, useSyncExternalStore } from "react";
import { i18n } from "./index";
import type { TFunction } from "./translate";
import type { Translator } from "./translator";

export type { TFunction, TOptions } from "./translate";

/**
 * `const { t, i18n } = useTranslation()`: `t` in the shown language (the same function until
 * the language changes), and the translator to read or change the language. The component
 * re-renders when the language changes, and suspends until the first catalog is in: the app's
 * Suspense boundary paints nothing before it.
 */
export function useTranslation(): { t: TFunction; i18n: Translator } {
  const language = useSyncExternalStore(i18n.subscribe, () => i18n.language);
  if (!i18n.isReady()) use(i18n.ready);
  return useMemo(() => ({ t: i18n.getFixedT(language), i18n }), [language]);
}
