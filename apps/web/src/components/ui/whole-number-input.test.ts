import { describe, expect, it } from "vitest";
import { wholeNumberIn } from "./whole-number-input";

describe("wholeNumberIn", () => {
  it("takes a whole number in range, as typed", () => {
    expect(wholeNumberIn("1", 1, 365)).toBe(1);
    expect(wholeNumberIn("365", 1, 365)).toBe(365);
    expect(wholeNumberIn("007", 1, 365)).toBe(7);
    expect(wholeNumberIn(" 30 ", 1, 365)).toBe(30);
    expect(wholeNumberIn("0", 0, 1440)).toBe(0);
  });

  it("refuses what is empty, out of range or not whole", () => {
    for (const text of ["", " ", "0", "-3", "366", "1.5", "abc", "1e3", "NaN", "Infinity"])
      expect(wholeNumberIn(text, 1, 365), text).toBeNull();
  });
});
