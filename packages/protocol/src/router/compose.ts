import { z } from "zod";
import { MailError } from "../errors";
import { draftAttachmentSchema, draftSchema } from "../compose";
import { router } from "./trpc";
import { importedStateSchema, receiptSendSchema } from "../schemas/compose";
import { folderPathSchema } from "../schemas/mailbox";
import { templateBodySchema } from "../templates/schema";
import { composeProcedure } from "./compose-procedure";
import { sendLaterProcedures, sendResultSchema } from "./send-later";

const messageRef = z.object({ folder: z.string().min(1), uid: z.number().int().positive() });

export const composeRouter = router({
  limits: composeProcedure
    .output(z.object({ maxMessageBytes: z.number().nullable(), maxUploadBytes: z.number() }))
    .query(({ ctx }) => ctx.compose.limits()),
  uploadsHeld: composeProcedure
    .input(z.object({ ids: z.array(z.string().regex(/^[A-Za-z0-9_-]{16,64}$/)).max(100) }))
    .output(z.array(z.string()))
    .query(({ ctx, input }) => ctx.compose.uploadsHeld(input.ids)),
  saveDraft: composeProcedure
    .input(z.object({ draft: draftSchema, replaceUid: z.number().int().positive().nullable() }))
    .output(
      z
        .object({ folder: z.string(), uid: z.number(), attachments: z.array(draftAttachmentSchema) })
        .nullable(),
    )
    .mutation(({ ctx, input }) => ctx.compose.saveDraft(input.draft, input.replaceUid)),
  /** Removes a draft for good: the one the page names (`uid`, null when it knows of none) and,
   * named by `composeId`, the last copy that window saved, which the page may not know of (an
   * autosave whose answer the connection lost). */
  discardDraft: composeProcedure
    .input(
      z.object({
        uid: z.number().int().positive().nullable(),
        composeId: draftSchema.shape.composeId,
      }),
    )
    .mutation(({ ctx, input }) => ctx.compose.discardDraft(input.uid, input.composeId)),
  /** Keeps a template where the account keeps its mail: IMAP in the server's Templates folder
   * (made by the first one); null for POP3, whose templates stay in the browser. */
  saveTemplate: composeProcedure
    .input(z.object({ template: templateBodySchema }))
    .output(z.object({ folder: z.string(), uid: z.number().nullable() }).nullable())
    .mutation(({ ctx, input }) => ctx.compose.saveTemplate(input.template)),
  /** A message from a file the user imports (an .eml, one of an mbox's), uploaded (POST
   * /api/upload) and APPENDed to an IMAP folder, dated as it was written, with the state the
   * file kept (its mbox's Status fields; read when there were none); the upload goes with it.
   * Not a message (no header), or a POP3 account: BAD_INPUT. */
  importMessage: composeProcedure
    .input(
      z.object({
        folder: folderPathSchema,
        uploadId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
        state: importedStateSchema.optional(),
      }),
    )
    .output(z.object({ uid: z.number().nullable() }))
    .mutation(({ ctx, input }) => ctx.compose.importMessage(input.folder, input.uploadId, input.state)),
  /** Which of a file's messages (by Message-ID and Date, up to 200 at a time) the folder already
   * holds: an import leaves those out, so a file imported twice, or again after it stopped
   * part-way, stores nothing twice. */
  importedAlready: composeProcedure
    .input(
      z.object({
        folder: folderPathSchema,
        messages: z
          .array(
            z.object({
              messageId: z
                .string()
                .regex(/^<[^<>\s]+>$/)
                .max(998),
              date: z.string().max(200).nullable(),
            }),
          )
          .max(200),
      }),
    )
    .output(z.array(z.boolean()))
    .query(({ ctx, input }) => ctx.compose.importedAlready(input.folder, input.messages)),
  /** Sends, answering only when it went out. The page does not use it: it sends through
   * `sendLater` (with a delay of 0 to send at once), named, so that a send whose answer the
   * connection lost can still be asked about. */
  send: composeProcedure
    .input(
      z.object({
        draft: draftSchema,
        draftUid: z.number().int().positive().nullable(),
        answering: messageRef.nullable(),
      }),
    )
    .output(sendResultSchema)
    .mutation(({ ctx, input }) => {
      if (input.draft.to.length + input.draft.cc.length + input.draft.bcc.length === 0)
        throw new MailError("BAD_INPUT", "Add at least one recipient");
      return ctx.compose.send(input.draft, { draftUid: input.draftUid, answering: input.answering });
    }),
  /** A read receipt the reader chose to send (`receipt`) or not (null): see ComposePort. */
  answerReceipt: composeProcedure
    .input(z.object({ receipt: receiptSendSchema.nullable(), original: messageRef.nullable() }))
    .output(z.object({ noted: z.boolean() }))
    .mutation(({ ctx, input }) => ctx.compose.answerReceipt(input.receipt, input.original)),
  ...sendLaterProcedures,
});
