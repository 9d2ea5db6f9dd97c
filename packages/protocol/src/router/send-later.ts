import { z } from "zod";
import { MailError } from "../errors";
import { draftSchema } from "../schemas/compose";
import {
  heldSendIdSchema,
  heldSendSchema,
  heldSendStateSchema,
  undoSendSecondsSchema,
} from "../compose/send-later";
import { composeProcedure } from "./compose-procedure";

const messageRef = z.object({ folder: z.string().min(1), uid: z.number().int().positive() });
/** What a send answers: its Message-ID, the raw message for a POP3 account's local Sent copy,
 * the recipients the server refused, and, only when it went out but the server's Sent folder
 * refused its copy, whether its draft was kept in Drafts instead ("draft-kept") or there was
 * none ("no-copy"). */
export const sendResultSchema = z.object({
  messageId: z.string(),
  raw: z.string().nullable(),
  rejected: z.array(z.string()),
  sentCopyFailed: z.enum(["draft-kept", "no-copy"]).optional(),
});
export type SendResult = z.infer<typeof sendResultSchema>;

/**
 * Undo send. `sendLater` builds the message at once (a bad one fails now, while the form is
 * open) and the gateway holds it for the user's delay, keyed by the session: a closed tab does
 * not stop it. `cancelSend` takes it back before the deadline, with the draft as sent;
 * `sendOutcome` waits for what became of it (the browser files a POP3 account's Sent copy then,
 * and says so with `ackSent`). The browser names the send (`id`) before asking for it, so it can
 * still learn what became of a send whose answer the connection lost, and take it back.
 */
export const sendLaterProcedures = {
  sendLater: composeProcedure
    .input(
      z.object({
        id: heldSendIdSchema,
        draft: draftSchema,
        draftUid: z.number().int().positive().nullable(),
        answering: messageRef.nullable(),
        delaySeconds: undoSendSecondsSchema,
      }),
    )
    .output(heldSendSchema)
    .mutation(({ ctx, input }) => {
      if (input.draft.to.length + input.draft.cc.length + input.draft.bcc.length === 0)
        throw new MailError("BAD_INPUT", "Add at least one recipient");
      return ctx.compose.sendLater(
        input.draft,
        { draftUid: input.draftUid, answering: input.answering },
        input.delaySeconds * 1000,
        input.id,
      );
    }),
  cancelSend: composeProcedure
    .input(z.object({ id: heldSendIdSchema }))
    .output(z.object({ state: heldSendStateSchema, draft: draftSchema.nullable() }))
    .mutation(({ ctx, input }) => ctx.compose.cancelSend(input.id)),
  sendOutcome: composeProcedure
    .input(z.object({ id: heldSendIdSchema }))
    .output(z.object({ state: heldSendStateSchema, result: sendResultSchema.nullable() }))
    .mutation(({ ctx, input }) => ctx.compose.sendOutcome(input.id)),
  ackSent: composeProcedure
    .input(z.object({ id: heldSendIdSchema }))
    .mutation(({ ctx, input }) => ctx.compose.ackSent(input.id)),
};
