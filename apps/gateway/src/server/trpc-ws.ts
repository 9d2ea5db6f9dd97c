import type http from "node:http";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import { appRouter, type RouterContext } from "@pismo/protocol/router";
import { MailError, TOO_MANY_SOCKETS_CLOSE, isMailError } from "@pismo/protocol/errors";
import type { GatewayLimits } from "../limits";
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

export type SocketLimits = Pick<
  GatewayLimits,
  "socketsPerClient" | "socketsPerGateway" | "unauthenticatedSocketsPerClient"
>;

/** One more counted under `key`; the function gives it back, once. */
function countIn(counts: Map<string, number>, key: string): () => void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    const left = (counts.get(key) ?? 1) - 1;
    if (left > 0) counts.set(key, left);
    else counts.delete(key);
  };
}

/**
 * Open WebSockets counted per client and in all, so that one client (or many) cannot make the
 * gateway hold sockets without bound: each holds buffers, a tRPC context and its
 * subscriptions. A place is taken before the upgrade (also while a binary socket's session is
 * looked up) and given back when the socket closes or is refused.
 *
 * A socket whose context has no signed-in session also takes one of the client's far fewer
 * unauthenticated places: a sign-in page holds such a socket while a person types, so it is
 * not timed out, and without this some 80 addresses could hold every place of the gateway
 * with sockets that never sign in.
 */
export class SocketCounts {
  private readonly perClient = new Map<string, number>();
  private readonly unauthenticatedPerClient = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: SocketLimits) {}

  /** A place for one more socket from `client`, or why not; `release` gives it back, once. */
  take(client: string): { release: () => void } | "client" | "gateway" {
    if ((this.perClient.get(client) ?? 0) >= this.limits.socketsPerClient) return "client";
    if (this.total >= this.limits.socketsPerGateway) return "gateway";
    this.total++;
    const release = countIn(this.perClient, client);
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.total--;
        release();
      },
    };
  }

  /** An unauthenticated place, on top of the one `take` gave, for a socket from `client` that
   * turned out to have no session, or why not; `release` gives it back, once. */
  takeUnauthenticated(client: string): { release: () => void } | "unauthenticated" {
    const mine = this.unauthenticatedPerClient.get(client) ?? 0;
    if (mine >= this.limits.unauthenticatedSocketsPerClient) return "unauthenticated";
    return { release: countIn(this.unauthenticatedPerClient, client) };
  }

  get open(): number {
    return this.total;
  }
}

/** How often one client's refused sockets without a session are logged, at most. */
const REFUSAL_LOG_EVERY_MS = 60_000;

export interface TrpcWsOptions {
  server: http.Server;
  allowedOrigins: readonly string[];
  /** Caps on open sockets (limits.ts). */
  limits: SocketLimits;
  /** Whose a socket is, for the per-client caps: the client's address as the gateway tells it. */
  clientOf(req: IncomingMessage): string;
  log: Logger;
  /** The socket's context; its `session` is null when the request named no live session. */
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
  const counts = new SocketCounts(opts.limits);
  // The client each /trpc socket was counted for at its upgrade, for its unauthenticated place.
  const clientOfRequest = new WeakMap<IncomingMessage, string>();
  const refusalsLogged = new Map<string, number>();
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    experimental_encoder: callsEncoder,
    // Whether a socket is signed in is known only here, after the upgrade: the session is
    // resolved (held, or resumed from the store) while its context is built, and this reads
    // the answer at no cost of its own. Before the upgrade only the cookie's shape is known,
    // which anyone can forge.
    createContext: async ({ req, res: ws }) => {
      const context = await opts.createContext(req, ws);
      // A socket closed meanwhile has had its close: its place would never come back.
      if (context.session !== null || ws.readyState !== ws.OPEN) return context;
      const client = clientOfRequest.get(req) ?? opts.clientOf(req);
      const got = counts.takeUnauthenticated(client);
      if (typeof got === "string") {
        // Once a minute per client: its pages try again (after a long wait, told by the code).
        const now = Date.now();
        if ((refusalsLogged.get(client) ?? 0) + REFUSAL_LOG_EVERY_MS <= now) {
          if (refusalsLogged.size >= 10_000) refusalsLogged.clear();
          refusalsLogged.set(client, now);
          opts.log.warn("ws.too_many_sockets", { scope: got, client });
        }
        ws.close(TOO_MANY_SOCKETS_CLOSE, "too many sockets");
        // No call sent on it runs: tRPC answers them with this.
        throw new MailError("RATE_LIMITED", "Too many sockets without a session from this address");
      }
      ws.once("close", got.release);
      return context;
    },
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
      const client = opts.clientOf(req);
      const got = counts.take(client);
      if (typeof got !== "string") {
        place = got;
        clientOfRequest.set(req, client);
        // A socket reset before its upgrade finished is never handed over: its place too.
        socket.once("close", got.release);
        return true;
      }
      opts.log.warn("ws.too_many_sockets", { scope: got, client });
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
    // With it tRPC builds the context only from the socket's first message, which a client
    // need never send: such a socket would never be known to have no session, nor counted as
    // one. The page sends no connection params.
    if (url.searchParams.get("connectionParams") === "1") {
      refuse("400 Bad Request");
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
