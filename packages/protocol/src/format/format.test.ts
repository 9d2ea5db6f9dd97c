import { describe, expect, it, vi } from "vitest";
import { formatBytes, formatCount, formatListDate } from "./index";

describe("formatBytes", () => {
  it("uses the language's units and separators", () => {
    expect(formatBytes(512, "en")).toBe("0.5 kB");
    expect(formatBytes(20, "en")).toBe("0.1 kB");
    expect(formatBytes(0, "en")).toBe("0 kB");
    expect(formatBytes(-5, "en")).toBe("0 kB");
    expect(formatBytes(999, "en")).toBe("1.0 kB");
    expect(formatBytes(1000, "en")).toBe("1 kB");
    expect(formatBytes(999_999, "en")).toBe("1 MB");
    expect(formatBytes(999_400, "en")).toBe("999 kB");
    expect(formatBytes(1_100_000_000, "en")).toBe("1.1 GB");
    expect(formatBytes(0, "sr-Latn")).toBe("0 kB");
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

describe("warmFormats", () => {
  it("builds every formatter a first screen of rows, folders and quota uses, so that it builds none", async () => {
    vi.resetModules();
    const fresh = await import("./index");
    const now = new Date("2026-12-02T10:00:00Z");
    fresh.warmFormats("sr-Latn-RS", now);
    const numbers = vi.spyOn(Intl, "NumberFormat");
    const dates = vi.spyOn(Intl, "DateTimeFormat");
    try {
      for (const iso of [
        "2026-12-02T08:00:00Z",
        "2026-11-30T08:00:00Z",
        "2026-03-01T08:00:00Z",
        "2019-05-05T08:00:00Z",
      ])
        fresh.formatListDate(iso, "sr-Latn-RS", now);
      for (const bytes of [0, 1, 999, 1_000, 9_999, 10_000, 999_999, 1_073_741_824, 12e9, 3e12])
        fresh.formatBytes(bytes, "sr-Latn-RS");
      fresh.formatCount(12_345, "sr-Latn-RS");
      expect(numbers).not.toHaveBeenCalled();
      expect(dates).not.toHaveBeenCalled();
    } finally {
      numbers.mockRestore();
      dates.mockRestore();
    }
  });
});
