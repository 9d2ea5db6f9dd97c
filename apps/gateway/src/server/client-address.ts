import net, { BlockList } from "node:net";
import type { IncomingMessage } from "node:http";
import type { Logger } from "../log";

/**
 * The browser's address, for the sign-in limiter and for Dovecot (IMAP ID x-originating-ip).
 * Behind a reverse proxy every request comes from the proxy, so `X-Forwarded-For` is read,
 * but only when the peer is a proxy the operator trusts (PISMO_TRUSTED_PROXIES): anyone else
 * could write any address there. The header is walked from the right (each proxy appends the
 * address it saw), skipping trusted proxies; the first address that is not one is the client.
 */
export class ClientAddresses {
  private readonly trusted = new BlockList();
  private readonly any: boolean;
  private warned = false;

  /**
   * `trusted`: IPs and CIDRs ("10.0.0.1", "10.0.0.0/8", "fd00::/8"), already validated. With
   * `log`, the first request that names a forwarded-for address from a peer not trusted is
   * logged, once: most likely a reverse proxy missing from PISMO_TRUSTED_PROXIES, behind which
   * every browser shares the proxy's address for the socket caps and the sign-in limiter.
   */
  constructor(
    trusted: readonly string[],
    private readonly log?: Logger,
  ) {
    for (const entry of trusted) {
      const parsed = parseIpOrCidr(entry);
      if (!parsed) throw new RangeError(`"${entry}" is not an IP address or CIDR`);
      const type = net.isIPv6(parsed.ip) ? "ipv6" : "ipv4";
      this.trusted.addSubnet(parsed.ip, parsed.prefix, type);
    }
    this.any = trusted.length > 0;
  }

  isTrusted(address: string): boolean {
    if (!this.any) return false;
    const ip = normalizeIp(address);
    if (!ip) return false;
    return this.trusted.check(ip, net.isIPv6(ip) ? "ipv6" : "ipv4");
  }

  /** The client's IP address as this gateway can best tell it. */
  of(req: IncomingMessage): string {
    let current = normalizeIp(req.socket.remoteAddress ?? "") ?? "unknown";
    if (!this.isTrusted(current)) {
      this.warnUntrusted(req, current);
      return current;
    }
    const header = req.headers["x-forwarded-for"];
    const hops = (Array.isArray(header) ? header.join(",") : (header ?? ""))
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean);
    while (this.isTrusted(current)) {
      const hop = hops.pop();
      if (hop === undefined) break;
      const ip = normalizeIp(hop);
      // Garbage in the header: stop at the last address a trusted proxy vouched for.
      if (!ip) break;
      current = ip;
    }
    return current;
  }

  /** Once per instance (one per gateway), not per request: the header's values are not logged,
   * as whoever sent them chose them. */
  private warnUntrusted(req: IncomingMessage, peer: string): void {
    if (this.warned || !this.log) return;
    const header = ["x-forwarded-for", "forwarded"].find((name) => req.headers[name] !== undefined);
    if (header === undefined) return;
    this.warned = true;
    this.log.warn("proxy.untrusted_forwarded_for", {
      peer,
      header,
      hint: "if this is your reverse proxy, add its address to PISMO_TRUSTED_PROXIES",
    });
  }
}

/** Parses "1.2.3.4", "1.2.3.0/24", "2001:db8::/32", "2001:db8::1". */
export function parseIpOrCidr(entry: string): { ip: string; prefix: number } | null {
  const [ipPart, prefixPart, ...rest] = entry.trim().split("/");
  if (rest.length > 0 || ipPart === undefined) return null;
  const version = net.isIP(ipPart);
  if (version === 0) return null;
  const max = version === 6 ? 128 : 32;
  if (prefixPart === undefined) return { ip: ipPart, prefix: max };
  if (!/^\d{1,3}$/.test(prefixPart) || Number(prefixPart) > max) return null;
  return { ip: ipPart, prefix: Number(prefixPart) };
}

/** An IP without port or brackets; IPv4-mapped IPv6 ("::ffff:1.2.3.4") as plain IPv4. */
export function normalizeIp(value: string): string | null {
  let v = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1] ?? "";
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":"));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(v);
  if (mapped) v = mapped[1] ?? "";
  return net.isIP(v) === 0 ? null : v.toLowerCase();
}

/**
 * The key the sign-in limiter counts by. One IPv6 user commonly holds a whole /64 (RFC 6177)
 * and can pick a fresh address from it for every attempt, so IPv6 addresses count by /64.
 */
export function limiterKey(address: string): string {
  if (!net.isIPv6(address)) return address;
  return `${expandIpv6(address).slice(0, 4).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, as lower-case hex without leading zeros. */
export function expandIpv6(address: string): string[] {
  let text = address.toLowerCase();
  // A trailing dotted IPv4 part stands for the last two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail === undefined ? [] : tail ? tail.split(":") : [];
  const fill = tail === undefined ? [] : Array<string>(8 - headGroups.length - tailGroups.length).fill("0");
  return [...headGroups, ...fill, ...tailGroups].map((g) => parseInt(g || "0", 16).toString(16));
}
