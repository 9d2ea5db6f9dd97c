import { describe, expect, it } from "vitest";
import { firstWindowSize, pageOfRow, pageRange, windowPages } from "./use-message-window";

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
  it("takes a first window sized to the screen: a 3,600 px screen's rows and the overscan in one request", () => {
    const head = firstWindowSize(3600, 64);
    expect(head).toBe(67);
    expect(windowPages(0, 56, 50, head)).toEqual([0]);
    expect(pageRange(0, 50, head)).toEqual({ offset: 0, limit: 67 });
    // Scrolling on: the next windows follow the first without a gap or an overlap.
    expect(windowPages(10, 60, 50, head)).toEqual([0, 1]);
    expect(pageRange(1, 50, head)).toEqual({ offset: 67, limit: 50 });
    expect(windowPages(120, 158, 50, head)).toEqual([0, 2, 3]);
    expect(pageRange(2, 50, head)).toEqual({ offset: 117, limit: 50 });
  });
  it("sizes a laptop's or a phone's first window to its screen, not to a page", () => {
    // 900 px: 15 rows shown at most, 10 rendered below them.
    expect(firstWindowSize(900, 64)).toBe(25);
    expect(firstWindowSize(844, 64)).toBe(24);
    const head = firstWindowSize(900, 64);
    expect(windowPages(0, 14, 50, head)).toEqual([0]);
    // The first scroll asks for the next window, while the overscan still has rows to show.
    expect(windowPages(1, 15, 50, head)).toEqual([0, 1]);
    expect(pageRange(1, 50, head)).toEqual({ offset: 25, limit: 50 });
  });
  it("never sizes the first window above what a request may ask", () => {
    expect(firstWindowSize(100_000, 64)).toBe(200);
  });
  it("finds the window of any row, the first being the screen's", () => {
    expect(pageOfRow(0, 50, 25)).toBe(0);
    expect(pageOfRow(24, 50, 25)).toBe(0);
    expect(pageOfRow(25, 50, 25)).toBe(1);
    expect(pageOfRow(299, 50, 25)).toBe(6);
    expect(pageRange(6, 50, 25)).toEqual({ offset: 275, limit: 50 });
  });
});
