import net from "node:net";
import type { IncomingMessage } from "node:http";

/**
 * A WebSocket is not covered by the same-origin policy, so a page on another site could open
 * one to the gateway with the user's cookie (cross-site WebSocket hijacking). We accept the
 * upgrade, and state-changing HTTP requests, only from the gateway's own origin or one the
 * operator listed.
 *
 * The gateway's own origin is what the `Host` header says, so `Host` is checked too: after DNS
 * rebinding, a page of evil.example talks to the gateway under the name evil.example, Origin
 * and Host agree, and only a list of the names the gateway is reached by tells it apart. That
 * list is the hosts of PISMO_PUBLIC_ORIGIN and PISMO_ALLOWED_ORIGINS, plus `localhost` and any
 * IP literal (no rebinding attack can make a browser send an address as the Host).
 */
export function isAllowedHost(req: IncomingMessage, origins: readonly string[]): boolean {
  const host = req.headers.host?.toLowerCase();
  if (!host) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  const bare = hostname.replace(/^\[(.*)\]$/, "$1");
  if (bare === "localhost" || net.isIP(bare) !== 0) return true;
  return origins.some((origin) => {
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  });
}

export function isAllowedOrigin(req: IncomingMessage, extraOrigins: readonly string[]): boolean {
  if (!isAllowedHost(req, extraOrigins)) return false;
  const origin = req.headers.origin;
  if (!origin) return false;
  if (extraOrigins.includes(origin)) return true;
  const host = req.headers.host;
  if (!host) return false;
  try {
    const url = new URL(origin);
    return url.host === host && (url.protocol === "http:" || url.protocol === "https:");
  } catch {
    return false;
  }
}
