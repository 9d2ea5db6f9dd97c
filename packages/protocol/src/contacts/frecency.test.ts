import { describe, expect, it } from "vitest";
import { FRECENCY_HALF_LIFE_MS, frecency, recordUse, type FrecencyState } from "./frecency";

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 30, 12);

function usedAt(times: number[], kind: "sent" | "read" = "sent"): FrecencyState | undefined {
  let state: FrecencyState | undefined;
  for (const t of times) state = recordUse(state, kind, t);
  return state;
}

describe("frecency", () => {
  it("is zero for an address never used", () => {
    expect(frecency(undefined, NOW)).toBe(0);
  });

  it("ranks more uses above fewer at the same time", () => {
    const often = usedAt([NOW - 3 * DAY, NOW - 2 * DAY, NOW - DAY]);
    const once = usedAt([NOW - DAY]);
    expect(frecency(often, NOW)).toBeGreaterThan(frecency(once, NOW));
  });

  it("ranks a recent use above an old one with the same count", () => {
    expect(frecency(usedAt([NOW - DAY]), NOW)).toBeGreaterThan(frecency(usedAt([NOW - 90 * DAY]), NOW));
  });

  it("lets two uses last week beat ten uses a year ago", () => {
    const lastYear = usedAt(Array.from({ length: 10 }, (_, i) => NOW - 365 * DAY + i * DAY));
    const lastWeek = usedAt([NOW - 7 * DAY, NOW - 6 * DAY]);
    expect(frecency(lastWeek, NOW)).toBeGreaterThan(frecency(lastYear, NOW));
  });

  it("lets an old use fade before a new one is added: a use a year ago and one today count less than two today", () => {
    const oldAndNew = usedAt([NOW - 365 * DAY, NOW]);
    const twoToday = usedAt([NOW - 1000, NOW]);
    expect(frecency(oldAndNew, NOW)).toBeLessThan(frecency(twoToday, NOW));
    expect(frecency(oldAndNew, NOW)).toBeCloseTo(1, 2);
  });

  it("halves after one half-life", () => {
    const state = usedAt([NOW]);
    expect(frecency(state, NOW + FRECENCY_HALF_LIFE_MS)).toBeCloseTo(frecency(state, NOW) / 2);
  });

  it("weighs writing to someone above reading from them", () => {
    expect(frecency(usedAt([NOW], "sent"), NOW)).toBeGreaterThan(frecency(usedAt([NOW], "read"), NOW));
  });

  it("counts uses and never grows when the clock goes back", () => {
    const state = usedAt([NOW, NOW - 10 * DAY]);
    expect(state?.count).toBe(2);
    expect(state?.last).toBe(NOW);
    expect(frecency(state, NOW - 5 * DAY)).toBeLessThanOrEqual(2);
  });
});
