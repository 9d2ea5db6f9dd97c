import { documentLanguageOf, languages, localeOf, type Language } from "./language";
import { createTranslator, type Translator } from "./translator";

export { languages, localeOf, type Language };

/**
 * The app's translator. Each catalog is a chunk of its own, and only the language shown is
 * fetched: the other one arrives when the user picks it, before it is shown (nothing shows keys).
 * The language follows `?lang=`, then the user's choice (localStorage), then the browser.
 */
export const i18n: Translator = createTranslator({
  query: typeof location === "undefined" ? "" : location.search,
  browser: typeof navigator === "undefined" ? [] : navigator.languages,
  storage: typeof localStorage === "undefined" ? null : localStorage,
  load: (language) =>
    language === "sr" ? import("./sr").then((m) => m.sr) : import("./en").then((m) => m.en),
  onShown(language) {
    if (typeof document !== "undefined") document.documentElement.lang = documentLanguageOf(language);
  },
});

export function currentLanguage(): Language {
  return i18n.language;
}
