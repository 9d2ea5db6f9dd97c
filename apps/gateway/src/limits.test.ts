import { describe, expect, it } from "vitest";
import { DEFAULT_GATEWAY_LIMITS, resolveGatewayLimits, Slots } from "./limits";

describe("gateway limits", () => {
  it("merges overrides into the documented defaults and refuses nonsense", () => {
    expect(resolveGatewayLimits(undefined)).toEqual(DEFAULT_GATEWAY_LIMITS);
    expect(resolveGatewayLimits({ pop3FetchesPerSession: 1 }).pop3FetchesPerSession).toBe(1);
    expect(() => resolveGatewayLimits({ uploadsPerSession: 0 })).toThrow(/uploadsPerSession/);
    expect(() => resolveGatewayLimits({ pop3MaxMessageBytes: 1.5 })).toThrow(/pop3MaxMessageBytes/);
  });

  it("hands out at most its size of slots, each given back once", () => {
    const slots = new Slots(2);
    const a = slots.tryAcquire();
    const b = slots.tryAcquire();
    expect(slots.tryAcquire()).toBeNull();
    a?.();
    a?.();
    expect(slots.inUse).toBe(1);
    expect(slots.tryAcquire()).not.toBeNull();
    b?.();
  });

  it("lets waiters take freed slots in turn, and gives up at the deadline or when the caller leaves", async () => {
    const slots = new Slots(1);
    const first = slots.tryAcquire();
    const order: string[] = [];
    const never = new AbortController().signal;
    const second = slots.acquire(never, 60_000).then((r) => (order.push("second"), r));
    const third = slots.acquire(never, 60_000).then((r) => (order.push("third"), r));
    // One waiting is not passed by a caller who does not wait.
    expect(slots.tryAcquire()).toBeNull();
    expect(slots.waiting).toBe(2);
    first?.();
    const release2 = await second;
    expect(release2).not.toBeNull();
    expect(slots.inUse).toBe(1);
    release2?.();
    const release3 = await third;
    expect(order).toEqual(["second", "third"]);

    // Left: the caller went away (its pull cancelled), and the slot is not handed to it.
    const leaving = new AbortController();
    const left = slots.acquire(leaving.signal, 60_000);
    leaving.abort();
    expect(await left).toBeNull();
    expect(slots.waiting).toBe(0);
    // Timed out: null, and nobody holds a slot for it.
    expect(await slots.acquire(never, 10)).toBeNull();
    release3?.();
    expect(slots.inUse).toBe(0);
    expect(await slots.acquire(never, 10)).not.toBeNull();
  });
});
