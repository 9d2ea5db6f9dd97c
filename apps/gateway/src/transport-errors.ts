/**
 * The one classifier of socket and TLS failures, shared by IMAP (imapflow), POP3 (our client
 * over node:net / node:tls) and SMTP (nodemailer). Each protocol keeps its own reading of its
 * server's answers; what went wrong below them (no route, no answer, no secure channel) is
 * decided here, once.
 */
export type TransportFailure = "SERVER_UNREACHABLE" | "TIMEOUT" | "TLS_FAILED";

/** Node's socket errors, and imapflow's name for a connection that is gone. */
const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "NoConnection",
]);

/** nodemailer replaces the socket's own code with one of these, so only its message still
 * tells a failed TLS handshake from a refused connection. */
const wrapperCodes = new Set(["ECONNECTION", "ESOCKET", "EDNS"]);

/** Node's, imapflow's and nodemailer's names for a server that did not answer in time. */
const timeoutCodes = new Set([
  "ETIMEDOUT",
  "ETIMEOUT",
  "ConnectionTimeout",
  "GreetingTimeout",
  "UpgradeTimeout",
  "SocketTimeout",
]);

const TLS_HINT = /certificate|ssl|tls|handshake|self[- ]signed/i;

function isTlsCode(code: string): boolean {
  return (
    code === "ETLS" ||
    code === "EPROTO" ||
    code.startsWith("ERR_TLS") ||
    code.startsWith("ERR_SSL") ||
    code.startsWith("CERT_") ||
    code.includes("CERT") ||
    code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
  );
}

interface TransportErrorLike {
  code?: unknown;
  message?: unknown;
  /** Set when the server answered (SMTP reply, IMAP NO/BAD): then it is not a transport failure
   * unless its code says so. */
  response?: unknown;
  responseText?: unknown;
  responseStatus?: unknown;
}

/** The transport failure an error stands for, or null when it is something else (a server's
 * refusal, a bug). */
export function classifyTransportError(error: unknown): TransportFailure | null {
  const e = (typeof error === "object" && error !== null ? error : {}) as TransportErrorLike;
  const code = typeof e.code === "string" ? e.code : "";
  const message = typeof e.message === "string" ? e.message : String(error);
  if (timeoutCodes.has(code)) return "TIMEOUT";
  if (isTlsCode(code)) return "TLS_FAILED";
  if (unreachableCodes.has(code)) return "SERVER_UNREACHABLE";
  if (wrapperCodes.has(code)) return TLS_HINT.test(message) ? "TLS_FAILED" : "SERVER_UNREACHABLE";
  const serverAnswered =
    e.response !== undefined || e.responseText !== undefined || e.responseStatus !== undefined;
  if (!serverAnswered && TLS_HINT.test(message)) return "TLS_FAILED";
  return null;
}
