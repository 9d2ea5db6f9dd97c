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

const storageSchema = z.enum(["metadata", "folder"]);
/** What the page was shown (see IdentitiesPort): opaque to it, sent back with a save. */
const versionSchema = z.string().min(1).max(200);

export const identitiesRouter = router({
  /** The stored settings, or null when none were saved (or what was stored is unreadable). */
  get: identitiesProcedure
    .output(
      z.object({
        settings: identitySettingsSchema.nullable(),
        storage: storageSchema,
        version: versionSchema,
      }),
    )
    .query(({ ctx }) => ctx.identities.read()),
  /** Refused (CHANGED) when `version` is not what is stored now: another device saved since the
   * page read them. Without it (a page from before versions), written as it is. */
  save: identitiesProcedure
    .input(z.object({ settings: identitySettingsSchema, version: versionSchema.optional() }))
    .output(z.object({ storage: storageSchema, version: versionSchema }))
    .mutation(({ ctx, input }) =>
      ctx.identities.save(input.settings, input.version !== undefined ? { version: input.version } : {}),
    ),
});
