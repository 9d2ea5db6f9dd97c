// Apart from send-later.ts (zod): the compose settings read the stored delay on the mail
// view's first load, which carries no zod.

/**
 * Undo send: the gateway holds a sent message for a few seconds before it hands it to SMTP, so
 * the user can take it back. The wait is the user's setting, bounded so that a message is never
 * held for long (a held message costs the gateway memory, and the user expects it gone soon).
 */
export const UNDO_SEND_MAX_SECONDS = 30;
export const UNDO_SEND_DEFAULT_SECONDS = 5;

/** The delay as stored by the browser, or the default when it is missing or not a whole number
 * of seconds within bounds (an edited or old value must not hold mail for long, or send at once). */
export function parseUndoSendSeconds(stored: string | null | undefined): number {
  if (stored === null || stored === undefined || stored.trim() === "") return UNDO_SEND_DEFAULT_SECONDS;
  const n = Number(stored);
  return Number.isInteger(n) && n >= 0 && n <= UNDO_SEND_MAX_SECONDS ? n : UNDO_SEND_DEFAULT_SECONDS;
}
