import type http from "node:http";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import { appRouter, type RouterContext } from "@pismo/protocol/router";
import { isMailError } from "@pismo/protocol/errors";
import type { Logger } from "../log";
import { isAllowedOrigin } from "./origin";

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
    const url = new URL(req.url ?? "/", "http://gateway.invalid");
    const binary = opts.binary;
    if (binary && url.pathname === binary.path) {
      if (!isAllowedOrigin(req, opts.allowedOrigins)) {
        opts.log.warn("ws.origin_refused", { origin: req.headers.origin ?? null });
        socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
        return;
      }
      binary.accept(req).then(
        (take) => {
          if (!take || socket.destroyed) {
            socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n");
            return;
          }
          binaryWss.handleUpgrade(req, socket, head, take);
        },
        () => socket.end("HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\n"),
      );
      return;
    }
    if (url.pathname !== "/trpc") {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      return;
    }
    if (!isAllowedOrigin(req, opts.allowedOrigins)) {
      opts.log.warn("ws.origin_refused", { origin: req.headers.origin ?? null });
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
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
