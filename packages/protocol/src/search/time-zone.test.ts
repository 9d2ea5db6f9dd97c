import { describe, expect, it } from "vitest";
import { zonedDays, zonedMidnight, zoneOffsetMinutes } from "./time-zone";

// Belgrade is UTC+1 in winter and UTC+2 in summer (from the last Sunday of March to the last of October).
describe("days in the user's time zone", () => {
  it("uses each instant's own offset, not today's", () => {
    expect(zoneOffsetMinutes("Europe/Belgrade", Date.UTC(2026, 0, 15, 12))).toBe(60);
    expect(zoneOffsetMinutes("Europe/Belgrade", Date.UTC(2026, 6, 15, 12))).toBe(120);
    expect(zoneOffsetMinutes("America/St_Johns", Date.UTC(2026, 0, 15, 12))).toBe(-210);
    expect(zoneOffsetMinutes("Not/A_Zone", Date.UTC(2026, 0, 15, 12))).toBe(0);
  });

  it("puts a message received at 00:30 on 16 July in Belgrade on the 16th, in any season of searching", () => {
    const dayOf = zonedDays("Europe/Belgrade");
    expect(dayOf(Date.UTC(2026, 6, 15, 22, 30))).toBe(Date.UTC(2026, 6, 16));
    expect(dayOf(Date.UTC(2026, 0, 15, 22, 30))).toBe(Date.UTC(2026, 0, 15));
    expect(dayOf(Date.UTC(2026, 0, 15, 23, 30))).toBe(Date.UTC(2026, 0, 16));
  });

  it("finds the instant a day starts, across the change to and from summer time", () => {
    expect(zonedMidnight(Date.UTC(2026, 10, 30), "Europe/Belgrade")).toBe(Date.UTC(2026, 10, 29, 23));
    expect(zonedMidnight(Date.UTC(2026, 6, 16), "Europe/Belgrade")).toBe(Date.UTC(2026, 6, 15, 22));
    // 29 March 2026: clocks go forward at 02:00; its midnight is still winter time.
    expect(zonedMidnight(Date.UTC(2026, 2, 29), "Europe/Belgrade")).toBe(Date.UTC(2026, 2, 28, 23));
    expect(zonedMidnight(Date.UTC(2026, 2, 30), "Europe/Belgrade")).toBe(Date.UTC(2026, 2, 29, 22));
    expect(zonedMidnight(Date.UTC(2026, 9, 26), "Europe/Belgrade")).toBe(Date.UTC(2026, 9, 25, 23));
  });

  it("starts a day whose midnight does not exist (summer time from 00:00) at its first hour", () => {
    // Santiago, 6 September 2026: 00:00 becomes 01:00 (UTC-4 to UTC-3).
    const start = zonedMidnight(Date.UTC(2026, 8, 6), "America/Santiago");
    expect(zonedDays("America/Santiago")(start)).toBe(Date.UTC(2026, 8, 6));
    expect(zonedDays("America/Santiago")(start - 60_000)).toBe(Date.UTC(2026, 8, 5));
  });
});
