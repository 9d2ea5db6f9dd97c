import i18next from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next } from "react-i18next";
import { en } from "./en";
import { sr } from "./sr";

export const languages = ["en", "sr"] as const;
export type Language = (typeof languages)[number];

/** BCP 47 tag used for Intl formatting: Serbian is shown in Latin script. */
export function localeOf(language: string): string {
  return language.startsWith("sr") ? "sr-Latn-RS" : "en";
}

/**
 * The language follows `?lang=`, then the user's choice (localStorage), then the browser.
 * Croatian and Bosnian browsers get Serbian Latin, the closest catalog.
 */
export const i18n = i18next.createInstance();
void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: en }, sr: { translation: sr } },
    supportedLngs: [...languages],
    nonExplicitSupportedLngs: true,
    fallbackLng: { hr: ["sr"], bs: ["sr"], "sr-Cyrl": ["sr"], default: ["en"] },
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
