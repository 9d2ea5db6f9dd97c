import type { ImapFlow, SearchObject } from "imapflow";
import { searchCompiler } from "imapflow/lib/search-compiler.js";
import type { SearchAttribute } from "imapflow/lib/search-compiler.js";
import { describe, expect, it } from "vitest";
import { compileImapSearch, formatImapCriteria, toSearchObject } from "./imap-compile";
import type { ImapCompileOptions, ImapSearchPlan } from "./imap-compile";
import { parseSearchQuery } from "./query";

const now = Date.UTC(2026, 10, 30, 15, 30);

function plan(input: string, options: ImapCompileOptions = {}): ImapSearchPlan {
  const parsed = parseSearchQuery(input, { now, locale: "sr" });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return compileImapSearch(parsed.query, options);
}

/**
 * What imapflow 2.10.2 itself puts on the wire for the search object (its real compiler, on a
 * server with no extensions), written out as text: literals are shown quoted.
 */
function wire(searchObject: SearchObject, capabilities: readonly string[] = []): string {
  const connection = {
    capabilities: new Map(capabilities.map((c) => [c, true])),
    enabled: new Set<string>(),
  } as unknown as ImapFlow;
  const render = (attrs: readonly SearchAttribute[]): string =>
    attrs
      .map((a) => {
        if (Array.isArray(a)) return `(${render(a)})`;
        const node = a as { type: string; value: unknown };
        if (node.type === "LITERAL") return `"${String(node.value)}"`;
        const value = String(node.value);
        return /^[A-Z0-9-]+$/i.test(value) ? value : `"${value}"`;
      })
      .join(" ");
  return render(searchCompiler(connection, searchObject));
}

const anyWord = (w: string) => `OR OR OR FROM ${w} TO ${w} OR CC ${w} SUBJECT ${w} BODY ${w}`;

/**
 * Evaluates what imapflow would send against a message given as the set of keys that hold
 * for it ("FLAGGED", "BODY b", ...), by RFC 3501's rules: keys in a row are ANDed, OR and NOT
 * are prefix operators over one key each, parentheses group.
 */
function holds(searchObject: SearchObject, facts: ReadonlySet<string>): boolean {
  const connection = { capabilities: new Map(), enabled: new Set<string>() } as unknown as ImapFlow;
  type Attr = SearchAttribute;
  const evalList = (attrs: readonly Attr[]): boolean => {
    let i = 0;
    const one = (): boolean => {
      const a = attrs[i++];
      if (a === undefined) throw new Error("search key missing");
      if (Array.isArray(a)) return evalList(a);
      const atom = String((a as { value: unknown }).value);
      if (atom === "NOT") return !one();
      if (atom === "OR") {
        const left = one();
        const right = one();
        return left || right;
      }
      if (atom === "ALL") return true;
      if (["SEEN", "UNSEEN", "FLAGGED"].includes(atom)) return facts.has(atom);
      const value = String((attrs[i++] as { value: unknown }).value);
      return facts.has(`${atom} ${value}`);
    };
    let result = true;
    while (i < attrs.length) result = one() && result;
    return result;
  };
  return evalList(searchCompiler(connection, searchObject));
}

describe("compileImapSearch", () => {
  it("searches a free word in from, to, cc, subject and body, and in the other script", () => {
    const p = plan("pismo");
    expect(formatImapCriteria(p.criteria)).toBe(
      'OR FROM "pismo" OR FROM "писмо" OR TO "pismo" OR TO "писмо" OR CC "pismo" OR CC "писмо" OR SUBJECT "pismo" OR SUBJECT "писмо" OR BODY "pismo" BODY "писмо"',
    );
    // The search object is what imapflow accepts, and compiles to the same ten alternatives.
    const searchObject: SearchObject = p.searchObject;
    const sent = wire(searchObject);
    expect(sent.match(/FROM|TO|CC|SUBJECT|BODY/g)).toHaveLength(10);
    expect(sent).toContain('BODY "писмо"');
    expect(sent.startsWith("CHARSET UTF-8 OR")).toBe(true);
  });

  it("starts a past day at the user's midnight, and leaves a day not begun yet to the server's date", () => {
    const timeZone = { zone: "Europe/Belgrade", now: Date.UTC(2026, 6, 16, 12) };
    expect(plan("after:16.7.2026.", { timeZone }).criteria).toEqual({
      key: "SINCE",
      date: "2026-07-15T22:00:00.000Z",
    });
    // 17 July has not begun in Belgrade: imapflow would send its instant's UTC date (the 16th).
    expect(plan("after:17.7.2026.", { timeZone }).criteria).toEqual({ key: "SINCE", date: "2026-07-17" });
    expect(plan("before:16.7.2026.").criteria).toEqual({ key: "BEFORE", date: "2026-07-16" });
  });

  it("finds Cyrillic words by their Latin spelling too", () => {
    expect(formatImapCriteria(plan("from:Ђорђе").criteria)).toBe(
      'OR FROM "Ђорђе" OR FROM "Đorđe" FROM "Djordje"',
    );
    expect(formatImapCriteria(plan("subject:djordje").criteria)).toBe(
      'OR SUBJECT "djordje" OR SUBJECT "дјордје" OR SUBJECT "ђорђе" SUBJECT "đorđe"',
    );
  });

  it("can leave transliteration out", () => {
    const p = plan("račun", { transliterate: false });
    expect(wire(p.searchObject)).toBe(`CHARSET UTF-8 ${anyWord('"račun"')}`);
  });

  it("ANDs two free words although a search object has one `or` key", () => {
    const p = plan("ana ugovor", { transliterate: false });
    expect(wire(p.searchObject)).toBe(`${anyWord("ana")} NOT NOT ${anyWord("ugovor")}`);
    // Whatever the nesting, the server matches exactly the messages with every word.
    const three = plan("a b c", { transliterate: false }).searchObject;
    for (const words of [[], ["a"], ["a", "b"], ["b", "c"], ["a", "c"], ["a", "b", "c"]]) {
      const facts = new Set(words.map((w) => `SUBJECT ${w}`));
      expect(holds(three, facts), words.join(" ")).toBe(words.length === 3);
    }
  });

  it("falls back to De Morgan when both sides already use NOT", () => {
    const p = plan("-a -b (-c x)", { transliterate: false });
    expect(wire(p.searchObject)).toMatch(/^NOT OR NOT/);
    const cases: [string[], boolean][] = [
      [["x"], true],
      [[], false],
      [["x", "a"], false],
      [["x", "b"], false],
      [["x", "c"], false],
      [["c"], false],
    ];
    for (const [words, expected] of cases) {
      expect(holds(p.searchObject, new Set(words.map((w) => `BODY ${w}`))), words.join(" ")).toBe(expected);
    }
  });

  it("compiles flags, dates, sizes, NOT and OR", () => {
    const p = plan("is:unread is:flagged -is:read after:1.11.2026. before:2026-11-30 larger:5M smaller:1.5M");
    expect(formatImapCriteria(p.criteria)).toBe(
      "UNSEEN FLAGGED NOT SEEN SINCE 1-Nov-2026 BEFORE 30-Nov-2026 LARGER 5242880 SMALLER 1572864",
    );
    expect(wire(p.searchObject)).toBe(
      "UNSEEN FLAGGED NOT SEEN SINCE 01-Nov-2026 BEFORE 30-Nov-2026 LARGER 5242880 SMALLER 1572864",
    );
    const alternatives = plan("from:ana OR is:flagged", { transliterate: false });
    expect(wire(alternatives.searchObject)).toBe("OR FROM ana FLAGGED");
  });

  it("sends older_than as an instant (WITHIN's OLDER when the server has it)", () => {
    const p = plan("older_than:7d");
    expect(p.criteria).toEqual({ key: "BEFORE", date: "2026-11-23T15:30:00.000Z" });
    // Without WITHIN imapflow rounds up to the next whole day: nothing older is missed.
    expect(wire(p.searchObject)).toBe("BEFORE 24-Nov-2026");
    expect(wire(p.searchObject, ["WITHIN"])).toMatch(/^OLDER \d+$/);
  });

  it("clamps sizes to IMAP's 32-bit numbers and keeps zero sizes meaningful", () => {
    expect(plan("larger:5G").criteria).toEqual({ key: "LARGER", bytes: 4_294_967_295 });
    expect(wire(plan("larger:0").searchObject)).toBe("ALL");
    expect(wire(plan("smaller:0").searchObject)).toBe("NOT ALL");
    expect(wire(plan("-larger:0").searchObject)).toBe("NOT ALL");
  });

  it("approximates has:attachment by the top-level Content-Type and asks for refinement", () => {
    const p = plan("has:attachment from:ana", { transliterate: false });
    expect(wire(p.searchObject)).toBe('HEADER CONTENT-TYPE "multipart/mixed" FROM ana');
    expect(p.attachment).toBe("require");
    expect(plan("-has:attachment").attachment).toBe("exclude");
    expect(plan("has:attachment OR is:flagged").attachment).toBeNull();
    // Both at the top level: no message has and lacks an attachment.
    expect(plan("has:attachment -has:attachment").attachment).toBe("none");
    expect(plan("has:attachment from:ana has:attachment").attachment).toBe("require");
  });

  it("passes scope and fuzzy through, and searches everything for an empty query", () => {
    const p = plan('in:"Računi/2026"', { fuzzy: true });
    expect(p.scope).toEqual({ kind: "folder", folder: "Računi/2026" });
    expect(p.fuzzy).toBe(true);
    expect(p.searchObject).toEqual({ all: true });
    expect(wire(p.searchObject)).toBe("ALL");
    expect(plan("in:all x").scope).toEqual({ kind: "all" });
    expect(plan("x").fuzzy).toBe(false);
  });

  it("keeps addresses as typed", () => {
    expect(formatImapCriteria(plan("to:ana@primer.rs").criteria)).toBe('TO "ana@primer.rs"');
  });

  it("converts nested criteria that collide on every key", () => {
    const so = toSearchObject({
      key: "AND",
      of: [
        { key: "SEEN" },
        { key: "UNSEEN" },
        { key: "NOT", of: { key: "FLAGGED" } },
        { key: "NOT", of: { key: "ALL" } },
      ],
    });
    // SEEN and UNSEEN together match nothing, and so does the whole.
    for (const facts of [[], ["SEEN"], ["UNSEEN"], ["SEEN", "UNSEEN"], ["FLAGGED"]]) {
      expect(holds(so, new Set(facts))).toBe(false);
    }
    const both = toSearchObject({
      key: "AND",
      of: [{ key: "SEEN" }, { key: "NOT", of: { key: "FLAGGED" } }, { key: "FLAGGED" }],
    });
    expect(holds(both, new Set(["SEEN", "FLAGGED"]))).toBe(false);
    const twoNots = toSearchObject({
      key: "AND",
      of: [
        { key: "NOT", of: { key: "FLAGGED" } },
        { key: "NOT", of: { key: "SEEN" } },
      ],
    });
    expect(holds(twoNots, new Set())).toBe(true);
    expect(holds(twoNots, new Set(["SEEN"]))).toBe(false);
    expect(holds(twoNots, new Set(["FLAGGED"]))).toBe(false);
  });
});
