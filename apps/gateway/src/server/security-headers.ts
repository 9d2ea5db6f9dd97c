import fs from "node:fs";
import path from "node:path";
import type { ServerResponse } from "node:http";
import type { Logger } from "../log";

/** Written into the static export by apps/web/scripts/csp-hashes.mjs after `next build`. */
export const CSP_HASHES_FILE = "csp-hashes.json";

const HASH_SOURCE = /^sha(?:256|384|512)-[A-Za-z0-9+/]+={0,2}$/;

/**
 * The policy of the app's own pages. Mail HTML is shown in a sandboxed srcdoc iframe that
 * inherits this policy and adds its own stricter one, so img-src must let remote images
 * through here for the one case where the user asked for them; the frame's policy blocks
 * them otherwise.
 *
 * script-src allows the app's own files and, by hash, exactly the inline scripts Next.js'
 * static export bootstraps with: no other inline script (nor any inline event handler) runs,
 * so HTML that reaches the app's document by mistake still cannot run script. With no hashes
 * (the list is missing) no inline script runs at all.
 *
 * style-src keeps 'unsafe-inline': React writes inline style attributes, and the compose
 * profile of the HTML policy keeps a quote's text-level styles; CSS cannot run script.
 */
export function appContentSecurityPolicy(scriptHashes: readonly string[]): string {
  const hashes = scriptHashes.filter((hash) => HASH_SOURCE.test(hash)).map((hash) => `'${hash}'`);
  return [
    "default-src 'self'",
    ["script-src 'self'", ...hashes].join(" "),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https: http:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self' blob: data:",
    // The service worker (/sw.js) and the web app manifest come from the app's own origin only.
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The inline-script hashes of the static export, read once at start. Fails closed: a
 * missing or unreadable list allows no inline script (the UI will not start, and the log
 * says why) rather than falling back to 'unsafe-inline'.
 */
export function readScriptHashes(staticDir: string | null, log: Logger): string[] {
  // No export, no pages: http-server already warns about that.
  if (!staticDir || !fs.existsSync(staticDir)) return [];
  const file = path.join(staticDir, CSP_HASHES_FILE);
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    const list = (parsed as { scriptSrc?: unknown } | null)?.scriptSrc;
    if (!Array.isArray(list)) throw new Error("no scriptSrc array");
    const hashes = list.filter((item): item is string => typeof item === "string" && HASH_SOURCE.test(item));
    if (hashes.length !== list.length) throw new Error("scriptSrc holds something that is not a hash");
    return hashes;
  } catch (error) {
    log.warn("csp.hashes_missing", {
      file,
      error,
      hint: "build the web app (npm run build); until then no inline script is allowed",
    });
    return [];
  }
}

/**
 * Scripts and stylesheets of the build (hashed, under /_next/static/): the browser applies a
 * document's policy, not theirs, to what they do, and they are never framed or navigated to,
 * so the document headers on each of them were only bytes on the wire (a kilobyte each). They
 * keep `nosniff`, which is what makes the browser refuse them as anything but script or CSS.
 * Everything else (pages, /sw.js, whose CSP governs the worker, the API, the 404 page, SVG)
 * gets every header.
 */
export function isBuildSubresource(pathname: string): boolean {
  return pathname.startsWith("/_next/static/") && /\.(?:js|css)$/.test(pathname) && !pathname.includes("..");
}

/** Sets the headers of every response of the app's own origin, with the policy built once. */
export function appSecurityHeaders(
  staticDir: string | null,
  log: Logger,
): (res: ServerResponse, pathname: string) => void {
  const policy = appContentSecurityPolicy(readScriptHashes(staticDir, log));
  return (res, pathname) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    if (isBuildSubresource(pathname)) return;
    res.setHeader("Content-Security-Policy", policy);
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  };
}
