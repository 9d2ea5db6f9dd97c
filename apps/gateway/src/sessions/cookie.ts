import type { IncomingMessage } from "node:http";

export const SESSION_COOKIE = "pismo_session";

export function readSessionCookie(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{20,128}$/.test(value) ? value : null;
    }
  }
  return null;
}

function isHttps(req: IncomingMessage): boolean {
  return (
    (req.socket as { encrypted?: boolean }).encrypted === true || req.headers["x-forwarded-proto"] === "https"
  );
}

/** httpOnly (no script can read it), SameSite=Strict (no other site can send it), Secure
 * under HTTPS. No Max-Age: it ends with the browser session; the gateway expires it too. */
export function sessionCookieHeader(req: IncomingMessage, id: string | null): string {
  const attributes = ["Path=/", "HttpOnly", "SameSite=Strict", ...(isHttps(req) ? ["Secure"] : [])];
  return id === null
    ? `${SESSION_COOKIE}=; ${attributes.join("; ")}; Max-Age=0`
    : `${SESSION_COOKIE}=${id}; ${attributes.join("; ")}`;
}
