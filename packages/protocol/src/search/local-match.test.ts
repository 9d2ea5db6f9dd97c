import { describe, expect, it } from "vitest";
import {
  containsAtWordStart,
  createLocalMatcher,
  foldRecord,
  matchesQuery,
  MAX_TAILS,
  tokenizeForIndex,
  tokenizeForSearch,
  tokensForIndex,
} from "./local-match";
import type { LocalMatchOptions } from "./local-match";
import { parseSearchQuery } from "./query";
import { messages } from "./test-fixtures";

const now = Date.UTC(2026, 10, 30, 12);
const DAY = 86_400_000;

const inbox: LocalMatchOptions = { currentFolder: "inbox" };

function find(input: string, options: LocalMatchOptions = inbox, locale = "sr"): string[] {
  const parsed = parseSearchQuery(input, { now, locale });
  if (!parsed.ok) throw new Error(parsed.error.message);
  const match = createLocalMatcher(parsed.query, options);
  return messages
    .map(foldRecord)
    .filter(match)
    .map((m) => m.id);
}

describe("local matching: text", () => {
  it("ignores case, diacritics and script", () => {
    expect(find("sasa")).toEqual(["racun"]);
    expect(find("САША")).toEqual(["racun"]);
    expect(find("djordjevic")).toEqual(["racun"]);
    // "Đorđe" is also where "Đorđević" starts.
    expect(find("đorđe")).toEqual(["racun", "pismo"]);
    expect(find("cc:đorđe")).toEqual(["pismo"]);
    expect(find("pismo")).toEqual(["pismo"]);
    expect(find("писмо")).toEqual(["pismo"]);
    expect(find("racun novembar")).toEqual(["racun"]);
    expect(find("ljubica")).toEqual(["pismo"]);
  });

  it("matches words from their start, so results follow the typing", () => {
    expect(find("rac")).toEqual(["racun"]);
    expect(find("ana", { currentFolder: "Računi/2026" })).toEqual(["banana"]);
    expect(find("nana", { currentFolder: "Računi/2026" })).toEqual([]);
    expect(find("@firma.rs")).toEqual(["racun", "pismo"]);
  });

  it("restricts to a field", () => {
    expect(find("from:ana")).toEqual([]);
    expect(find("to:ana")).toEqual(["racun", "pismo"]);
    expect(find("cc:djordje")).toEqual(["pismo"]);
    expect(find("subject:racun")).toEqual(["racun"]);
    expect(find("body:ugovorom")).toEqual(["pismo"]);
    expect(find("subject:ugovorom")).toEqual([]);
  });

  it("matches phrases as one piece", () => {
    expect(find('"racun za novembar"')).toEqual(["racun"]);
    expect(find('"za racun"')).toEqual([]);
    expect(find('"шаљем писмо"')).toEqual(["pismo"]);
  });
});

describe("local matching: conditions", () => {
  it("evaluates NOT and OR", () => {
    expect(find("-sasa")).toEqual(["pismo"]);
    expect(find("sasa OR ljubica")).toEqual(["racun", "pismo"]);
    expect(find("(sasa OR ljubica) -is:unread")).toEqual(["pismo"]);
  });

  it("evaluates flags, attachments and sizes", () => {
    expect(find("is:unread")).toEqual(["racun"]);
    expect(find("is:read")).toEqual(["pismo"]);
    expect(find("is:flagged")).toEqual(["racun"]);
    expect(find("has:attachment")).toEqual(["racun"]);
    expect(find("larger:1M")).toEqual(["racun"]);
    expect(find("smaller:1M")).toEqual(["pismo"]);
  });

  it("compares days in the user's zone", () => {
    // The letter was sent 2026-10-01 23:30 UTC: 2 October in Belgrade (UTC+2 then).
    expect(find("after:1.10.2026.")).toEqual(["racun", "pismo"]);
    expect(find("before:2.10.2026.")).toEqual(["pismo"]);
    const belgrade = { currentFolder: "inbox", timeZone: "Europe/Belgrade" };
    expect(find("before:2.10.2026.", belgrade)).toEqual([]);
    expect(find("after:2.10.2026.", belgrade)).toEqual(["racun", "pismo"]);
    expect(find("after:11/28/2026", inbox, "en-US")).toEqual(["racun"]);
  });

  it("evaluates ages against the parse time", () => {
    expect(find("newer_than:7d")).toEqual(["racun"]);
    expect(find("older_than:7d")).toEqual(["pismo"]);
    expect(now - messages[0]!.date).toBeLessThan(7 * DAY);
  });

  it("searches the current folder, a named one, or all", () => {
    expect(find("ana")).toEqual(["racun", "pismo"]);
    expect(find("ana in:all")).toEqual(["racun", "pismo", "banana"]);
    expect(find('ana in:"racuni/2026"')).toEqual(["banana"]);
    expect(find("in:inbox", { currentFolder: "Računi/2026" })).toEqual(["racun", "pismo"]);
    const byId = {
      currentFolder: "x",
      inFolder: (folder: string, name: string) => folder === "inbox" && name === "Sanduče",
    };
    expect(find("in:Sanduče", byId)).toEqual(["racun", "pismo"]);
  });

  it("matches one record directly", () => {
    const parsed = parseSearchQuery("from:sasa is:flagged", { now });
    if (!parsed.ok) throw new Error("parse");
    expect(matchesQuery(parsed.query, messages[0]!, inbox)).toBe(true);
    expect(matchesQuery(parsed.query, messages[1]!, inbox)).toBe(false);
  });
});

describe("tokens", () => {
  it("finds needles at word starts only", () => {
    expect(containsAtWordStart("banana rs", "ana")).toBe(false);
    expect(containsAtWordStart("banana ana", "ana")).toBe(true);
    expect(containsAtWordStart("x@primer.rs", "@primer")).toBe(true);
  });

  it("splits text into words and whole addresses", () => {
    expect(tokenizeForSearch("Saša <sasa@primer.rs>, d.o.o. (Beograd)")).toEqual([
      "Saša",
      "sasa@primer.rs",
      "sasa",
      "primer",
      "rs",
      "d.o.o",
      "d",
      "o",
      "o",
      "Beograd",
    ]);
  });

  it("indexes the tails of an address or dotted name from each inner word, a query only the whole", () => {
    expect(tokenizeForIndex("Ana <ana.petrovic@primer.rs>; www.primer.rs")).toEqual([
      "Ana",
      "ana.petrovic@primer.rs",
      "petrovic@primer.rs",
      "primer.rs",
      "ana",
      "petrovic",
      "primer",
      "rs",
      "www.primer.rs",
      "primer.rs",
      "www",
      "primer",
      "rs",
    ]);
    // Punctuation around a whole is dropped, so "@primer.rs" looks for the tail "primer.rs".
    expect(tokenizeForSearch("@primer.rs")).toEqual(["primer.rs", "primer", "rs"]);
    expect(tokenizeForSearch("petrovic@primer.rs")).toEqual([
      "petrovic@primer.rs",
      "petrovic",
      "primer",
      "rs",
    ]);
    // Hyphens and underscores inside an address start words too; a word alone has no tails.
    expect(tokenizeForIndex("ana-marija_p@x.rs e-mail")).toEqual([
      "ana-marija_p@x.rs",
      "marija_p@x.rs",
      "p@x.rs",
      "x.rs",
      "ana",
      "marija",
      "p",
      "x",
      "rs",
      "e",
      "mail",
    ]);
    // A long dotted run keeps only its shortest tails.
    const run = Array.from({ length: 30 }, (_, i) => `w${i}`).join(".");
    const tails = tokenizeForIndex(run).filter((t) => t !== run && t.includes("."));
    expect(tails).toHaveLength(MAX_TAILS);
    expect(tails.at(-1)).toBe("w28.w29");
  });

  it("folds the terms of a record for an index", () => {
    const tokens = tokensForIndex(messages[1]!);
    expect(tokens).toContain("ljubica");
    expect(tokens).toContain("pismo");
    expect(tokens).toContain("djordje@primer.rs");
    expect(tokens).toContain("primer.rs");
    expect(tokens).toContain("saradnji");
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});
