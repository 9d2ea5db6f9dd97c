import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { MailError } from "@pismo/protocol/errors";
import type { Logger } from "../log";
import { contentDisposition, imapMessageRoute } from "../server/attachment-route";
import type { RouteHandler } from "../server/http-server";
import type { SessionStore } from "../sessions/session-store";

/** The most a "Show original" may ask for: more is not read as text in a dialog. */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

/** The file name of a saved message: the one asked for, made safe, always ending in .eml. */
export function emlName(asked: string | null, uid: number): string {
  const base = (asked ?? "")
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/\.eml$/i, "")
    .slice(0, 120);
  return `${base || `message-${uid}`}.eml`;
}

/** Reads at most `max` bytes of a stream, then lets it go (the folder lock goes with it). */
export async function readUpTo(stream: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      chunks.push(buf.subarray(0, Math.max(0, max - size)));
      size += buf.length;
      if (size >= max) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks);
}

/**
 * GET /api/message?folder=&uid=[&name=][&max=]: one IMAP message exactly as the server keeps
 * it (BODY.PEEK[]: reading the source sets no \Seen flag). Without `max`, streamed as an .eml
 * file (message/rfc822, RFC 2046 §5.2.1); with `max`, the first `max` bytes for "Show
 * original", with the whole size in X-Message-Size so the page can say what it left out.
 * Never served as something a browser would render: the source of hostile mail is data.
 */
export function messageRoute(sessions: SessionStore, log: Logger): [string, RouteHandler] {
  return imapMessageRoute(
    "GET /api/message",
    "message.stream_failed",
    sessions,
    log,
    async (mail, m, url, res) => {
      const maxParam = url.searchParams.get("max");
      const max = maxParam === null ? null : Number(maxParam);
      if (max !== null && (!Number.isInteger(max) || max < 1 || max > MAX_SOURCE_BYTES))
        throw new MailError("BAD_INPUT", `max must be a whole number from 1 to ${MAX_SOURCE_BYTES}`);
      // An empty part is the whole message in imapflow's download.
      const { stream, size } = await mail.download(m.folder, m.uid, "");
      const common = {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "private, no-store",
      };
      if (max !== null) {
        const head = await readUpTo(stream, max);
        res.writeHead(200, {
          ...common,
          "Content-Type": "application/octet-stream",
          "Content-Disposition": contentDisposition("attachment", emlName(null, m.uid)),
          "Content-Length": String(head.length),
          "X-Message-Size": String(size ?? head.length),
        });
        res.end(head);
        return;
      }
      res.writeHead(200, {
        ...common,
        "Content-Type": "message/rfc822",
        "Content-Disposition": contentDisposition("attachment", emlName(url.searchParams.get("name"), m.uid)),
        ...(size !== null ? { "X-Message-Size": String(size) } : {}),
      });
      await pipeline(stream, res);
    },
  );
}
