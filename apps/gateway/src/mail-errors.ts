import { MailError, isMailError } from "@pismo/protocol/errors";
import { classifyTransportError, type TransportFailure } from "./transport-errors";

/**
 * The one place where errors of mail libraries become the protocol's codes (POP3 and SMTP add
 * their own reading of their servers' answers and fall back to this). Socket and TLS failures
 * are classified in ./transport-errors, for every protocol alike. The UI switches on the code;
 * the message here is for logs and is never a stack trace.
 */
const transportMessage: Record<TransportFailure, (detail: string) => string> = {
  SERVER_UNREACHABLE: (detail) => `Cannot reach the mail server (${detail})`,
  TIMEOUT: (detail) => `The mail server did not answer in time (${detail})`,
  TLS_FAILED: (detail) => `Secure connection failed (${detail})`,
};

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  authenticationFailed?: unknown;
  serverResponseCode?: unknown;
  responseStatus?: unknown;
  responseText?: unknown;
}

export function toMailError(error: unknown): MailError {
  if (isMailError(error)) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as ErrorLike;
  const code = typeof e.code === "string" ? e.code : "";
  const message = typeof e.message === "string" ? e.message : String(error);
  const responseCode = typeof e.serverResponseCode === "string" ? e.serverResponseCode.toUpperCase() : "";

  if (
    e.authenticationFailed === true ||
    responseCode === "AUTHENTICATIONFAILED" ||
    responseCode === "AUTHORIZATIONFAILED"
  ) {
    return new MailError("AUTH_FAILED", "The server rejected the address or password", { cause: error });
  }
  if (
    responseCode === "OVERQUOTA" ||
    /quota/i.test(typeof e.responseText === "string" ? e.responseText : "")
  ) {
    return new MailError("QUOTA_EXCEEDED", "The mailbox is full", { cause: error });
  }
  if (responseCode === "NONEXISTENT")
    return new MailError("NOT_FOUND", "No such folder or message", { cause: error });
  const transport = classifyTransportError(error);
  if (transport)
    return new MailError(transport, transportMessage[transport](code || message), { cause: error });
  if (e.responseStatus === "NO" || e.responseStatus === "BAD" || responseCode) {
    return new MailError(
      "SERVER_REFUSED",
      `The server refused: ${typeof e.responseText === "string" ? e.responseText : message}`,
      { cause: error },
    );
  }
  return new MailError("INTERNAL", message, { cause: error });
}
