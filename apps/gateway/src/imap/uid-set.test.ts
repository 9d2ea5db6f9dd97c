import { describe, expect, it } from "vitest";
import { uidSet } from "./uid-set";

describe("UID sets", () => {
  it("joins consecutive UIDs into ranges, in order, once each", () => {
    expect(uidSet([9, 3, 7, 8, 3, 1, 2])).toBe("1:3,7:9");
    expect(uidSet([5])).toBe("5");
    expect(uidSet([])).toBe("");
  });

  it("keeps a whole folder's selection short", () => {
    const all = Array.from({ length: 100_000 }, (_, i) => i + 1).filter((u) => u !== 500);
    expect(uidSet(all)).toBe("1:499,501:100000");
  });
});
