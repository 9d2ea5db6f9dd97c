import { describe, expect, it } from "vitest";
import { LocalSearchIndex } from "./local-index";
import type { LocalMatchOptions } from "./local-match";
import { messages } from "./test-fixtures";
import { parseSearchQuery } from "./query";

const now = Date.UTC(2026, 10, 30, 12);
const inbox: LocalMatchOptions = { currentFolder: "inbox" };

function build(): LocalSearchIndex {
  const index = LocalSearchIndex.create();
  for (const m of messages) index.add(m);
  return index;
}

function find(index: LocalSearchIndex, input: string, options: LocalMatchOptions = inbox): string[] {
  const parsed = parseSearchQuery(input, { now, locale: "sr" });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return index.search(parsed.query, messages, options);
}

describe("LocalSearchIndex", () => {
  it("finds words whatever the case, diacritics or script, newest first", () => {
    const index = build();
    expect(index.size).toBe(3);
    expect(find(index, "sasa")).toEqual(["racun"]);
    expect(find(index, "Саша")).toEqual(["racun"]);
    expect(find(index, "pismo")).toEqual(["pismo"]);
    expect(find(index, "ПИСМО")).toEqual(["pismo"]);
    expect(find(index, "dj")).toEqual(["racun", "pismo"]);
    expect(find(index, "ana")).toEqual(["racun", "pismo"]);
  });

  it("treats each word as a prefix, so results follow the typing", () => {
    const index = build();
    expect(find(index, "rac")).toEqual(["racun"]);
    expect(find(index, "racun novemb")).toEqual(["racun"]);
    expect(find(index, "sasa@primer")).toEqual(["racun"]);
    expect(find(index, "ana@firma.rs in:all")).toEqual(["racun", "pismo", "banana"]);
  });

  it("restricts words to a field", () => {
    const index = build();
    expect(find(index, "from:ljubica")).toEqual(["pismo"]);
    expect(find(index, "to:ljubica")).toEqual([]);
    expect(find(index, "subject:сарадња")).toEqual([]);
    expect(find(index, "subject:saradnji")).toEqual(["pismo"]);
    expect(find(index, "body:ugovorom")).toEqual(["pismo"]);
  });

  it("combines text with flags, sizes, dates, NOT, OR and scope", () => {
    const index = build();
    expect(find(index, "ana is:unread")).toEqual(["racun"]);
    expect(find(index, "ana -has:attachment")).toEqual(["pismo"]);
    expect(find(index, "-ana")).toEqual([]);
    expect(find(index, "-ponuda in:all")).toEqual(["racun", "pismo"]);
    expect(find(index, "ponuda OR is:flagged in:all")).toEqual(["racun", "banana"]);
    expect(find(index, "ana before:1.1.2026. in:all")).toEqual(["banana"]);
    expect(find(index, "in:all larger:1M")).toEqual(["racun"]);
    expect(find(index, 'in:"Računi/2026"')).toEqual(["banana"]);
  });

  it("answers a phrase as all of its words", () => {
    const index = build();
    expect(find(index, '"racun za novembar"')).toEqual(["racun"]);
    expect(find(index, '"novembar racun"')).toEqual(["racun"]);
  });

  it("replaces and removes messages", () => {
    const index = build();
    index.add({ ...messages[0]!, subject: "Opomena", body: "" });
    expect(index.size).toBe(3);
    expect(find(index, "subject:racun")).toEqual([]);
    expect(find(index, "opomena")).toEqual(["racun"]);
    index.remove("racun");
    index.remove("missing");
    expect(index.has("racun")).toBe(false);
    expect(find(index, "opomena")).toEqual([]);
  });

  it("survives saving and loading", () => {
    const saved = JSON.parse(JSON.stringify(build().toJSON())) as ReturnType<LocalSearchIndex["toJSON"]>;
    const loaded = LocalSearchIndex.fromJSON(saved);
    expect(loaded.size).toBe(3);
    expect(find(loaded, "писмо")).toEqual(["pismo"]);
    expect(find(loaded, "djordjevic")).toEqual(["racun"]);
  });
});
