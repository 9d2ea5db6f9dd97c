import { MailError } from "../errors";
import { publicProcedure } from "./trpc";

/** Procedures that need a session whose gateway can send. */
export const composeProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new MailError("NOT_SIGNED_IN", "Sign in first");
  const compose = ctx.session.compose;
  if (!compose)
    throw new MailError(
      "BAD_INPUT",
      "This webmail has no SMTP server for this account's mail server (PISMO_SMTP_HOST, or port 587 of an allowed host)",
    );
  return next({ ctx: { ...ctx, compose } });
});
