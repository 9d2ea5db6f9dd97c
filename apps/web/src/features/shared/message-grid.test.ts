import { describe, expect, it, vi } from "vitest";
import { sameFields, sameRowProps } from "./message-grid";

// The memoized rows' comparison: a row renders again when its place or state changes, or what
// it shows of its item; items compared by identity unless the list says by content.

interface Item {
  id: string;
  subject: string;
  seen: boolean;
  /** Not shown by the row. */
  size: number;
}

const actions = { open: () => undefined };
const item = (change: Partial<Item> = {}): Item => ({
  id: "a",
  subject: "Tema",
  seen: false,
  size: 1,
  ...change,
});
const props = (
  change: Partial<{ m: Item; index: number; top: number; active: boolean; cursor: boolean }> = {},
) => ({
  m: item(),
  index: 3,
  top: 120,
  active: false,
  cursor: false,
  locale: "en",
  actions,
  ...change,
});
const shown = (a: Item, b: Item) => sameFields(a, b, ["id", "subject", "seen"]);

describe("sameRowProps", () => {
  it("is the same row when every prop is the same", () => {
    const m = item();
    expect(sameRowProps(props({ m }), props({ m }))).toBe(true);
  });

  it("is another row when its place or state changes", () => {
    const m = item();
    const base = props({ m });
    for (const change of [{ index: 4 }, { top: 160 }, { active: true }, { cursor: true }])
      expect(sameRowProps(base, props({ m, ...change }))).toBe(false);
    expect(sameRowProps(base, { ...base, actions: { open: () => undefined } })).toBe(false);
    expect(sameRowProps(base, { ...base, locale: "sr" })).toBe(false);
  });

  it("compares items by identity unless told how (a list whose cache keeps unchanged objects)", () => {
    expect(sameRowProps(props(), props())).toBe(false);
  });

  it("compares the named props by what the row shows of them (a list that rebuilds its items)", () => {
    expect(sameRowProps(props(), props({ m: item({ size: 2 }) }), { m: shown })).toBe(true);
    expect(sameRowProps(props(), props({ m: item({ seen: true }) }), { m: shown })).toBe(false);
    // The content comparison is for that prop only.
    expect(sameRowProps(props(), props({ index: 4 }), { m: shown })).toBe(false);
  });

  it("asks the content comparison only when the identity differs", () => {
    const m = item();
    const same = vi.fn(shown);
    expect(sameRowProps(props({ m }), props({ m }), { m: same })).toBe(true);
    expect(same).not.toHaveBeenCalled();
  });

  it("is another row when a prop is given on one side only", () => {
    const m = item();
    const base: Record<string, unknown> = props({ m });
    expect(sameRowProps(base, { ...base, extra: undefined })).toBe(false);
    expect(sameRowProps({ ...base, one: undefined }, { ...base, other: undefined })).toBe(false);
  });
});

describe("sameFields", () => {
  it("compares the fields named, and no others", () => {
    expect(sameFields(item(), item({ size: 9 }), ["id", "subject", "seen"])).toBe(true);
    expect(sameFields(item(), item({ subject: "Re: Tema" }), ["id", "subject", "seen"])).toBe(false);
    expect(sameFields({ n: NaN }, { n: NaN }, ["n"])).toBe(true);
  });
});
