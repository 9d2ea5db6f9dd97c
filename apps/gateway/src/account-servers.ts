import type { ServerEndpoint } from "@pismo/protocol/schemas";
import { isAllowedEndpoint, normalHost } from "./allowed-hosts";
import type { GatewayConfig } from "./env";

// The servers an account's other services are reached on, with its own credentials: those the
// operator configured, for an account on the configured IMAP or POP3 server; else the standard
// port of the account's own host, when the operator allowed it. The password is for the
// account's server and is never offered to another one.

type Servers = Pick<GatewayConfig, "imap" | "pop3" | "smtp" | "sieve" | "allowedEndpoints">;

function onConfiguredServer(config: Servers, server: ServerEndpoint, which: "imap" | "both"): boolean {
  const configured = which === "imap" ? [config.imap] : [config.imap, config.pop3];
  return configured.some((c) => c && normalHost(c.host) === normalHost(server.host));
}

const plainOr = (server: ServerEndpoint) =>
  server.security === "none" ? ("none" as const) : ("starttls" as const);

/** Where the account's mail is sent (submission, RFC 6409), or null: it cannot send here. */
export function smtpEndpointFor(config: Servers, server: ServerEndpoint): ServerEndpoint | null {
  if (onConfiguredServer(config, server, "both")) return config.smtp;
  return isAllowedEndpoint(config.allowedEndpoints, "smtp", server.host, 587)
    ? { host: server.host, port: 587, security: plainOr(server) }
    : null;
}

/** Where an IMAP account's filters are managed (ManageSieve, RFC 5804), or null. */
export function sieveEndpointFor(config: Servers, server: ServerEndpoint): ServerEndpoint | null {
  if (config.sieve && onConfiguredServer(config, server, "imap")) return config.sieve;
  return isAllowedEndpoint(config.allowedEndpoints, "sieve", server.host, 4190)
    ? { host: server.host, port: 4190, security: plainOr(server) }
    : null;
}
