import type http from "node:http";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import { appRouter, type RouterContext } from "@pismo/protocol/router";
import { isMailError } from "@pismo/protocol/errors";
import type { Logger } from "../log";
import { isAllowedOrigin } from "./origin";
import { requestUrl } from "./request-url";

/** An Origin as logged: a refused client chooses it, so a line stays short. */
function originForLog(req: IncomingMessage): string | null {
  const origin = req.headers.origin;
  return origin === undefined ? null : origin.slice(0, 200);
}

/**
 * Replies not yet taken by the page, at most: a client that sends and never reads had the
 * gateway keep every answer (tRPC sends without looking), and its memory grew without bound.
 * A page reading over a slow link holds far less than this (a list window is tens of kB).
 */
export const MAX_UNREAD_BYTES = 16 * 1024 * 1024;
/** Calls in one message, at most: a page's client batches one tick's calls (a few dozen). */
export const MAX_CALLS_PER_MESSAGE = 500;

/**
 * Cuts off a socket that holds more unread replies than MAX_UNREAD_BYTES (looked at on every
 * message in and every second), or that sends more calls at once than MAX_CALLS_PER_MESSAGE.
 */
function limitWhatItHolds(ws: WebSocket, log: Logger): void {
  const cutOff = (event: string, fields: Record<string, unknown>) => {
    log.warn(event, fields);
    ws.terminate();
  };
  const check = () => {
    if (ws.bufferedAmount > MAX_UNREAD_BYTES) cutOff("ws.not_reading", { buffered: ws.bufferedAmount });
  };
  // Ahead of tRPC's own listener, which then meets a closed socket.
  ws.prependListener("message", (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    check();
    if (!isBinary && Buffer.isBuffer(data) && callsOver(data, MAX_CALLS_PER_MESSAGE))
      cutOff("ws.batch_refused", { bytes: data.length });
  });
  const timer = setInterval(check, 1_000);
  timer.unref();
  ws.once("close", () => clearInterval(timer));
}

/**
 * Whether a message is a JSON array of more than `limit` elements: its top-level commas are
 * counted (outside strings), up to the limit; nothing is parsed.
 */
export function callsOver(data: Buffer, limit: number): boolean {
  let i = 0;
  while (i < data.length && (data[i] === 0x20 || data[i] === 0x0a || data[i] === 0x0d || data[i] === 0x09))
    i++;
  if (data[i] !== 0x5b) return false; // "["
  let depth = 0;
  let inString = false;
  let elements = 1;
  for (; i < data.length; i++) {
    const c = data[i];
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && depth === 1 && ++elements > limit) return true;
  }
  return false;
}

export interface TrpcWsOptions {
  server: http.Server;
  allowedOrigins: readonly string[];
  log: Logger;
  createContext(req: IncomingMessage, ws: WebSocket): RouterContext | Promise<RouterContext>;
  /**
   * A second WebSocket path for binary frames (tRPC's socket refuses them): same Origin check;
   * `accept` looks at the request (its session cookie) and answers how to take the socket, or
   * null to refuse the upgrade with 401.
   */
  binary?: {
    path: string;
    accept(req: IncomingMessage): Promise<((ws: WebSocket) => void) | null>;
  };
}

/** tRPC over one WebSocket at /trpc; the upgrade is refused for a foreign Origin. */
export function attachTrpcWebSocket(opts: TrpcWsOptions) {
  // 8 MiB: a POP3 pull sends the UIDLs this browser already has (about 80 bytes each).
  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: ({ req, res }) => opts.createContext(req, res),
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
    onError({ error, path }) {
      // Expected refusals (wrong input, a folder gone, the server saying no) are answers, not
      // faults; only what maps to no MailError is worth an error line.
      const cause = error.cause;
      if (error.code === "INTERNAL_SERVER_ERROR" && (!isMailError(cause) || cause.code === "INTERNAL")) {
        opts.log.error("trpc.error", { path, error: cause ?? error });
      }
    },
  });

  // The browser sends nothing on the binary socket: a small limit.
  const binaryWss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  opts.server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node takes its own error listener off a socket it hands over: without one, a client
    // that resets the connection while it is refused (or while its session is looked up) threw
    // ECONNRESET out of the process. ws puts its own on once the socket is a WebSocket.
    const onSocketError = () => socket.destroy();
    socket.on("error", onSocketError);
    const refuse = (status: string) => {
      if (!socket.destroyed) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    };
    const take = (server: WebSocketServer, then: (ws: WebSocket) => void) =>
      server.handleUpgrade(req, socket, head, (ws) => {
        socket.removeListener("error", onSocketError);
        then(ws);
      });
    const url = requestUrl(req);
    const binary = opts.binary;
    if (binary && url?.pathname === binary.path) {
      if (!isAllowedOrigin(req, opts.allowedOrigins)) {
        opts.log.warn("ws.origin_refused", { origin: originForLog(req) });
        refuse("403 Forbidden");
        return;
      }
      binary.accept(req).then(
        (accepted) => {
          if (!accepted || socket.destroyed) refuse("401 Unauthorized");
          else take(binaryWss, accepted);
        },
        () => refuse("500 Internal Server Error"),
      );
      return;
    }
    if (url?.pathname !== "/trpc") {
      refuse("404 Not Found");
      return;
    }
    if (!isAllowedOrigin(req, opts.allowedOrigins)) {
      opts.log.warn("ws.origin_refused", { origin: originForLog(req) });
      refuse("403 Forbidden");
      return;
    }
    take(wss, (ws) => {
      limitWhatItHolds(ws, opts.log);
      wss.emit("connection", ws, req);
    });
  });

  return {
    wss,
    /** Tells every browser to reconnect (to the next gateway), then closes the sockets. */
    close() {
      handler.broadcastReconnectNotification();
      for (const client of wss.clients) client.terminate();
      wss.close();
      for (const client of binaryWss.clients) client.terminate();
      binaryWss.close();
    },
  };
}
