import { describe, expect, it } from "vitest";
import { detectLanguage, languageOfTag, type Language } from "./language";
import { createTranslator, STORAGE_KEY, type TranslatorEnvironment } from "./translator";
import type { CatalogTree } from "./translate";

const catalogs: Record<Language, CatalogTree> = {
  en: { hello: "Hello, {{name}}" },
  sr: { hello: "Zdravo, {{name}}" },
};

/** A page: its query, its browser's languages, and a localStorage holding `stored`. */
function page(opts: { query?: string; browser?: string[]; stored?: string }) {
  const storage = new Map<string, string>(opts.stored === undefined ? [] : [[STORAGE_KEY, opts.stored]]);
  const fetched: Language[] = [];
  const shown: Language[] = [];
  const gates = new Map<Language, () => void>();
  const env: TranslatorEnvironment = {
    query: opts.query ?? "",
    browser: opts.browser ?? [],
    storage: {
      getItem: (key) => storage.get(key) ?? null,
      setItem: (key, value) => void storage.set(key, value),
    },
    load: (language) => {
      fetched.push(language);
      return new Promise((resolve) => gates.set(language, () => resolve(catalogs[language])));
    },
    onShown: (language) => void shown.push(language),
  };
  /** Lets the catalog fetches through (a tick later, like a chunk arriving). */
  const arrive = async () => {
    await Promise.resolve();
    for (const open of gates.values()) open();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { env, storage, fetched, shown, arrive };
}

describe("the language shown", () => {
  it("is ?lang= first, then the stored choice, then the browser's languages in order, then English", () => {
    const both = { browser: ["sr-RS", "en"] };
    expect(detectLanguage({ query: "?lang=en", stored: "sr", ...both })).toBe("en");
    expect(detectLanguage({ query: "?x=1&lang=sr", stored: "en", browser: ["en-US"] })).toBe("sr");
    expect(detectLanguage({ query: "", stored: "en", ...both })).toBe("en");
    expect(detectLanguage({ query: "", stored: null, ...both })).toBe("sr");
    expect(detectLanguage({ query: "", stored: null, browser: ["de-DE", "fr", "sr"] })).toBe("sr");
    expect(detectLanguage({ query: "", stored: null, browser: ["de-DE", "fr"] })).toBe("en");
    expect(detectLanguage({ query: "", stored: null, browser: [] })).toBe("en");
  });

  it("skips a ?lang= or stored value it has no catalog for", () => {
    expect(detectLanguage({ query: "?lang=xx", stored: "sr", browser: ["en"] })).toBe("sr");
    expect(detectLanguage({ query: "?lang=", stored: "de", browser: ["sr"] })).toBe("sr");
  });

  it("is Serbian Latin for Croatian, Bosnian and Serbian in either script", () => {
    for (const tag of [
      "hr",
      "hr-HR",
      "bs",
      "bs-BA",
      "sr",
      "sr-RS",
      "sr-Cyrl",
      "sr-Cyrl-RS",
      "sr-Latn",
      "SR_rs",
    ])
      expect(languageOfTag(tag), tag).toBe("sr");
    for (const tag of ["en", "en-US", "en-GB"]) expect(languageOfTag(tag), tag).toBe("en");
    for (const tag of ["de", "sl", "mk", "", "english"]) expect(languageOfTag(tag), tag).toBeNull();
    expect(detectLanguage({ query: "", stored: null, browser: ["hr-HR", "en-US"] })).toBe("sr");
  });

  it("reads what earlier versions stored: the chosen code or the browser's full tag", () => {
    for (const [stored, language] of [
      ["sr", "sr"],
      ["en", "en"],
      ["sr-RS", "sr"],
      ["sr-Cyrl-RS", "sr"],
      ["en-US", "en"],
    ] as const)
      expect(detectLanguage({ query: "", stored, browser: ["de"] }), stored).toBe(language);
  });
});

describe("the translator", () => {
  it("fetches only the detected language's catalog, keeps the choice, and tells the page once it is in", async () => {
    const p = page({ browser: ["hr-HR", "en"] });
    const i18n = createTranslator(p.env);
    expect(i18n.isReady()).toBe(false);
    expect(p.storage.get(STORAGE_KEY)).toBe("sr");
    expect(p.shown).toEqual([]);
    await p.arrive();
    await i18n.ready;
    expect(i18n.isReady()).toBe(true);
    expect(p.fetched).toEqual(["sr"]);
    expect(p.shown).toEqual(["sr"]);
    expect(i18n.t("hello", { name: "Ana" })).toBe("Zdravo, Ana");
  });

  it("keeps a ?lang= choice for the next visit", async () => {
    const p = page({ query: "?lang=sr", browser: ["en-US"], stored: "en" });
    const i18n = createTranslator(p.env);
    expect(i18n.language).toBe("sr");
    expect(p.storage.get(STORAGE_KEY)).toBe("sr");
    const next = createTranslator({ ...p.env, query: "" });
    expect(next.language).toBe("sr");
  });

  it("switches only after the other catalog is in, tells its listeners and keeps the choice", async () => {
    const p = page({ stored: "en" });
    const i18n = createTranslator(p.env);
    await p.arrive();
    const tEnglish = i18n.getFixedT("en");
    let changes = 0;
    const unsubscribe = i18n.subscribe(() => changes++);

    const switching = i18n.changeLanguage("sr");
    expect(p.storage.get(STORAGE_KEY)).toBe("sr");
    await Promise.resolve();
    expect(i18n.language).toBe("en");
    expect(i18n.t("hello", { name: "Ana" })).toBe("Hello, Ana");
    expect(changes).toBe(0);
    await p.arrive();
    const tSerbian = await switching;

    expect(i18n.language).toBe("sr");
    expect(i18n.resolvedLanguage).toBe("sr");
    expect(tSerbian("hello", { name: "Ana" })).toBe("Zdravo, Ana");
    expect(i18n.t("hello", { name: "Ana" })).toBe("Zdravo, Ana");
    expect(changes).toBe(1);
    expect(p.shown).toEqual(["en", "sr"]);
    expect(p.fetched).toEqual(["en", "sr"]);
    // A component's t stays the same function while its language does.
    expect(i18n.getFixedT("en")).toBe(tEnglish);
    expect(tEnglish("hello", { name: "Ana" })).toBe("Hello, Ana");

    // Back to English: its catalog is kept, nothing is fetched again.
    await i18n.changeLanguage("en-GB");
    expect(i18n.language).toBe("en");
    expect(p.fetched).toEqual(["en", "sr"]);
    expect(p.storage.get(STORAGE_KEY)).toBe("en");
    unsubscribe();
    await i18n.changeLanguage("sr");
    expect(changes).toBe(2);
  });

  it("shows the last pick when a second arrives while the first is fetching", async () => {
    const p = page({ stored: "en" });
    const i18n = createTranslator(p.env);
    await p.arrive();
    const first = i18n.changeLanguage("sr");
    const second = i18n.changeLanguage("en");
    await p.arrive();
    await Promise.all([first, second]);
    expect(i18n.language).toBe("en");
    expect(p.storage.get(STORAGE_KEY)).toBe("en");
  });

  it("shows keys, not blanks, when a catalog cannot be fetched, and still gets ready", async () => {
    const i18n = createTranslator({
      query: "?lang=sr",
      browser: [],
      storage: null,
      load: () => Promise.reject(new Error("chunk failed")),
    });
    const originalError = console.error;
    console.error = () => undefined;
    try {
      await i18n.ready;
    } finally {
      console.error = originalError;
    }
    expect(i18n.isReady()).toBe(true);
    expect(i18n.t("mail.noSubject")).toBe("mail.noSubject");
  });

  it("shows the language even where storage refuses to keep it", async () => {
    const i18n = createTranslator({
      query: "",
      browser: ["sr"],
      storage: {
        getItem: () => {
          throw new Error("SecurityError");
        },
        setItem: () => {
          throw new Error("QuotaExceededError");
        },
      },
      load: (language) => Promise.resolve(catalogs[language]),
    });
    await i18n.ready;
    expect(i18n.t("hello", { name: "Ana" })).toBe("Zdravo, Ana");
  });
});
