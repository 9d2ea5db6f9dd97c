import type { MailErrorCode } from "@pismo/protocol/errors";
import {
  LineProtocolError,
  socketErrorMapper,
  type LineProtocolErrorOptions,
} from "../line-protocol/command-socket";
import type { SieveStatus } from "./response";

/**
 * A ManageSieve failure, mapped to the protocol's error code, keeping what the server said:
 * its response code (RFC 5804 section 1.3, e.g. NONEXISTENT, QUOTA/MAXSCRIPTS) and its text,
 * which for PUTSCRIPT and CHECKSCRIPT is the script's error with its line number. Commands are
 * recorded by verb only: AUTHENTICATE carries the password.
 */
export class SieveError extends LineProtocolError {
  /** The server's own words, shown to the user for script errors. */
  readonly serverText: string;

  constructor(
    code: MailErrorCode,
    message: string,
    options: LineProtocolErrorOptions & { serverText?: string } = {},
  ) {
    super(code, message, options);
    this.serverText = options.serverText ?? "";
  }
}

/** Maps a NO or BYE answer (RFC 5804 section 1.3 response codes). */
export function errorFromStatus(verb: string, status: SieveStatus): SieveError {
  const respCode = status.code;
  const said = status.text.length > 0 ? `: ${status.text}` : "";
  const base = { respCode, command: verb, serverText: status.text };
  if (status.kind === "bye")
    return new SieveError("SERVER_UNREACHABLE", `the ManageSieve server ended the session${said}`, base);
  if (verb === "AUTHENTICATE") return new SieveError("AUTH_FAILED", `sign-in rejected${said}`, base);
  if (respCode?.startsWith("QUOTA"))
    return new SieveError("QUOTA_EXCEEDED", `no room for the script on the server${said}`, base);
  if (respCode === "NONEXISTENT") return new SieveError("NOT_FOUND", `no such script${said}`, base);
  if (respCode === "TRYLATER") return new SieveError("SERVER_REFUSED", `the server is busy${said}`, base);
  if (verb === "PUTSCRIPT" || verb === "CHECKSCRIPT")
    return new SieveError("BAD_INPUT", `the server found an error in the script${said}`, base);
  return new SieveError("SERVER_REFUSED", `${verb} refused${said}`, base);
}

/** Maps a socket or TLS error from node:net / node:tls; `duringTls` marks the handshake. */
export const errorFromSocket = socketErrorMapper(SieveError, "ManageSieve");
