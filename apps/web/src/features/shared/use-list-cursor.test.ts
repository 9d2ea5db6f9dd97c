import { describe, expect, it } from "vitest";
import { isCursorRow, moveFrom } from "./use-list-cursor";

describe("the list's cursor after a message was closed", () => {
  const cursor = { id: "c", index: 2 };

  it("moves from the cursor's row while it is in the list", () => {
    expect(moveFrom(cursor, 2, 1)).toBe(2);
    expect(moveFrom(cursor, 5, -1)).toBe(5);
  });

  it("with its message gone, j lands on the one now in its place and k on the one above", () => {
    // Rows 0..n: the cursor's message was at 2; j opens (from + 1) = 2, k opens (from - 1) = 1.
    expect(moveFrom(cursor, -1, 1) + 1).toBe(2);
    expect(moveFrom(cursor, -1, -1) - 1).toBe(1);
  });

  it("in a windowed list scrolled away from its place, takes its message to be still there", () => {
    expect(moveFrom(cursor, -1, 1, false) + 1).toBe(3);
    expect(moveFrom(cursor, -1, -1, false) - 1).toBe(1);
  });

  it("with nothing open before, or its place unknown, starts before the first row", () => {
    expect(moveFrom({ id: null, index: -1 }, -1, 1)).toBe(-1);
    expect(moveFrom({ id: "c", index: -1 }, -1, 1)).toBe(-1);
  });

  it("marks the cursor's row, or with its message gone the row in its place, only while nothing is open", () => {
    expect(isCursorRow(cursor, null, 2, { id: "c", index: 2 })).toBe(true);
    expect(isCursorRow(cursor, null, 2, { id: "d", index: 3 })).toBe(false);
    expect(isCursorRow(cursor, null, -1, { id: "d", index: 2 })).toBe(true);
    expect(isCursorRow(cursor, null, -1, { id: "e", index: 3 })).toBe(false);
    expect(isCursorRow(cursor, "c", 2, { id: "c", index: 2 })).toBe(false);
    expect(isCursorRow({ id: null, index: -1 }, null, -1, { id: "a", index: -1 })).toBe(false);
  });
});
