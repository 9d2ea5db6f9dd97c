import { describe, expect, it } from "vitest";
import { suggestSearch } from "./suggest";

const inserts = (input: string, options = {}) => suggestSearch(input, options).items.map((i) => i.insert);

describe("suggestSearch", () => {
  it("offers operators for a partial name", () => {
    expect(inserts("fr")).toEqual(["from:"]);
    expect(inserts("račun S")).toEqual(["subject:", "smaller:"]);
    expect(inserts("-t")).toEqual(["to:"]);
    expect(inserts("(i")).toEqual(["is:", "in:"]);
    expect(inserts("o")).toEqual(["older_than:"]);
    expect(inserts("xyz")).toEqual([]);
    expect(inserts("")).toEqual([]);
    expect(inserts("račun ")).toEqual([]);
  });

  it("gives the range to replace", () => {
    expect(suggestSearch("račun -fr")).toMatchObject({ from: 7, to: 9 });
    expect(suggestSearch("fr račun", { cursor: 2 })).toMatchObject({
      from: 0,
      to: 2,
      items: [{ insert: "from:" }],
    });
  });

  it("offers values for is:, has: and examples for ages and sizes", () => {
    expect(inserts("is:")).toEqual(["is:unread", "is:read", "is:flagged"]);
    expect(inserts("is:un")).toEqual(["is:unread"]);
    expect(inserts("IS:F")).toEqual(["is:flagged"]);
    expect(inserts("has:")).toEqual(["has:attachment"]);
    expect(inserts("older_than:")).toEqual([
      "older_than:7d",
      "older_than:2w",
      "older_than:1m",
      "older_than:1y",
    ]);
    expect(inserts("larger:")).toEqual(["larger:1M", "larger:5M", "larger:10M"]);
    expect(inserts("from:a")).toEqual([]);
    expect(inserts("foo:")).toEqual([]);
    expect(suggestSearch("is:u").items[0]).toEqual({ kind: "value", insert: "is:unread", label: "unread" });
  });

  it("offers folders for in:, quoting names that need it", () => {
    const folders = ["Inbox", "Računi/2026", "Lični poslovi", "All"];
    expect(inserts("in:", { folders })).toEqual([
      "in:all",
      "in:Inbox",
      "in:Računi/2026",
      'in:"Lični poslovi"',
      'in:"All"',
    ]);
    expect(inserts("in:ra", { folders })).toEqual(["in:Računi/2026"]);
    expect(inserts("in:рачун", { folders })).toEqual(["in:Računi/2026"]);
    expect(inserts('in:"Li', { folders })).toEqual(['in:"Lični poslovi"']);
  });

  it("stays quiet inside a quoted phrase", () => {
    expect(inserts('"račun fr')).toEqual([]);
  });
});
