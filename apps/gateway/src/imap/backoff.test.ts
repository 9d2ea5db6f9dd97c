import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "./backoff";

describe("backoffDelayMs", () => {
  it("grows exponentially within [ceiling/2, ceiling] and stops at the maximum", () => {
    expect(backoffDelayMs(0, () => 0)).toBe(125);
    expect(backoffDelayMs(0, () => 1)).toBe(250);
    expect(backoffDelayMs(3, () => 1)).toBe(2000);
    expect(backoffDelayMs(30, () => 1)).toBe(30_000);
    expect(backoffDelayMs(30, () => 0)).toBe(15_000);
  });
});
