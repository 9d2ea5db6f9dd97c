import { describe, expect, it } from "vitest";
import { detectLanguage } from "@/i18n/language";
import { beforePaintScript } from "./before-paint";

/** Runs the script against a page of these parts; returns what it set on <html>. */
function runScript(page: {
  search?: string;
  stored?: Record<string, string>;
  languages?: string[];
  cookie?: string;
  prefersDark?: boolean;
  storageThrows?: boolean;
}) {
  const classes = new Set<string>();
  const html = {
    lang: "en",
    classList: { add: (c: string) => void classes.add(c) },
  };
  const storage = {
    getItem: (key: string) => {
      if (page.storageThrows) throw new Error("SecurityError");
      return page.stored?.[key] ?? null;
    },
  };
  new Function("document", "location", "localStorage", "navigator", "matchMedia", beforePaintScript)(
    { documentElement: html, cookie: page.cookie ?? "" },
    { search: page.search ?? "" },
    storage,
    { languages: page.languages ?? [] },
    () => ({ matches: page.prefersDark ?? false }),
  );
  return { lang: html.lang, classes: [...classes].sort() };
}

describe("the script run before the first paint", () => {
  const pages = [
    { search: "?lang=sr", languages: ["en-US"] },
    { search: "?lang=en", stored: { "pismo.lang": "sr" } },
    { stored: { "pismo.lang": "sr" }, languages: ["en-GB"] },
    { languages: ["de-DE", "hr-HR", "en"] },
    { languages: ["sr-Cyrl-RS"] },
    { languages: ["bs"] },
    { languages: ["de", "fr"] },
    { search: "?lang=xx", languages: ["en-US", "sr"] },
    {},
  ];
  it.each(pages)("sets the language the app will choose: %j", (page) => {
    const chosen = detectLanguage({
      query: page.search ?? "",
      stored: page.stored?.["pismo.lang"] ?? null,
      browser: page.languages ?? [],
    });
    expect(runScript(page).lang).toBe(chosen === "sr" ? "sr-Latn" : "en");
  });

  it("keeps the language from the browser when storage is refused", () => {
    expect(runScript({ storageThrows: true, languages: ["sr"] }).lang).toBe("sr-Latn");
  });

  it("sets the dark theme where chosen or preferred, not where light is chosen", () => {
    expect(runScript({ stored: { "pismo.theme": "dark" } }).classes).toEqual(["dark"]);
    expect(runScript({ prefersDark: true }).classes).toEqual(["dark"]);
    expect(runScript({ prefersDark: true, stored: { "pismo.theme": "light" } }).classes).toEqual([]);
  });

  it("hides the written-in sign-in form where the gateway's hint says the browser may be signed in", () => {
    expect(runScript({ cookie: "a=b; pismo_signed_in=1" }).classes).toEqual(["pismo-hinted"]);
    expect(runScript({ cookie: "__Host-pismo_signed_in=1" }).classes).toEqual(["pismo-hinted"]);
    expect(runScript({ cookie: "pismo_signed_in=0; x_pismo_signed_in=1" }).classes).toEqual([]);
  });
});
