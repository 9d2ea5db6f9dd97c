import { MailError } from "@pismo/protocol/errors";

/**
 * The gateway opens sockets only to servers its operator allowed, so it cannot be used to
 * probe or reach arbitrary hosts and ports (SSRF, port scanning). What is allowed is a list
 * of host:port pairs:
 *
 * - each configured server (PISMO_IMAP_HOST, PISMO_POP3_HOST, PISMO_SMTP_HOST,
 *   PISMO_SIEVE_HOST) on its own port, for its own protocol;
 * - each PISMO_ALLOWED_HOSTS entry. `host:port` (IPv6 as `[addr]:port`) allows that one port
 *   for any mail protocol; a bare `host` allows only the standard ports of the protocol being
 *   used (IMAP 143/993, POP3 110/995, SMTP 587/465), never an arbitrary service on that host.
 *
 * Host names compare case-insensitively and without a trailing dot.
 */
export type EndpointProtocol = "imap" | "pop3" | "smtp" | "sieve";

export interface AllowedEndpoint {
  /** Lower-case host name or IP address, IPv6 without brackets. */
  host: string;
  /** Null: the standard ports of whichever protocol is used. */
  port: number | null;
  /** Null: any protocol. */
  protocol: EndpointProtocol | null;
}

/** RFC 9051 / RFC 8314 (IMAP), RFC 1939 / RFC 8314 (POP3), RFC 6409 / RFC 8314 (SMTP), RFC 5804 (ManageSieve). */
export const STANDARD_PORTS: Readonly<Record<EndpointProtocol, readonly number[]>> = {
  imap: [143, 993],
  pop3: [110, 995],
  smtp: [587, 465],
  sieve: [4190],
};

export function normalHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
}

/**
 * One PISMO_ALLOWED_HOSTS entry: `host`, `host:port`, `[v6]` , `[v6]:port` or a bare IPv6
 * address. Throws a RangeError with a readable reason for anything else.
 */
export function parseAllowedHost(entry: string): AllowedEndpoint {
  const text = entry.trim();
  let host = text;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1] ?? "";
    portText = bracketed[2];
  } else if ((text.match(/:/g) ?? []).length === 1) {
    const colon = text.indexOf(":");
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
  }
  host = normalHost(host);
  if (!host || /[\s/@?#]/.test(host)) throw new RangeError(`"${entry}" is not a host name`);
  if (portText === undefined) return { host, port: null, protocol: null };
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || !Number.isInteger(port) || port < 1 || port > 65535)
    throw new RangeError(`"${entry}" has no valid port after the colon`);
  return { host, port, protocol: null };
}

export function isAllowedEndpoint(
  allowed: readonly AllowedEndpoint[],
  protocol: EndpointProtocol,
  host: string,
  port: number,
): boolean {
  const normal = normalHost(host);
  return allowed.some(
    (entry) =>
      entry.host === normal &&
      (entry.protocol === null || entry.protocol === protocol) &&
      (entry.port === null ? STANDARD_PORTS[protocol].includes(port) : entry.port === port),
  );
}

/** Refuses, before any socket is opened, a server:port the operator did not allow. */
export function assertAllowedEndpoint(
  allowed: readonly AllowedEndpoint[],
  protocol: EndpointProtocol,
  host: string,
  port: number,
): void {
  if (!isAllowedEndpoint(allowed, protocol, host, port)) {
    throw new MailError(
      "HOST_NOT_ALLOWED",
      `The server ${normalHost(host)} on port ${port} is not allowed by this gateway (PISMO_ALLOWED_HOSTS)`,
    );
  }
}
