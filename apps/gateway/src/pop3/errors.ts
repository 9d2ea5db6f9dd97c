import type { MailErrorCode } from "@pismo/protocol/errors";
import {
  LineProtocolError,
  socketErrorMapper,
  type LineProtocolErrorOptions,
} from "../line-protocol/command-socket";
import type { Pop3Status } from "./response";

/**
 * A POP3 failure, already mapped to the protocol's error code. It stays a `MailError` (so
 * `isMailError` and the UI's switch on `code` work) and keeps what the server said, minus
 * anything secret: commands are recorded by verb only, never with their arguments.
 * `respCode` is the RFC 2449 / RFC 3206 response code, e.g. "IN-USE", "SYS/TEMP".
 */
export class Pop3Error extends LineProtocolError {
  /** True when the server said the condition is temporary (SYS/TEMP, IN-USE, LOGIN-DELAY). */
  readonly temporary: boolean;

  constructor(
    code: MailErrorCode,
    message: string,
    options: LineProtocolErrorOptions & { temporary?: boolean } = {},
  ) {
    super(code, message, options);
    this.temporary = options.temporary ?? false;
  }
}

export function isPop3Error(value: unknown): value is Pop3Error {
  return value instanceof Pop3Error;
}

/** Verbs whose -ERR means "these credentials were not accepted". */
const authVerbs = new Set(["USER", "PASS", "APOP", "AUTH"]);

/**
 * Maps a `-ERR` answer to an error. Response codes come from RFC 2449 section 8 (IN-USE,
 * LOGIN-DELAY) and RFC 3206 (SYS/TEMP, SYS/PERM, AUTH). A server without RESP-CODES just says
 * -ERR, so for the sign-in verbs that means AUTH_FAILED.
 */
export function errorFromStatus(verb: string, status: Pop3Status): Pop3Error {
  const respCode = status.code?.toUpperCase();
  const said = status.text.length > 0 ? `: ${status.text}` : "";
  const base = { respCode, command: verb };
  // Hierarchical codes (RFC 2449 section 8): "SYS/TEMP" is a child of "SYS".
  const top = respCode?.split("/")[0];
  if (respCode === "IN-USE") {
    // Another session holds the maildrop lock (RFC 2449 8.1.1); retrying later will work.
    return new Pop3Error("SERVER_REFUSED", `the mailbox is in use by another session${said}`, {
      ...base,
      temporary: true,
    });
  }
  if (respCode === "LOGIN-DELAY") {
    return new Pop3Error("RATE_LIMITED", `the server allows sign-in only every so often${said}`, {
      ...base,
      temporary: true,
    });
  }
  if (respCode === "SYS/TEMP") {
    return new Pop3Error("SERVER_REFUSED", `temporary server problem${said}`, { ...base, temporary: true });
  }
  if (top === "SYS") {
    return new Pop3Error("SERVER_REFUSED", `server problem${said}`, base);
  }
  if (respCode === "AUTH" || (respCode === undefined && authVerbs.has(verb))) {
    return new Pop3Error("AUTH_FAILED", `sign-in rejected${said}`, base);
  }
  return new Pop3Error("SERVER_REFUSED", `${verb} refused${said}`, base);
}

/** Maps a socket or TLS error from node:net / node:tls (classified as for every protocol, in
 * ../transport-errors). `duringTls` marks the handshake, where any failure is a TLS failure. */
export const errorFromSocket = socketErrorMapper(Pop3Error, "POP3");
