import { z } from "zod";
import { MailError } from "../errors";
import { identitySettingsSchema } from "../identities";
import { publicProcedure, router } from "./trpc";

/**
 * An IMAP account's identities and signatures, kept on its server so that every device shows
 * the same. A POP3 account keeps them in the browser (and its settings file) and never comes here.
 */
const identitiesProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new MailError("NOT_SIGNED_IN", "Sign in first");
  const identities = ctx.session.identities;
  if (!identities) throw new MailError("BAD_INPUT", "This account keeps its identities in the browser");
  return next({ ctx: { ...ctx, identities } });
});

export const identitiesRouter = router({
  /** The stored settings, or null when none were saved (or what was stored is unreadable). */
  get: identitiesProcedure
    .output(
      z.object({ settings: identitySettingsSchema.nullable(), storage: z.enum(["metadata", "folder"]) }),
    )
    .query(({ ctx }) => ctx.identities.read()),
  save: identitiesProcedure
    .input(z.object({ settings: identitySettingsSchema }))
    .output(z.object({ storage: z.enum(["metadata", "folder"]) }))
    .mutation(({ ctx, input }) => ctx.identities.save(input.settings)),
});
