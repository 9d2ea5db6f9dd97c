import { z } from "zod";
import { UNDO_SEND_MAX_SECONDS } from "./undo-send-delay";

/** The delay the gateway accepts for a held send, in whole seconds. */
export const undoSendSecondsSchema = z.number().int().min(0).max(UNDO_SEND_MAX_SECONDS);

/** A held send's id: random, chosen by the browser before it sends (so a send whose answer was
 * lost with the connection can still be asked about and taken back), and only ever valid for
 * the session that made it. */
export const heldSendIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

/** What compose.sendLater answers: where the message waits and until when (epoch ms). */
export const heldSendSchema = z.object({ id: heldSendIdSchema, sendAt: z.number() });
export type HeldSend = z.infer<typeof heldSendSchema>;

/** What a held send became, as its outcome or an Undo learns it. */
export const heldSendStateSchema = z.enum(["held", "sending", "sent", "failed", "cancelled", "unknown"]);
export type HeldSendState = z.infer<typeof heldSendStateSchema>;
