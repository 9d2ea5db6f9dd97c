import type { IncomingMessage } from "node:http";

/**
 * A WebSocket is not covered by the same-origin policy, so a page on another site could open
 * one to the gateway with the user's cookie (cross-site WebSocket hijacking). We accept the
 * upgrade, and state-changing HTTP requests, only from the gateway's own origin or one the
 * operator listed.
 */
export function isAllowedOrigin(req: IncomingMessage, extraOrigins: readonly string[]): boolean {
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
