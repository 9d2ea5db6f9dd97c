import { describe, expect, it } from "vitest";
import { parseAge, parseDay, parseSearchQuery, parseSize } from "./query";
import type { ParseSearchResult, SearchQuery } from "./query";

const now = Date.UTC(2026, 10, 30, 15, 30); // 2026-11-30T15:30Z
const DAY = 86_400_000;

function parse(input: string, locale?: string): SearchQuery {
  const result = parseSearchQuery(input, locale === undefined ? { now } : { now, locale });
  if (!result.ok) throw new Error(`unexpected error ${JSON.stringify(result.error)}`);
  return result.query;
}

function parseError(input: string, locale?: string) {
  const result: ParseSearchResult = parseSearchQuery(input, locale === undefined ? { now } : { now, locale });
  if (result.ok) throw new Error(`expected an error for ${input}`);
  return result.error;
}

const word = (value: string, field = "any", phrase = false) => ({ kind: "text", field, value, phrase });

describe("parseSearchQuery: words and fields", () => {
  it("reads an empty box as no condition in the current folder", () => {
    expect(parse("")).toEqual({ root: null, scope: { kind: "current" } });
    expect(parse("   ")).toEqual({ root: null, scope: { kind: "current" } });
  });

  it("ANDs free words, each over every field", () => {
    expect(parse("račun novembar")).toEqual({
      root: { kind: "and", nodes: [word("račun"), word("novembar")] },
      scope: { kind: "current" },
    });
  });

  it("leaves out a word of punctuation alone, which no message would match ('Faktura - jun')", () => {
    for (const q of ["Faktura - jun", "Faktura – jun", "faktura & jun", "faktura : jun"])
      expect(parse(q).root, q).toEqual({ kind: "and", nodes: [word(q.slice(0, 7)), word("jun")] });
    expect(parse('"-" jun').root).toEqual({ kind: "and", nodes: [word("-", "any", true), word("jun")] });
    expect(parse("-").root).toBeNull();
  });

  it("keeps Serbian Cyrillic and Latin words as typed", () => {
    expect(parse("писмо Đorđe").root).toEqual({ kind: "and", nodes: [word("писмо"), word("Đorđe")] });
  });

  it("reads quoted phrases", () => {
    expect(parse('"Račun za novembar" čačak').root).toEqual({
      kind: "and",
      nodes: [word("Račun za novembar", "any", true), word("čačak")],
    });
  });

  it("reads field operators, case-insensitively, with quoted values", () => {
    expect(parse('from:ana TO:"Петар Петровић" cc:x@y.rs subject:Račun body:ugovor').root).toEqual({
      kind: "and",
      nodes: [
        word("ana", "from"),
        word("Петар Петровић", "to", true),
        word("x@y.rs", "cc"),
        word("Račun", "subject"),
        word("ugovor", "body"),
      ],
    });
  });

  it("reads unknown operators, times and links as plain words", () => {
    expect(parse("foo:bar 10:30 https://primer.rs").root).toEqual({
      kind: "and",
      nodes: [word("foo:bar"), word("10:30"), word("https://primer.rs")],
    });
  });

  it("reads flags and has:attachment", () => {
    expect(parse("is:unread IS:Read is:flagged has:attachment").root).toEqual({
      kind: "and",
      nodes: [
        { kind: "flag", flag: "unread" },
        { kind: "flag", flag: "read" },
        { kind: "flag", flag: "flagged" },
        { kind: "hasAttachment" },
      ],
    });
  });
});

describe("parseSearchQuery: NOT, OR and groups", () => {
  it("negates words, operators, phrases and groups", () => {
    expect(parse('-spam -from:ana -"dnevni izveštaj" -(a b)').root).toEqual({
      kind: "and",
      nodes: [
        { kind: "not", node: word("spam") },
        { kind: "not", node: word("ana", "from") },
        { kind: "not", node: word("dnevni izveštaj", "any", true) },
        { kind: "not", node: { kind: "and", nodes: [word("a"), word("b")] } },
      ],
    });
  });

  it("keeps a hyphen inside a word and cancels a double negation", () => {
    expect(parse("e-mail").root).toEqual(word("e-mail"));
    expect(parse("--a").root).toEqual(word("a"));
  });

  it("binds AND tighter than OR", () => {
    expect(parse("a b OR c").root).toEqual({
      kind: "or",
      nodes: [{ kind: "and", nodes: [word("a"), word("b")] }, word("c")],
    });
    expect(parse("from:ana OR from:пера OR is:flagged").root).toEqual({
      kind: "or",
      nodes: [word("ana", "from"), word("пера", "from"), { kind: "flag", flag: "flagged" }],
    });
  });

  it("groups with parentheses", () => {
    expect(parse("(a OR b) c").root).toEqual({
      kind: "and",
      nodes: [{ kind: "or", nodes: [word("a"), word("b")] }, word("c")],
    });
  });

  it("reads lower-case or as a word", () => {
    expect(parse("a or b").root).toEqual({ kind: "and", nodes: [word("a"), word("or"), word("b")] });
  });
});

describe("parseSearchQuery: dates, ages and sizes", () => {
  const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);

  it("reads ISO dates in every locale", () => {
    for (const locale of [undefined, "sr", "en-US", "en-GB"]) {
      expect(parse("after:2026-11-01 before:2026/11/30", locale).root).toEqual({
        kind: "and",
        nodes: [
          { kind: "date", bound: "after", time: day(2026, 11, 1), granularity: "day" },
          { kind: "date", bound: "before", time: day(2026, 11, 30), granularity: "day" },
        ],
      });
    }
  });

  it("reads the locale's own date forms", () => {
    const before = (time: number) => ({ kind: "date", bound: "before", time, granularity: "day" });
    expect(parse("before:11/30/2026", "en-US").root).toEqual(before(day(2026, 11, 30)));
    expect(parse("before:30/11/2026", "en-GB").root).toEqual(before(day(2026, 11, 30)));
    expect(parse("before:30.11.2026", "en-GB").root).toEqual(before(day(2026, 11, 30)));
    expect(parse("before:30.11.2026.", "sr").root).toEqual(before(day(2026, 11, 30)));
    expect(parse("before:30.11.2026", "sr-Latn-RS").root).toEqual(before(day(2026, 11, 30)));
    expect(parse('before:"30. 11. 2026."', "sr").root).toEqual(before(day(2026, 11, 30)));
    expect(parse("before:5.3.26", "sr").root).toEqual(before(day(2026, 3, 5)));
  });

  it("reads a dotted date day first under every locale (the English page, read in day-first countries)", () => {
    const before = (time: number) => ({ kind: "date", bound: "before", time, granularity: "day" });
    expect(parse("before:01.02.2026", "en").root).toEqual(before(day(2026, 2, 1)));
    expect(parse("before:30.11.2026", "en-US").root).toEqual(before(day(2026, 11, 30)));
    // Slashes keep the locale's order.
    expect(parse("before:01/02/2026", "en-US").root).toEqual(before(day(2026, 1, 2)));
  });

  it("reports an impossible or misordered date at its value", () => {
    expect(parseError("a before:30/11/2026", "en-US")).toMatchObject({
      code: "BAD_DATE",
      at: 9,
      length: 10,
      params: { operator: "before", value: "30/11/2026", example: "11/30/2026" },
    });
    expect(parseError("after:31.2.2026", "sr")).toMatchObject({ code: "BAD_DATE", at: 6, length: 9 });
    expect(parseError("after:2026-13-01")).toMatchObject({ code: "BAD_DATE" });
    expect(parseError("after:30/11/2026.", "sr")).toMatchObject({ code: "BAD_DATE" });
    expect(parseError("after:juče", "sr")).toMatchObject({
      code: "BAD_DATE",
      params: { example: "30.11.2026" },
    });
  });

  it("resolves older_than and newer_than against now", () => {
    expect(parse("older_than:7d newer_than:1y").root).toEqual({
      kind: "and",
      nodes: [
        { kind: "date", bound: "before", time: now - 7 * DAY, granularity: "instant" },
        { kind: "date", bound: "after", time: Date.UTC(2025, 10, 30, 15, 30), granularity: "instant" },
      ],
    });
    expect(parseAge("2w", now)).toBe(now - 14 * DAY);
    expect(parseAge("1M", now)).toBe(Date.UTC(2026, 9, 30, 15, 30));
    // Calendar months clamp to the end of a shorter month.
    expect(parseAge("1m", Date.UTC(2026, 2, 31))).toBe(Date.UTC(2026, 1, 28));
    expect(parseAge("12m", Date.UTC(2026, 0, 15))).toBe(Date.UTC(2025, 0, 15));
    expect(parseError("older_than:7x")).toMatchObject({ code: "BAD_RELATIVE_DATE", at: 11, length: 2 });
  });

  it("reads sizes with units and decimals", () => {
    expect(parseSize("5M")).toBe(5 * 1024 * 1024);
    expect(parseSize("200K")).toBe(200 * 1024);
    expect(parseSize("1.5M")).toBe(1.5 * 1024 * 1024);
    expect(parseSize("1,5m")).toBe(1.5 * 1024 * 1024);
    expect(parseSize("10MB")).toBe(10 * 1024 * 1024);
    expect(parseSize("2G")).toBe(2 * 1024 ** 3);
    expect(parseSize("300")).toBe(300);
    expect(parseSize("5X")).toBeNull();
    expect(parse("larger:5M smaller:1.5M").root).toEqual({
      kind: "and",
      nodes: [
        { kind: "size", bound: "larger", bytes: 5 * 1024 * 1024 },
        { kind: "size", bound: "smaller", bytes: 1.5 * 1024 * 1024 },
      ],
    });
    expect(parseError("račun larger:pet")).toMatchObject({ code: "BAD_SIZE", at: 13, length: 3 });
  });

  it("exposes parseDay", () => {
    expect(parseDay("2026-02-29")).toBeNull();
    expect(parseDay("2028-02-29")).toBe(Date.UTC(2028, 1, 29));
    expect(parseDay("1.2.2026", "en-US")).toBe(Date.UTC(2026, 1, 1));
    expect(parseDay("1/2/2026", "en-US")).toBe(Date.UTC(2026, 0, 2));
    expect(parseDay("1.2.2026", "xx-invalid-@@")).toBe(Date.UTC(2026, 1, 1));
  });
});

describe("parseSearchQuery: scope", () => {
  it("reads in:FOLDER, quoted folder names and in:all", () => {
    expect(parse("in:Arhiva račun")).toEqual({
      root: word("račun"),
      scope: { kind: "folder", folder: "Arhiva" },
    });
    expect(parse('račun in:"Računi/2026"')).toEqual({
      root: word("račun"),
      scope: { kind: "folder", folder: "Računi/2026" },
    });
    expect(parse("in:all")).toEqual({ root: null, scope: { kind: "all" } });
    expect(parse("IN:ALL x").scope).toEqual({ kind: "all" });
    // A folder that is really called "all" is written in quotes.
    expect(parse('in:"all"').scope).toEqual({ kind: "folder", folder: "all" });
    expect(parse("(in:Posao a) b").scope).toEqual({ kind: "folder", folder: "Posao" });
  });

  it("takes in: from a branch of a top-level OR", () => {
    expect(parse("in:all a OR b")).toEqual({
      root: { kind: "or", nodes: [word("a"), word("b")] },
      scope: { kind: "all" },
    });
    expect(parse("a OR b in:Posao")).toEqual({
      root: { kind: "or", nodes: [word("a"), word("b")] },
      scope: { kind: "folder", folder: "Posao" },
    });
  });

  it("refuses in: under NOT, alone in an OR branch, nested, and twice", () => {
    expect(parseError("x (a OR b in:Posao)")).toMatchObject({
      code: "SCOPE_NOT_ALLOWED_HERE",
      at: 10,
      length: 8,
    });
    expect(parseError("in:all a OR in:x b")).toMatchObject({ code: "DUPLICATE_SCOPE", at: 12, length: 4 });
    expect(parseError("a -in:Posao")).toMatchObject({ code: "SCOPE_NOT_ALLOWED_HERE", at: 3, length: 8 });
    expect(parseError("a OR in:Posao")).toMatchObject({ code: "SCOPE_NOT_ALLOWED_HERE", at: 5, length: 8 });
    expect(parseError('in:all in:"Računi"')).toMatchObject({ code: "DUPLICATE_SCOPE", at: 7, length: 11 });
  });
});

describe("parseSearchQuery: errors carry their position", () => {
  it("marks an unclosed quote from the quote to the end", () => {
    expect(parseError('račun "za novembar')).toMatchObject({ code: "UNTERMINATED_QUOTE", at: 6, length: 12 });
    expect(parseError('from:"Ana')).toMatchObject({ code: "UNTERMINATED_QUOTE", at: 5, length: 4 });
  });

  it("marks unbalanced and empty parentheses", () => {
    expect(parseError("(a OR b")).toMatchObject({ code: "UNBALANCED_PAREN", at: 0, length: 1 });
    expect(parseError("a OR b)")).toMatchObject({ code: "UNBALANCED_PAREN", at: 6, length: 1 });
    expect(parseError("a ( ) b")).toMatchObject({ code: "EMPTY_GROUP", at: 2, length: 3 });
  });

  it("refuses nesting past a bound with a marked error, never a stack overflow", () => {
    const deep = "(".repeat(3000) + "a" + ")".repeat(3000);
    expect(parseError(deep)).toMatchObject({ code: "TOO_DEEP", at: 32, length: 1, params: { max: "32" } });
    expect(parseError("-".repeat(5000) + "a").code).toBe("TOO_DEEP");
    // As deep as a person would go, and more, still parses.
    expect(parse("(".repeat(20) + "a OR -(b c)" + ")".repeat(20)).root).not.toBeNull();
  });

  it("marks an OR without a term on a side", () => {
    expect(parseError("OR a")).toMatchObject({ code: "DANGLING_OR", at: 0, length: 2 });
    expect(parseError("a OR")).toMatchObject({ code: "DANGLING_OR", at: 2, length: 2 });
    expect(parseError("a OR OR b")).toMatchObject({ code: "DANGLING_OR", at: 2, length: 2 });
    expect(parseError("(a OR) b")).toMatchObject({ code: "DANGLING_OR", at: 3, length: 2 });
  });

  it("marks an operator without a value, and a value it does not take", () => {
    expect(parseError("račun from:")).toMatchObject({
      code: "MISSING_VALUE",
      at: 6,
      length: 5,
      params: { operator: "from" },
    });
    expect(parseError('subject:""')).toMatchObject({ code: "MISSING_VALUE", at: 0, length: 10 });
    expect(parseError("is:novo")).toMatchObject({
      code: "UNKNOWN_VALUE",
      at: 3,
      length: 4,
      params: { operator: "is", value: "novo", expected: "unread, read, flagged" },
    });
    expect(parseError("has:slika")).toMatchObject({
      code: "UNKNOWN_VALUE",
      params: { expected: "attachment" },
    });
  });

  it("counts positions in UTF-16 units, as the input element does", () => {
    // "😀" is two UTF-16 units; the error is at the operator after it.
    expect(parseError("😀 larger:x")).toMatchObject({ code: "BAD_SIZE", at: 10, length: 1 });
  });

  it("gives an English message as a fallback", () => {
    expect(parseError("larger:pet").message).toContain('"pet" is not a size');
  });
});
