import { MailError } from "@pismo/protocol/errors";
import { toMailError } from "../mail-errors";

/** A failed command's error as the user should hear it: a target folder that does not exist
 * (TRYCREATE, RFC 9051 §7.1) is NOT_FOUND naming the folder; the rest as everywhere else. */
export function commandError(error: unknown, context: { folder?: string }): MailError {
  if (error instanceof MailError) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as {
    serverResponseCode?: unknown;
    responseText?: unknown;
  };
  const code = typeof e.serverResponseCode === "string" ? e.serverResponseCode : "";
  // Dovecot 2.3 answers SELECT of a missing folder with a bare "NO Mailbox doesn't exist".
  const text = typeof e.responseText === "string" ? e.responseText : "";
  if (
    /^(TRYCREATE|NONEXISTENT)$/i.test(code) ||
    (!code && /\bmailbox (doesn't|does not) exist\b/i.test(text))
  ) {
    return new MailError(
      "NOT_FOUND",
      context.folder ? `There is no folder "${context.folder}" on the server` : "No such folder or message",
      { cause: error },
    );
  }
  return toMailError(error);
}
