import { mailActionRequestSchema, mailActionResultSchema } from "../actions/schema";
import { imapProcedure } from "./imap";
import { router } from "./trpc";

/** Undoable actions on an IMAP account's mail (POP3 acts on the browser's own copy). */
export const actionsRouter = router({
  act: imapProcedure
    .input(mailActionRequestSchema)
    .output(mailActionResultSchema)
    .mutation(({ ctx, input }) => ctx.mail.act(input)),
});
