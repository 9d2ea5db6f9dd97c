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
 * Replies not yet taken by the page, past which the socket is watched: a client that sends and
 * never reads had the gateway keep every answer (tRPC sends without looking), and its memory
 * grew without bound. A page holds more than this only while one large answer drains (a whole
 * POP3 message as base64, up to ~67 MB), and then the amount goes down as it reads.
 */
export const MAX_UNREAD_BYTES = 16 * 1024 * 1024;
/** Over MAX_UNREAD_BYTES, this long without the amount going down: the client is not reading. */
export const STALLED_MS = 10_000;
/** Unread answers past which a socket is cut off at once, draining or not: more than two of the
 * largest answers. */
export const MAX_HELD_BYTES = 160 * 1024 * 1024;
/** Calls in one message, at most: a page's client batches one tick's calls (a few dozen). */
export const MAX_CALLS_PER_MESSAGE = 500;

/**
 * Cuts off a socket whose unread answers stay over MAX_UNREAD_BYTES without going down for
 * STALLED_MS, or pass MAX_HELD_BYTES. `look` is called on every message in and, for every
 * socket, once a second by the server's one timer.
 */
function unreadAnswersLimit(log: Logger) {
  const over = new WeakMap<WebSocket, { since: number; least: number }>();
  return function look(ws: WebSocket): void {
    const buffered = ws.bufferedAmount;
    if (buffered <= MAX_UNREAD_BYTES) {
      over.delete(ws);
      return;
    }
    const now = Date.now();
    if (buffered <= MAX_HELD_BYTES) {
      // Going down since last seen: the page reads, however slowly.
      const seen = over.get(ws);
      if (seen === undefined || buffered < seen.least) {
        over.set(ws, { since: now, least: buffered });
        return;
      }
      if (now - seen.since < STALLED_MS) return;
    }
    log.warn("ws.not_reading", { buffered });
    ws.terminate();
  };
}

/**
 * tRPC's JSON, refusing a message of more than MAX_CALLS_PER_MESSAGE calls before any of them
 * runs (tRPC answers it as a parse error): a listener of the socket's own could close it, but
 * not keep tRPC from running every call of the message it had.
 */
export const callsEncoder = {
  encode: (data: unknown): string => JSON.stringify(data),
  decode(data: string | ArrayBuffer | Uint8Array): unknown {
    if (typeof data !== "string") throw new Error("Expected a text frame of JSON");
    const value: unknown = JSON.parse(data);
    if (Array.isArray(value) && value.length > MAX_CALLS_PER_MESSAGE)
      throw new Error(`More than ${MAX_CALLS_PER_MESSAGE} calls in one message`);
    return value;
  },
};

/**
 * Open WebSockets counted per client and in all, so that one client (or many) cannot make the
 * gateway hold sockets without bound: each holds buffers, a tRPC context and its
 * subscriptions. A place is taken before the upgrade (also while a binary socket's session is
 * looked up) and given back when the socket closes or is refused.
 */
export class SocketCounts {
  private readonly perClient = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: { socketsPerClient: number; socketsPerGateway: number }) {}

  /** A place for one more socket from `client`, or why not; `release` gives it back, once. */
  take(client: string): { release: () => void } | "client" | "gateway" {
    const mine = this.perClient.get(client) ?? 0;
    if (mine >= this.limits.socketsPerClient) return "client";
    if (this.total >= this.limits.socketsPerGateway) return "gateway";
    this.perClient.set(client, mine + 1);
    this.total++;
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.total--;
        const left = (this.perClient.get(client) ?? 1) - 1;
        if (left > 0) this.perClient.set(client, left);
        else this.perClient.delete(client);
      },
    };
  }

  get open(): number {
    return this.total;
  }
}

export interface TrpcWsOptions {
  server: http.Server;
  allowedOrigins: readonly string[];
  /** Caps on open sockets (limits.ts). */
  limits: { socketsPerClient: number; socketsPerGateway: number };
  /** Whose a socket is, for `socketsPerClient`: the client's address as the gateway tells it. */
  clientOf(req: IncomingMessage): string;
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
    experimental_encoder: callsEncoder,
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

  const lookAtUnread = unreadAnswersLimit(opts.log);
  const unreadTimer = setInterval(() => {
    for (const ws of wss.clients) lookAtUnread(ws);
  }, 1_000);
  unreadTimer.unref();

  // The browser sends nothing on the binary socket: a small limit.
  const binaryWss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const counts = new SocketCounts(opts.limits);
  opts.server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node takes its own error listener off a socket it hands over: without one, a client
    // that resets the connection while it is refused (or while its session is looked up) threw
    // ECONNRESET out of the process. ws puts its own on once the socket is a WebSocket.
    const onSocketError = () => socket.destroy();
    socket.on("error", onSocketError);
    let place: { release: () => void } | null = null;
    const refuse = (status: string) => {
      place?.release();
      // Closed once the answer is written, whatever the client does: a client that never closes
      // its side would otherwise keep each refused connection (and its descriptor) open.
      if (!socket.destroyed)
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`, () => socket.destroy());
    };
    const take = (server: WebSocketServer, then: (ws: WebSocket) => void) =>
      server.handleUpgrade(req, socket, head, (ws) => {
        socket.removeListener("error", onSocketError);
        then(ws);
      });
    // Counted before anything else is done for the socket; refused ones give their place back.
    const counted = () => {
      const got = counts.take(opts.clientOf(req));
      if (typeof got !== "string") {
        place = got;
        // A socket reset before its upgrade finished is never handed over: its place too.
        socket.once("close", got.release);
        return true;
      }
      opts.log.warn("ws.too_many_sockets", { scope: got, client: opts.clientOf(req) });
      refuse(got === "client" ? "429 Too Many Requests" : "503 Service Unavailable");
      return false;
    };
    const url = requestUrl(req);
    const binary = opts.binary;
    if (binary && url?.pathname === binary.path) {
      if (!isAllowedOrigin(req, opts.allowedOrigins)) {
        opts.log.warn("ws.origin_refused", { origin: originForLog(req) });
        refuse("403 Forbidden");
        return;
      }
      if (!counted()) return;
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
    if (!counted()) return;
    take(wss, (ws) => {
      ws.prependListener("message", () => lookAtUnread(ws));
      wss.emit("connection", ws, req);
    });
  });

  return {
    wss,
    /** Tells every browser to reconnect (to the next gateway), then closes the sockets. */
    close() {
      clearInterval(unreadTimer);
      handler.broadcastReconnectNotification();
      for (const client of wss.clients) client.terminate();
      wss.close();
      for (const client of binaryWss.clients) client.terminate();
      binaryWss.close();
    },
  };
}
