import { MailError } from "@pismo/protocol/errors";
import { DEFAULT_MAX_MESSAGE_BYTES, type UploadStore } from "../compose/upload-store";
import type { SessionStore } from "../sessions/session-store";
import type { RouteHandler } from "./http-server";
import { isAllowedOrigin } from "./origin";
import { sendError, sendJson } from "./responses";

/**
 * POST /api/upload: an attachment being composed, streamed to the gateway's disk (with the
 * browser showing progress), bounded by what the SMTP server accepts.
 */
export function uploadRoute(
  sessions: SessionStore,
  uploads: UploadStore,
  allowedOrigins: readonly string[],
  maxBytesFor: (sessionId: string) => Promise<number | null>,
): [string, RouteHandler] {
  return [
    "POST /api/upload",
    async (req, res) => {
      try {
        if (!isAllowedOrigin(req, allowedOrigins)) throw new MailError("BAD_INPUT", "Foreign origin");
        const session = await sessions.resolve(req);
        if (!session) throw new MailError("NOT_SIGNED_IN", "Sign in first");
        const max = (await maxBytesFor(session.id).catch(() => null)) ?? DEFAULT_MAX_MESSAGE_BYTES;
        const declared = Number(req.headers["content-length"] ?? 0);
        if (declared > max)
          throw new MailError(
            "MESSAGE_TOO_LARGE",
            `The file is larger than the server accepts (${max} bytes)`,
          );
        const { id, size } = await uploads.save(session.id, req, max, session.account.email);
        sendJson(res, 200, { id, size });
      } catch (error) {
        // Stop reading a refused upload: the browser sees the answer, not a stalled socket.
        res.setHeader("Connection", "close");
        sendError(res, error);
        req.resume();
      }
    },
  ];
}
