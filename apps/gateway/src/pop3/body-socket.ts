import type { IncomingMessage } from "node:http";
import type { WebSocket } from "ws";
import type { Pop3BodySink, Pop3Session } from "./pop3-session";
import { requestUrl } from "../server/request-url";

/** Where the browser opens a pull's body channel: `/pop3-bodies?channel=<id>`. */
export const POP3_BODIES_PATH = "/pop3-bodies";

const channelId = /^[A-Za-z0-9-]{1,100}$/;

/** A binary WebSocket as a pull's body sink. */
export function bodySinkOf(ws: WebSocket): Pop3BodySink {
  return {
    send(frame, written) {
      // The callback comes once the frame is written to the socket (or with the error that
      // kept it from being written): the pull's acknowledgement clock and its backpressure
      // both go by it.
      if (ws.readyState === ws.OPEN)
        ws.send(frame, { binary: true }, (error) => written?.(error ?? undefined));
      else written?.(new Error("the body channel is closed"));
    },
    close() {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(1000, "pull ended");
    },
    onClose(listener) {
      if (ws.readyState === ws.CLOSING || ws.readyState === ws.CLOSED) listener();
      else ws.once("close", listener);
    },
  };
}

/**
 * Who may open a body channel: a request whose session cookie names a signed-in POP3
 * session, with a channel id of the browser's choosing. The Origin was checked before.
 */
export async function acceptBodyChannel(
  req: IncomingMessage,
  pop3Of: (req: IncomingMessage) => Promise<Pop3Session | null>,
): Promise<((ws: WebSocket) => void) | null> {
  const id = requestUrl(req)?.searchParams.get("channel");
  if (!id || !channelId.test(id)) return null;
  const pop3 = await pop3Of(req);
  if (!pop3) return null;
  return (ws) => pop3.attachBodies(id, bodySinkOf(ws));
}
