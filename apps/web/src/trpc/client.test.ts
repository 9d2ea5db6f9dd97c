import { describe, expect, it } from "vitest";
import { TOO_MANY_SOCKETS_CLOSE } from "@pismo/protocol/errors";
import { reconnectDelayMs, retryPolicy } from "./client";

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

describe("after the gateway closed the socket for too many without a session from this address", () => {
  it("waits 30 to 60 s before the next try, then goes back to the usual delays once that has passed", () => {
    const now = 1_000_000;
    const soonest = retryPolicy(() => 0);
    soonest.closed(TOO_MANY_SOCKETS_CLOSE, now);
    expect(soonest.delayMs(0, now)).toBe(30_000);
    const latest = retryPolicy(() => 1);
    latest.closed(TOO_MANY_SOCKETS_CLOSE, now);
    expect(latest.delayMs(0, now)).toBe(60_000);
    // Later tries within the wait wait for what is left of it; after it, the usual.
    expect(soonest.delayMs(1, now + 20_000)).toBe(10_000);
    expect(soonest.delayMs(0, now + 31_000)).toBeLessThanOrEqual(250);
  });

  it("does not wait long after a connection lost any other way", () => {
    const retry = retryPolicy(() => 1);
    retry.closed(1006);
    retry.closed(4401);
    retry.closed(undefined);
    expect(retry.delayMs(0)).toBe(250);
  });
});
