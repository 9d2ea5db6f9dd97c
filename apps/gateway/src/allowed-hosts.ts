import { MailError } from "@pismo/protocol/errors";

/**
 * The gateway opens sockets only to servers its operator allowed, so it cannot be used to
 * probe or reach arbitrary hosts (SSRF). Host names compare case-insensitively and without a
 * trailing dot.
 */
export function assertAllowedHost(allowed: readonly string[], host: string): void {
  const normal = host.trim().toLowerCase().replace(/\.$/, "");
  if (!allowed.includes(normal)) {
    throw new MailError(
      "HOST_NOT_ALLOWED",
      `The server ${normal} is not allowed by this gateway (PISMO_ALLOWED_HOSTS)`,
    );
  }
}
