/**
 * The gateway's hint cookie (pismo_signed_in, set beside the httpOnly session cookie and
 * cleared with it): this browser may hold a session. Read before paint too (app/before-paint.ts).
 */
export const SIGNED_IN_HINT_PATTERN = /(?:^|;\s*)(?:__Host-)?pismo_signed_in=1(?:;|$)/;

/** Whether the hint cookie says this browser may hold a session. */
export function mayBeSignedIn(): boolean {
  return typeof document !== "undefined" && SIGNED_IN_HINT_PATTERN.test(document.cookie);
}
