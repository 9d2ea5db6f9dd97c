import type { IncomingMessage } from "node:http";

export const SESSION_COOKIE = "pismo_session";
/** RFC 6265bis section 4.1.3.2: a `__Host-` cookie is accepted only with Secure, Path=/ and no
 * Domain, so no other host (a sibling subdomain) can set or shadow it. */
export const HOST_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

export interface CookieOptions {
  /** Use the `__Host-` name and always mark the cookie Secure. @default false */
  hostPrefix?: boolean;
  /** PISMO_PUBLIC_ORIGIN: the addresses users open. An https one makes the cookie Secure. @default [] */
  publicOrigins?: readonly string[];
  /** Every address the gateway answers to (PISMO_PUBLIC_ORIGIN and PISMO_ALLOWED_ORIGINS): a
   * request under one listed with http:// is plain HTTP. @default publicOrigins */
  allowedOrigins?: readonly string[];
}

export function sessionCookieName(opts: CookieOptions = {}): string {
  return opts.hostPrefix === true ? HOST_SESSION_COOKIE : SESSION_COOKIE;
}

export function readSessionCookie(req: IncomingMessage, opts: CookieOptions = {}): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  const name = sessionCookieName(opts);
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      // `id.key` (session-crypto.ts); anything else is no session.
      return /^[A-Za-z0-9_.-]{20,128}$/.test(value) ? value : null;
    }
  }
  return null;
}

/**
 * The browser reached the gateway over HTTPS. A TLS-terminating proxy that sends no
 * X-Forwarded-Proto hides that from the request, so an https PISMO_PUBLIC_ORIGIN says it
 * too, whatever the request's Host (the proxy may pass its own); only a request under a
 * name the operator listed with http:// is taken as plain HTTP, as that name is used so.
 */
function isHttps(req: IncomingMessage, opts: CookieOptions): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted === true) return true;
  if (req.headers["x-forwarded-proto"] === "https") return true;
  const parsed = (list: readonly string[]) =>
    list.flatMap((origin) => {
      try {
        const url = new URL(origin);
        return [{ host: url.host, https: url.protocol === "https:" }];
      } catch {
        return [];
      }
    });
  const origins = parsed(opts.publicOrigins ?? []);
  const host = req.headers.host?.toLowerCase();
  const named = [...origins, ...parsed(opts.allowedOrigins ?? [])].find((origin) => origin.host === host);
  return named ? named.https : origins.some((origin) => origin.https);
}

/** httpOnly (no script can read it), SameSite=Strict (no other site can send it), Secure
 * under HTTPS (always with the `__Host-` prefix). No Max-Age: it ends with the browser
 * session; the gateway expires it too. */
export function sessionCookieHeader(
  req: IncomingMessage,
  value: string | null,
  opts: CookieOptions = {},
): string {
  const secure = opts.hostPrefix === true || isHttps(req, opts);
  const attributes = ["Path=/", "HttpOnly", "SameSite=Strict", ...(secure ? ["Secure"] : [])];
  const name = sessionCookieName(opts);
  return value === null
    ? `${name}=; ${attributes.join("; ")}; Max-Age=0`
    : `${name}=${value}; ${attributes.join("; ")}`;
}

/** The hint beside the session cookie that a session may exist (its name, with the prefix when
 * the session's has it). */
export const SIGNED_IN_HINT = "pismo_signed_in";

/**
 * A cookie that says only "this browser signed in", readable by the page (not httpOnly; it
 * holds no secret and grants nothing): a page without it shows the sign-in form at once,
 * without waiting for a WebSocket to ask the gateway for a session. Same lifetime, path,
 * SameSite and Secure as the session cookie; cleared with it.
 */
export function signedInHintHeader(req: IncomingMessage, on: boolean, opts: CookieOptions = {}): string {
  const secure = opts.hostPrefix === true || isHttps(req, opts);
  const attributes = ["Path=/", "SameSite=Strict", ...(secure ? ["Secure"] : [])];
  const name = opts.hostPrefix === true ? `__Host-${SIGNED_IN_HINT}` : SIGNED_IN_HINT;
  return on ? `${name}=1; ${attributes.join("; ")}` : `${name}=; ${attributes.join("; ")}; Max-Age=0`;
}
