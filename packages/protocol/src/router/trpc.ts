import { initTRPC } from "@trpc/server";
import { isMailError, type MailErrorCode } from "../errors";
import type { RouterContext } from "./ports";

/** Maps a tRPC error to the protocol's code, so the UI can say something specific. */
function mailCodeOf(error: { code: string; cause?: unknown }): MailErrorCode {
  if (isMailError(error.cause)) return error.cause.code;
  if (error.code === "BAD_REQUEST" || error.code === "PARSE_ERROR") return "BAD_INPUT";
  if (error.code === "UNAUTHORIZED") return "NOT_SIGNED_IN";
  if (error.code === "NOT_FOUND") return "NOT_FOUND";
  if (error.code === "TIMEOUT") return "TIMEOUT";
  return "INTERNAL";
}

const t = initTRPC.context<RouterContext>().create({
  // Never send a stack trace to the browser, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    const mailCode = mailCodeOf(error);
    return {
      ...shape,
      // An unexpected error's message may carry internals; the code is enough for the UI.
      message: mailCode === "INTERNAL" ? "Internal error" : shape.message,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, mailCode },
    };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
