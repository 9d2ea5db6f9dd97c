import { describe, expect, it } from "vitest";
import { uidRanges, uidsInRanges } from "./selection";

describe("UID ranges", () => {
  it("joins consecutive UIDs into runs, in order, once each, and gives them back", () => {
    const runs = uidRanges([9, 3, 7, 8, 3, 1, 2]);
    expect(runs).toEqual([
      [1, 3],
      [7, 9],
    ]);
    expect(uidsInRanges(runs)).toEqual([1, 2, 3, 7, 8, 9]);
    expect(uidRanges([])).toEqual([]);
  });
});
