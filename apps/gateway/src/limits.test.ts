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
});
