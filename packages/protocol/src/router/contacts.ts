import { z } from "zod";
import { MailError } from "../errors";
import { addressBookSchema } from "../contacts";
import { publicProcedure, router } from "./trpc";

/**
 * An IMAP account's address book, kept on its server so that a contact saved or met on one
 * device completes on another. A POP3 account keeps it in the browser and never comes here.
 * A save is merged with the stored book where it is written (see mergeAddressBooks) and answers
 * the result, so a device's change costs one request and brings back what other devices saved.
 */
const contactsProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new MailError("NOT_SIGNED_IN", "Sign in first");
  const contacts = ctx.session.contacts;
  if (!contacts) throw new MailError("BAD_INPUT", "This account keeps its contacts in the browser");
  return next({ ctx: { ...ctx, contacts } });
});

const storage = z.enum(["metadata", "folder"]);

export const contactsRouter = router({
  /** The stored book, or null when none was saved (or what was stored is unreadable). */
  get: contactsProcedure
    .output(z.object({ book: addressBookSchema.nullable(), storage }))
    .query(({ ctx }) => ctx.contacts.read()),
  save: contactsProcedure
    .input(z.object({ book: addressBookSchema }))
    .output(z.object({ storage, book: addressBookSchema }))
    .mutation(({ ctx, input }) => ctx.contacts.save(input.book)),
});
