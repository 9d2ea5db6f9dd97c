import { describe, expect, it } from "vitest";
import { formatBytes, formatCount, formatListDate } from "./index";

describe("formatBytes", () => {
  it("uses the language's units and separators", () => {
    expect(formatBytes(512, "en")).toBe("0.5 kB");
    expect(formatBytes(20, "en")).toBe("0.1 kB");
    expect(formatBytes(0, "en")).toBe("0 byte");
    expect(formatBytes(1536, "en")).toBe("1.5 kB");
    expect(formatBytes(412_000_000, "en")).toBe("412 MB");
    expect(formatBytes(1536, "sr-Latn")).toMatch(/^1,5 kB$/);
  });
});

describe("formatCount", () => {
  it("groups digits per language", () => {
    expect(formatCount(100000, "en")).toBe("100,000");
    expect(formatCount(100000, "sr-Latn")).toBe("100.000");
  });
});

describe("formatListDate", () => {
  const now = new Date("2026-11-27T15:00:00Z");
  it("shows the time for today and the date otherwise", () => {
    expect(formatListDate("2026-11-27T09:05:00Z", "en-GB", now, "UTC")).toBe("09:05");
    expect(formatListDate("2026-03-02T09:05:00Z", "en-GB", now, "UTC")).toBe("2 Mar");
    expect(formatListDate("2025-03-02T09:05:00Z", "en-GB", now, "UTC")).toBe("2 Mar 2025");
    expect(formatListDate(null, "en", now)).toBe("");
    expect(formatListDate("not a date", "en", now)).toBe("");
  });
});
