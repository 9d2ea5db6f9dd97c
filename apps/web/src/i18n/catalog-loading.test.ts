import { describe, expect, it } from "vitest";
import { i18n } from "./index";
import type { Language } from "./language";
import { createTranslator } from "./translator";

describe("catalog loading", () => {
  it("holds only the shown language's catalog, and fetches another before switching to it", async () => {
    await i18n.changeLanguage("en");
    expect(i18n.t("mail.noSubject")).toBe("(no subject)");
    expect(i18n.hasCatalog("en")).toBe(true);
    expect(i18n.hasCatalog("sr")).toBe(false);

    const switching = i18n.changeLanguage("sr");
    // Until the Serbian catalog is in, English stays shown (no keys in between).
    expect(i18n.language).toBe("en");
    expect(i18n.t("mail.noSubject")).toBe("(no subject)");
    await switching;
    expect(i18n.language).toBe("sr");
    expect(i18n.hasCatalog("sr")).toBe(true);
    expect(i18n.t("mail.noSubject")).toBe("(bez naslova)");
  });

  it("fetches only Serbian for a Croatian browser, and only English for a German one", async () => {
    for (const [browser, expected] of [
      [["hr-HR", "hr"], "sr"],
      [["de-DE", "de"], "en"],
    ] as const) {
      const fetched: Language[] = [];
      const translator = createTranslator({
        query: "",
        browser,
        storage: null,
        load: async (language) => {
          fetched.push(language);
          return language === "sr" ? (await import("./sr")).sr : (await import("./en")).en;
        },
      });
      await translator.ready;
      expect(fetched).toEqual([expected]);
      expect(translator.language).toBe(expected);
    }
  });
});
