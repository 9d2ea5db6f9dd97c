import { describe, expect, it } from "vitest";
import { windowPages } from "./use-message-window";

describe("windowPages", () => {
  it("asks for one window when the first screen fits in it", () => {
    expect(windowPages(0, 49, 50)).toEqual([0]);
    expect(windowPages(0, 30, 50)).toEqual([0]);
  });
  it("asks for the next window as soon as the reader scrolls within 10 rows of it", () => {
    expect(windowPages(1, 39, 50)).toEqual([0]);
    expect(windowPages(1, 40, 50)).toEqual([0, 1]);
  });
  it("asks for what a taller first screen shows", () => {
    expect(windowPages(0, 60, 50)).toEqual([0, 1]);
  });
  it("keeps the first window (it carries the total) far down a large folder", () => {
    expect(windowPages(99_950, 99_980, 50)).toEqual([0, 1999]);
    expect(windowPages(99_940, 99_980, 50)).toEqual([0, 1998, 1999]);
  });
});
