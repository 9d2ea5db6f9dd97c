/**
 * Every failure that reaches the user carries one of these codes. The gateway maps library
 * errors to them in one place (apps/gateway/src/mail-errors.ts, with socket and TLS failures
 * classified once in transport-errors.ts) and gives each its HTTP status in one typed map
 * (apps/gateway/src/server/responses.ts); the UI switches on the code and says something
 * specific in the user's language. A new code needs a status there and a text in both languages.
 */
export const mailErrorCodes = [
  "AUTH_FAILED",
  "SERVER_UNREACHABLE",
  "TLS_FAILED",
  "SERVER_REFUSED",
  "HOST_NOT_ALLOWED",
  "RATE_LIMITED",
  "NOT_SIGNED_IN",
  "SESSION_EXPIRED",
  "TIMEOUT",
  "QUOTA_EXCEEDED",
  "NOT_FOUND",
  "BAD_INPUT",
  "STORAGE_FULL",
  "INTERNAL",
  "RECIPIENT_REFUSED",
  "MESSAGE_TOO_LARGE",
  /** What the user confirmed is no longer what is there (a folder emptied that has new mail). */
  "CHANGED",
  /** The folder's UIDVALIDITY is not the one the action's UIDs were read with: it was made again
   * (or renumbered) since, and those UIDs now name other messages. Nothing was done. */
  "FOLDER_CHANGED",
] as const;

export type MailErrorCode = (typeof mailErrorCodes)[number];

/** The WebSocket close code of a socket the gateway closed because its address holds too many
 * sockets without a signed-in session (HTTP's 429; the upgrade was already answered): the page
 * waits long before it tries again, not the second or so of a lost connection. */
export const TOO_MANY_SOCKETS_CLOSE = 4429;

export class MailError extends Error {
  override readonly name = "MailError";
  readonly code: MailErrorCode;

  constructor(code: MailErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? code, options);
    this.code = code;
  }
}

export function isMailError(value: unknown): value is MailError {
  return value instanceof MailError;
}

export function isMailErrorCode(value: unknown): value is MailErrorCode {
  return typeof value === "string" && (mailErrorCodes as readonly string[]).includes(value);
}
