import type { ServerResponse } from "node:http";
import type { MailErrorCode } from "@pismo/protocol/errors";
import { toMailError } from "../mail-errors";

/**
 * The HTTP status of every error code, for every plain HTTP route (sign-in, attachments,
 * uploads). Typed over all codes: a new MailErrorCode without a status does not compile.
 */
export const httpStatusOf: Record<MailErrorCode, number> = {
  AUTH_FAILED: 401,
  NOT_SIGNED_IN: 401,
  SESSION_EXPIRED: 401,
  HOST_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  BAD_INPUT: 400,
  MESSAGE_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  // The mail server (or the network to it) failed or said no: a bad gateway, not a bad request.
  SERVER_UNREACHABLE: 502,
  TLS_FAILED: 502,
  SERVER_REFUSED: 502,
  RECIPIENT_REFUSED: 502,
  TIMEOUT: 504,
  QUOTA_EXCEEDED: 507,
  STORAGE_FULL: 507,
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Length": Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** Any failure as JSON `{ error: { code, message } }` with its code's status; an INTERNAL
 * error's message (which may say too much) is not sent. */
export function sendError(res: ServerResponse, error: unknown): void {
  const mapped = toMailError(error);
  sendJson(res, httpStatusOf[mapped.code], {
    error: { code: mapped.code, message: mapped.code === "INTERNAL" ? "Internal error" : mapped.message },
  });
}

/** A state-changing request from another site (or without an Origin): 403, not a bad request. */
export function refuseForeignOrigin(res: ServerResponse): void {
  sendJson(res, 403, {
    error: { code: "BAD_INPUT", message: "Refused: the request did not come from this site (Origin)" },
  });
}
