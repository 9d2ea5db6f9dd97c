import { describe, expect, it } from "vitest";
import { gatewayUnreachable } from "./connection";

describe("when the connection says Offline rather than Reconnecting…", () => {
  it("at load: after the second failed attempt (the page came from the service worker)", () => {
    expect(gatewayUnreachable({ opened: false, lostAt: 0, failures: 1 }, 100)).toBe(false);
    expect(gatewayUnreachable({ opened: false, lostAt: 0, failures: 2 }, 100)).toBe(true);
  });

  it("after being Live: only once the gateway has been gone for longer than a restart takes", () => {
    expect(gatewayUnreachable({ opened: true, lostAt: 0, failures: 6 }, 3_000)).toBe(false);
    expect(gatewayUnreachable({ opened: true, lostAt: 0, failures: 8 }, 10_500)).toBe(true);
    expect(gatewayUnreachable({ opened: true, lostAt: 0, failures: 1 }, 60_000)).toBe(false);
  });
});
