import type { ServerResponse } from "node:http";

/**
 * Headers for the app's own pages. Mail HTML is shown in a sandboxed srcdoc iframe that
 * inherits this policy and adds its own stricter one, so img-src must let remote images
 * through here for the one case where the user asked for them; the frame's policy blocks them
 * otherwise. Next.js' static export bootstraps with inline scripts, hence 'unsafe-inline' for
 * script-src (no mail content ever reaches this document).
 */
export const appContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https: http:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export function setAppSecurityHeaders(res: ServerResponse): void {
  res.setHeader("Content-Security-Policy", appContentSecurityPolicy);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}
