import type { IncomingMessage, ServerResponse } from "node:http";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
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
  CHANGED: 409,
  FOLDER_CHANGED: 409,
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

/** `body` as JSON; with `compressFor` (the request), compressed as that request accepts: only
 * for answers that carry no secret (see acceptedEncoding). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  compressFor?: IncomingMessage,
): void {
  const payload = JSON.stringify(body);
  const size = Buffer.byteLength(payload);
  const encoding =
    compressFor && size >= COMPRESS_FROM_BYTES
      ? acceptedEncoding(compressFor.headers["accept-encoding"])
      : null;
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
    ...(compressFor ? { Vary: "Accept-Encoding" } : {}),
  };
  if (!encoding) {
    res.writeHead(status, { ...headers, "Content-Length": size });
    res.end(payload);
    return;
  }
  // Brotli's quality 5: a sign-in's answer (about 20 kB of rows) in well under a millisecond,
  // at nearly the size of the slowest quality.
  const compressed =
    encoding === "br"
      ? brotliCompressSync(payload, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: size },
        })
      : gzipSync(payload, { level: 6 });
  res.writeHead(status, { ...headers, "Content-Encoding": encoding, "Content-Length": compressed.length });
  res.end(compressed);
}

/** Below this, compressing saves less than it costs. */
export const COMPRESS_FROM_BYTES = 1024;

/**
 * The encoding to send a body in, from the request's Accept-Encoding (RFC 9110 §12.5.3):
 * brotli, else gzip, when the client accepts it (a q of 0 refuses); null for none.
 *
 * Only answers that carry no secret are compressed (sendJson's `compressFor`): the sign-in's
 * answer holds the account and its first rows, its session cookie travels in a header, so a
 * BREACH-style guess (reflected input compressed beside a secret) has nothing to find.
 */
export function acceptedEncoding(header: string | string[] | undefined): "br" | "gzip" | null {
  const accepted = new Map<string, number>();
  for (const item of (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",")) {
    const [name = "", ...params] = item.split(";").map((p) => p.trim().toLowerCase());
    if (!name) continue;
    const q = params.find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    accepted.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const wants = (name: string) => (accepted.get(name) ?? accepted.get("*") ?? 0) > 0;
  if (wants("br")) return "br";
  if (wants("gzip")) return "gzip";
  return null;
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
