export const languages = ["en", "sr"] as const;
export type Language = (typeof languages)[number];

/**
 * The catalog a BCP 47 tag reads best in, or null when neither fits. Serbian in either script
 * gets Serbian Latin, and so do Croatian and Bosnian, the closest languages to it.
 */
export function languageOfTag(tag: string | null | undefined): Language | null {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === "en") return "en";
  if (primary === "sr" || primary === "hr" || primary === "bs") return "sr";
  return null;
}

/** Where the language comes from, in the order asked. */
export interface LanguageSources {
  /** The page's query string (`location.search`): `?lang=sr` picks Serbian. */
  readonly query: string;
  /** The user's earlier choice (localStorage `pismo.lang`). */
  readonly stored: string | null;
  /** The browser's languages, the preferred first (`navigator.languages`). */
  readonly browser: readonly string[];
}

/** `?lang=`, then the stored choice, then the browser's languages in order; English otherwise. */
export function detectLanguage(sources: LanguageSources): Language {
  const fromQuery = new URLSearchParams(sources.query).get("lang");
  for (const tag of [fromQuery, sources.stored, ...sources.browser]) {
    const language = languageOfTag(tag);
    if (language) return language;
  }
  return "en";
}

/** BCP 47 tag used for Intl formatting: Serbian is shown in Latin script. */
export function localeOf(language: string): string {
  return language.startsWith("sr") ? "sr-Latn-RS" : "en";
}

/** The document's `lang`: screen readers and hyphenation read Serbian as Latin script. */
export function documentLanguageOf(language: Language): string {
  return language === "sr" ? "sr-Latn" : "en";
}
