import { describe, expect, it } from "vitest";
import { reconnectDelayMs } from "./client";

describe("how soon the page tries the gateway again", () => {
  it("starts fast and waits at most 1 s between tries for about the first minute", () => {
    expect(reconnectDelayMs(0, 0)).toBe(125);
    expect(reconnectDelayMs(0, 1)).toBe(250);
    expect(reconnectDelayMs(1, 1)).toBe(500);
    let waited = 0;
    for (let attempt = 0; attempt < 60; attempt += 1) {
      expect(reconnectDelayMs(attempt, 1)).toBeLessThanOrEqual(1_000);
      waited += reconnectDelayMs(attempt, 0.5);
    }
    expect(waited).toBeGreaterThan(40_000);
    expect(waited).toBeLessThan(60_000);
  });

  it("then every 5 to 10 s, spread so that browsers do not all come in the same millisecond", () => {
    expect(reconnectDelayMs(60, 0)).toBe(5_000);
    expect(reconnectDelayMs(200, 1)).toBe(10_000);
    expect(reconnectDelayMs(3, 0)).not.toBe(reconnectDelayMs(3, 1));
  });
});
