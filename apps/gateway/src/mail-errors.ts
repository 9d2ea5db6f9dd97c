import { MailError, isMailError } from "@pismo/protocol/errors";

/**
 * The one place where errors of sockets, TLS and mail libraries become the protocol's codes.
 * The UI switches on the code; the message here is for logs and is never a stack trace.
 */
const unreachable = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ECONNRESET",
  "EPIPE",
  "NoConnection",
]);
const timeouts = new Set([
  "ETIMEDOUT",
  "ETIMEOUT",
  "ConnectionTimeout",
  "GreetingTimeout",
  "UpgradeTimeout",
  "SocketTimeout",
]);

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
  if (unreachable.has(code))
    return new MailError("SERVER_UNREACHABLE", `Cannot reach the mail server (${code})`, { cause: error });
  if (timeouts.has(code))
    return new MailError("TIMEOUT", `The mail server did not answer in time (${code})`, { cause: error });
  if (
    code.startsWith("ERR_TLS") ||
    code.startsWith("ERR_SSL") ||
    code.startsWith("CERT_") ||
    code === "EPROTO" ||
    code === "DEPTH_ZERO_SELF_SIGNED_CERT" ||
    code === "SELF_SIGNED_CERT_IN_CHAIN" ||
    code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" ||
    code === "ERR_TLS_CERT_ALTNAME_INVALID" ||
    /certificate|ssl|tls/i.test(message)
  ) {
    return new MailError("TLS_FAILED", `Secure connection failed (${code || message})`, { cause: error });
  }
  if (e.responseStatus === "NO" || e.responseStatus === "BAD" || responseCode) {
    return new MailError(
      "SERVER_REFUSED",
      `The server refused: ${typeof e.responseText === "string" ? e.responseText : message}`,
      { cause: error },
    );
  }
  return new MailError("INTERNAL", message, { cause: error });
}
