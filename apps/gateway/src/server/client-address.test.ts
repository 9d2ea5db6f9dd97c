import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import type { Logger } from "../log";
import { ClientAddresses, expandIpv6, limiterKey, normalizeIp, parseIpOrCidr } from "./client-address";

function request(
  remoteAddress: string,
  forwardedFor?: string,
  headers: Record<string, string> = {},
): IncomingMessage {
  return {
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? headers : { ...headers, "x-forwarded-for": forwardedFor },
  } as unknown as IncomingMessage;
}

function warnings(): { log: Logger; lines: Array<[string, Record<string, unknown> | undefined]> } {
  const lines: Array<[string, Record<string, unknown> | undefined]> = [];
  const none = () => undefined;
  return { lines, log: { error: none, info: none, debug: none, warn: (e, f) => lines.push([e, f]) } };
}

describe("client address", () => {
  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", () => {
    expect(new ClientAddresses([]).of(request("203.0.113.9", "1.2.3.4"))).toBe("203.0.113.9");
    expect(new ClientAddresses(["10.0.0.0/8"]).of(request("203.0.113.9", "1.2.3.4"))).toBe("203.0.113.9");
  });

  it("warns once of a forwarded-for header from a peer that is not trusted, naming the peer", () => {
    const { log, lines } = warnings();
    const c = new ClientAddresses(["10.0.0.0/8"], log);
    c.of(request("10.0.0.2", "198.51.100.7"));
    c.of(request("203.0.113.9"));
    expect(lines).toEqual([]);
    c.of(request("::ffff:203.0.113.9", "198.51.100.7"));
    c.of(request("203.0.113.10", undefined, { forwarded: "for=198.51.100.8" }));
    expect(lines).toEqual([
      [
        "proxy.untrusted_forwarded_for",
        {
          peer: "203.0.113.9",
          header: "x-forwarded-for",
          hint: "if this is your reverse proxy, add its address to PISMO_TRUSTED_PROXIES",
        },
      ],
    ]);
    // A Forwarded header alone (RFC 7239) says the same.
    const other = warnings();
    new ClientAddresses([], other.log).of(request("203.0.113.10", undefined, { forwarded: "for=1.2.3.4" }));
    expect(other.lines.map(([, f]) => f?.header)).toEqual(["forwarded"]);
  });

  it("takes the rightmost address that is not a trusted proxy", () => {
    const c = new ClientAddresses(["10.0.0.0/8", "::1"]);
    expect(c.of(request("10.0.0.2", "198.51.100.7"))).toBe("198.51.100.7");
    // The client wrote a fake first hop; the proxies appended what they saw.
    expect(c.of(request("::1", "6.6.6.6, 198.51.100.7, 10.1.2.3"))).toBe("198.51.100.7");
    expect(c.of(request("::ffff:10.0.0.2", "[2001:db8::5]:4711"))).toBe("2001:db8::5");
    // Only proxies in the header: the leftmost is as far as anyone vouched.
    expect(c.of(request("10.0.0.2", "10.0.0.3"))).toBe("10.0.0.3");
    // Garbage stops the walk at the last vouched-for address.
    expect(c.of(request("10.0.0.2", "not-an-ip"))).toBe("10.0.0.2");
    expect(c.of(request("10.0.0.2"))).toBe("10.0.0.2");
  });

  it("groups IPv6 by /64 and keeps IPv4 whole", () => {
    expect(limiterKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(limiterKey("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(limiterKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(limiterKey("198.51.100.7")).toBe("198.51.100.7");
    expect(expandIpv6("::ffff:1.2.3.4")).toEqual(["0", "0", "0", "0", "0", "ffff", "102", "304"]);
    expect(normalizeIp("::FFFF:1.2.3.4")).toBe("1.2.3.4");
    expect(normalizeIp("1.2.3.4:80")).toBe("1.2.3.4");
  });

  it("parses IPs and CIDRs for PISMO_TRUSTED_PROXIES", () => {
    expect(parseIpOrCidr("10.0.0.0/8")).toEqual({ ip: "10.0.0.0", prefix: 8 });
    expect(parseIpOrCidr("fd00::/8")).toEqual({ ip: "fd00::", prefix: 8 });
    expect(parseIpOrCidr("10.0.0.1")).toEqual({ ip: "10.0.0.1", prefix: 32 });
    expect(parseIpOrCidr("10.0.0.0/33")).toBeNull();
    expect(parseIpOrCidr("proxy.local")).toBeNull();
  });
});
