import { pipeline } from "node:stream/promises";
import { MailError } from "@pismo/protocol/errors";
import type { LeasedMail } from "../cluster/leased-mail";
import type { Logger } from "../log";
import { toMailError } from "../mail-errors";
import type { SessionStore } from "../sessions/session-store";
import type { RouteHandler } from "./http-server";
import { sendError } from "./responses";

/** Types a browser may show inline from our origin: they cannot run script. HTML, SVG and XML
 * never are (they would run in the app's origin), whatever the message claims. */
const previewable = /^(image\/(png|jpeg|gif|webp|avif|bmp)|application\/pdf|text\/plain)$/;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * RFC 6266 / RFC 8187: an ASCII fallback plus the exact UTF-8 name. A name is the sender's:
 * one decoded into a lone UTF-16 surrogate (an encoded word in UTF-16 cut in half) has no UTF-8
 * form and made encodeURIComponent throw; it is named with U+FFFD in its place.
 */
export function contentDisposition(kind: "attachment" | "inline", filename: string): string {
  const name = filename.replace(LONE_SURROGATE, "\uFFFD");
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_") || "attachment";
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * A GET route that serves something of one IMAP message (`folder` and `uid` in the query) to
 * the signed-in session: the session and those two checked once here, any failure answered as
 * the protocol's error (or, once bytes have gone out, the response cut and the reason logged).
 */
export function imapMessageRoute(
  route: string,
  failedEvent: string,
  sessions: SessionStore,
  log: Logger,
  serve: (
    mail: LeasedMail,
    message: { folder: string; uid: number },
    url: URL,
    res: Parameters<RouteHandler>[1],
  ) => Promise<void>,
): [string, RouteHandler] {
  return [
    route,
    async (req, res, url) => {
      try {
        const session = await sessions.resolve(req);
        if (!session?.mail) throw new MailError("NOT_SIGNED_IN", "Sign in first");
        const folder = url.searchParams.get("folder") ?? "";
        const uid = Number(url.searchParams.get("uid"));
        if (!folder || !Number.isInteger(uid) || uid < 1)
          throw new MailError("BAD_INPUT", "folder and uid are required");
        await serve(session.mail, { folder, uid }, url, res);
      } catch (error) {
        const mapped = toMailError(error);
        if (res.headersSent) {
          log.warn(failedEvent, { code: mapped.code });
          res.destroy();
        } else sendError(res, mapped);
      }
    },
  ];
}

/**
 * GET /api/part?folder=&uid=&part=[&inline=1]: streams one MIME part of an IMAP message from
 * the server to the browser only when asked for (opening a message never fetches its
 * attachments), without holding the file in memory.
 */
export function partRoute(sessions: SessionStore, log: Logger): [string, RouteHandler] {
  return imapMessageRoute("GET /api/part", "part.stream_failed", sessions, log, async (mail, m, url, res) => {
    const part = url.searchParams.get("part") ?? "";
    if (!/^\d+(\.\d+)*$/.test(part)) throw new MailError("BAD_INPUT", "folder, uid and part are required");
    const { stream, mimeType, filename } = await mail.download(m.folder, m.uid, part);
    try {
      const type = mimeType.toLowerCase();
      const inline = url.searchParams.get("inline") === "1" && previewable.test(type);
      res.writeHead(200, {
        "Content-Type": inline ? type : previewable.test(type) ? type : "application/octet-stream",
        "Content-Disposition": contentDisposition(
          inline ? "inline" : "attachment",
          filename ?? `part-${part}`,
        ),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'",
        "Cache-Control": "private, no-store",
      });
    } catch (error) {
      // The part's FETCH holds the mailbox until its stream ends: a stream never piped would
      // hold it for good, and every later command of the session would wait behind it.
      stream.destroy();
      throw error;
    }
    await pipeline(stream, res);
  });
}
