import { z } from "zod";

/**
 * Undo send: the gateway holds a sent message for a few seconds before it hands it to SMTP, so
 * the user can take it back. The wait is the user's setting, bounded so that a message is never
 * held for long (a held message costs the gateway memory, and the user expects it gone soon).
 */
export const UNDO_SEND_MAX_SECONDS = 30;
export const UNDO_SEND_DEFAULT_SECONDS = 5;

export const undoSendSecondsSchema = z.number().int().min(0).max(UNDO_SEND_MAX_SECONDS);

/** The delay as stored by the browser, or the default when it is missing or not a whole number
 * of seconds within bounds (an edited or old value must not hold mail for long, or send at once). */
export function parseUndoSendSeconds(stored: string | null | undefined): number {
  if (stored === null || stored === undefined || stored.trim() === "") return UNDO_SEND_DEFAULT_SECONDS;
  const n = Number(stored);
  return undoSendSecondsSchema.safeParse(n).success ? n : UNDO_SEND_DEFAULT_SECONDS;
}

/** A held send's id: random, and only ever valid for the session that made it. */
export const heldSendIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

/** What compose.sendLater answers: where the message waits and until when (epoch ms). */
export const heldSendSchema = z.object({ id: heldSendIdSchema, sendAt: z.number() });
export type HeldSend = z.infer<typeof heldSendSchema>;

/** What a held send became, as its outcome or an Undo learns it. */
export const heldSendStateSchema = z.enum(["held", "sending", "sent", "failed", "cancelled", "unknown"]);
export type HeldSendState = z.infer<typeof heldSendStateSchema>;
