import i18next, { type BackendModule, type ResourceKey } from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next } from "react-i18next";

export const languages = ["en", "sr"] as const;
export type Language = (typeof languages)[number];

/** BCP 47 tag used for Intl formatting: Serbian is shown in Latin script. */
export function localeOf(language: string): string {
  return language.startsWith("sr") ? "sr-Latn-RS" : "en";
}

/**
 * Each catalog is a chunk of its own, and only the language shown is fetched: the other one
 * arrives when the user picks it (i18next loads it before it switches, so nothing shows keys).
 */
const catalogs: Record<Language, () => Promise<ResourceKey>> = {
  en: () => import("./en").then((m) => m.en),
  sr: () => import("./sr").then((m) => m.sr),
};
const catalogBackend: BackendModule = {
  type: "backend",
  init: () => undefined,
  read(language, _namespace, callback) {
    const load = (languages as readonly string[]).includes(language) ? catalogs[language as Language] : null;
    if (!load) return callback(new Error(`No catalog for ${language}`), false);
    load().then(
      (catalog) => callback(null, catalog),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), true),
    );
  },
};

/**
 * The language follows `?lang=`, then the user's choice (localStorage), then the browser.
 * Croatian and Bosnian browsers get Serbian Latin, the closest catalog.
 */
export const i18n = i18next.createInstance();
void i18n
  .use(catalogBackend)
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    supportedLngs: [...languages],
    nonExplicitSupportedLngs: true,
    // Serbian has every English key (the catalog's type checks it), so it needs no fallback:
    // without `sr: []` the English catalog would be fetched behind every Serbian page.
    fallbackLng: { hr: ["sr"], bs: ["sr"], "sr-Cyrl": ["sr"], sr: [], default: ["en"] },
    load: "languageOnly",
    interpolation: { escapeValue: false },
    detection: {
      order: ["querystring", "localStorage", "navigator"],
      lookupQuerystring: "lang",
      lookupLocalStorage: "pismo.lang",
      caches: ["localStorage"],
    },
    returnNull: false,
  });

function syncDocumentLanguage(lng: string) {
  if (typeof document !== "undefined")
    document.documentElement.lang = lng.startsWith("sr") ? "sr-Latn" : "en";
}
syncDocumentLanguage(i18n.resolvedLanguage ?? "en");
i18n.on("languageChanged", syncDocumentLanguage);

export function currentLanguage(): Language {
  return i18n.resolvedLanguage?.startsWith("sr") ? "sr" : "en";
}
