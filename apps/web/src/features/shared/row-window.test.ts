import { describe, expect, it } from "vitest";
import { ROW_HEIGHT } from "./row-height";
import { rowsInView, windowOf } from "./row-window";

describe("the rows a message list renders", () => {
  it("are the view's rows and ten beyond each edge, whatever the folder's size", () => {
    const view = rowsInView(0, 20 * ROW_HEIGHT);
    expect(view).toEqual({ first: 0, last: 19 });
    for (const count of [50, 100_000, 10_000_000]) {
      const { items, range } = windowOf(count, view);
      expect(items.map((r) => r.index)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(range).toEqual({ startIndex: 0, endIndex: 19 });
    }
  });

  it("place each row at its index times the row height, deep in a long folder too", () => {
    const top = 75_000 * ROW_HEIGHT + ROW_HEIGHT / 2;
    const view = rowsInView(top, 10 * ROW_HEIGHT);
    expect(view).toEqual({ first: 75_000, last: 75_010 });
    const { items } = windowOf(100_000, view);
    expect(items[0]).toEqual({ index: 74_990, start: 74_990 * ROW_HEIGHT });
    expect(items.at(-1)).toEqual({ index: 75_020, start: 75_020 * ROW_HEIGHT });
  });

  it("stop at the folder's ends: its last rows, a folder shorter than the view, an empty one", () => {
    expect(windowOf(100, rowsInView(90 * ROW_HEIGHT, 10 * ROW_HEIGHT)).items.map((r) => r.index)).toEqual(
      Array.from({ length: 20 }, (_, i) => 80 + i),
    );
    const short = windowOf(3, rowsInView(0, 20 * ROW_HEIGHT));
    expect(short.items.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(short.range).toEqual({ startIndex: 0, endIndex: 2 });
    expect(windowOf(0, rowsInView(0, 800))).toEqual({ items: [], range: null });
  });

  it("a view just switched to renders only the rows in view (its overscan comes after the paint)", () => {
    const { items, range } = windowOf(100_000, rowsInView(40 * ROW_HEIGHT, 10 * ROW_HEIGHT), 0);
    expect(items.map((r) => r.index)).toEqual(Array.from({ length: 10 }, (_, i) => 40 + i));
    expect(range).toEqual({ startIndex: 40, endIndex: 49 });
  });

  it("a view not laid out yet (no height) still names its first row", () => {
    expect(rowsInView(0, 0)).toEqual({ first: 0, last: 0 });
  });
});
