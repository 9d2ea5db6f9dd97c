import { detectLanguage, languageOfTag, type Language, type LanguageSources } from "./language";
import { translate, type CatalogTree, type TFunction } from "./translate";

/** What a translator needs from the page; the app passes the browser's, tests their own. */
export interface TranslatorEnvironment extends Omit<LanguageSources, "stored"> {
  /** Where the choice is kept (localStorage); null where there is none. */
  readonly storage: Pick<Storage, "getItem" | "setItem"> | null;
  /** Fetches one language's catalog (a chunk of its own). */
  readonly load: (language: Language) => Promise<CatalogTree>;
  /** Told each language that becomes the shown one, the first included (`<html lang>`). */
  readonly onShown?: (language: Language) => void;
}

export interface Translator {
  /** The shown language: its catalog is in (or could not be fetched) before it becomes this. */
  readonly language: Language;
  /** The same as `language`: the language whose catalog is shown. */
  readonly resolvedLanguage: Language;
  /** Settles once the first language's catalog is in, or has failed (then keys show). */
  readonly ready: Promise<void>;
  isReady(): boolean;
  hasCatalog(language: Language): boolean;
  /** Translates in the shown language. */
  readonly t: TFunction;
  /** Translates in `language`, whichever is shown; one function per language, kept. */
  getFixedT(language: Language): TFunction;
  /**
   * Keeps the choice, fetches the language's catalog, then shows it: nothing renders with keys
   * in between. An unknown tag means English.
   */
  changeLanguage(tag: string): Promise<TFunction>;
  /** Called after the shown language changed; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** localStorage key of the user's choice; existing users' values ("sr", "en-US"…) still read. */
export const STORAGE_KEY = "pismo.lang";

const RETRIES = 2;
const RETRY_MS = 350;

export function createTranslator(env: TranslatorEnvironment): Translator {
  const catalogs = new Map<Language, CatalogTree>();
  const loading = new Map<Language, Promise<void>>();
  const fixed = new Map<Language, TFunction>();
  const listeners = new Set<() => void>();

  function remember(language: Language) {
    try {
      env.storage?.setItem(STORAGE_KEY, language);
    } catch {
      // Storage full or refused (private mode): the language still shows, it is not kept.
    }
  }
  function stored(): string | null {
    try {
      return env.storage?.getItem(STORAGE_KEY) ?? null;
    } catch {
      return null;
    }
  }

  /** Fetches a catalog once; a failed fetch is tried again, then given up (keys show). */
  function fetchCatalog(language: Language): Promise<void> {
    let pending = loading.get(language);
    if (!pending) {
      pending = (async () => {
        for (let attempt = 0; ; attempt++) {
          try {
            catalogs.set(language, await env.load(language));
            return;
          } catch (error) {
            if (attempt >= RETRIES) {
              loading.delete(language);
              console.error(`The ${language} catalog could not be fetched`, error);
              return;
            }
            await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
          }
        }
      })();
      loading.set(language, pending);
    }
    return pending;
  }

  function getFixedT(language: Language): TFunction {
    let t = fixed.get(language);
    if (!t) {
      t = (key, options) => translate(catalogs.get(language), language, key, options);
      fixed.set(language, t);
    }
    return t;
  }

  // The language found is stored, even one that came from the browser: a later change of the
  // browser's language does not change Pismo's.
  let shown = detectLanguage({ query: env.query, stored: stored(), browser: env.browser });
  let wanted = shown;
  let settled = false;
  remember(shown);
  const ready = fetchCatalog(shown).then(() => {
    settled = true;
    env.onShown?.(shown);
  });

  return {
    get language() {
      return shown;
    },
    get resolvedLanguage() {
      return shown;
    },
    ready,
    isReady: () => settled,
    hasCatalog: (language) => catalogs.has(language),
    t: (key, options) => getFixedT(shown)(key, options),
    getFixedT,
    async changeLanguage(tag) {
      const next = languageOfTag(tag) ?? "en";
      wanted = next;
      remember(next);
      await Promise.all([ready, fetchCatalog(next)]);
      // A later pick that arrived while this one was fetching wins.
      if (wanted === next && shown !== next) {
        shown = next;
        env.onShown?.(next);
        for (const listener of listeners) listener();
      }
      return getFixedT(shown);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
