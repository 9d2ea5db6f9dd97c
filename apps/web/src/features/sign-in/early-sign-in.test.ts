import { describe, expect, it } from "vitest";
import { detectLanguage } from "@/i18n/language";
import { earlyLanguage } from "./early-sign-in";

// The page's early sign-in copy is shown in the language the app will show: its inline
// script repeats detectLanguage's rules, and must agree with them.
describe("earlyLanguage", () => {
  const cases: Array<[string, string | null, string[]]> = [
    ["", null, []],
    ["?lang=sr", null, ["en-US"]],
    ["?lang=en", "sr", ["sr-RS"]],
    ["?lang=de", "sr", ["en"]],
    ["?lang=sr-Cyrl", null, []],
    ["", "sr", ["en-GB"]],
    ["", "fr", ["de-DE", "hr-HR", "en"]],
    ["", null, ["de", "fr"]],
    ["", null, ["bs_BA"]],
    ["", " EN ", ["sr"]],
    ["?x=1&lang=", null, ["SR-latn"]],
    ["", "", ["", "en"]],
  ];
  it.each(cases)("query %j, stored %j, browser %j", (query, stored, browser) => {
    expect(earlyLanguage(query, stored, browser)).toBe(detectLanguage({ query, stored, browser }));
  });

  it("picks Serbian and English where the app does", () => {
    expect(earlyLanguage("?lang=sr", null, [])).toBe("sr");
    expect(earlyLanguage("", null, ["hr"])).toBe("sr");
    expect(earlyLanguage("", null, ["de"])).toBe("en");
  });

  it("needs nothing from its module: its source runs alone", () => {
    const alone = new Function(`return (${earlyLanguage.toString()})`)() as typeof earlyLanguage;
    expect(alone("", null, ["sr-Latn-RS"])).toBe("sr");
  });
});
