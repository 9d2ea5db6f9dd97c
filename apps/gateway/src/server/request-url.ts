import type { IncomingMessage } from "node:http";

/**
 * The request's target as a URL on the gateway, or null when it is not a path: "*", an absolute
 * form a proxy passed on. A target such as "//" made `new URL(target, base)` throw (it reads as
 * a host) inside the server's listener, which ended the process and every session with it; as a
 * path it is just a path no route has.
 */
export function requestUrl(req: IncomingMessage): URL | null {
  const target = req.url ?? "/";
  if (!target.startsWith("/")) return null;
  try {
    return new URL(`http://gateway.invalid${target}`);
  } catch {
    return null;
  }
}
