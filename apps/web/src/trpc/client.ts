import { TOO_MANY_SOCKETS_CLOSE } from "@pismo/protocol/errors";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { AppRouter } from "@pismo/protocol/router";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** The gateway's WebSocket: same origin in production; NEXT_PUBLIC_GATEWAY_WS for `next dev`. */
export function gatewayWebSocketUrl(): string {
  const configured = process.env.NEXT_PUBLIC_GATEWAY_WS;
  if (configured) return configured;
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss:" : "ws:"}//${host}/trpc`;
}

/** Plain HTTP to the gateway (sign-in sets an httpOnly cookie, which a WebSocket cannot). */
export function gatewayHttpUrl(path: string): string {
  const configured = process.env.NEXT_PUBLIC_GATEWAY_HTTP;
  return configured ? new URL(path, configured).toString() : path;
}

/**
 * When a page's socket tries the gateway again: reconnectDelayMs, or, after the gateway closed it
 * for too many sockets without a session from this address (other sign-in pages behind the
 * same address), 30–60 s later, spread so that those pages do not come back together.
 */
export function retryPolicy(random = Math.random) {
  let refusedUntil = 0;
  return {
    closed(code: number | undefined, now = Date.now()) {
      if (code === TOO_MANY_SOCKETS_CLOSE) refusedUntil = now + 30_000 + random() * 30_000;
    },
    delayMs(attempt: number, now = Date.now()) {
      return Math.max(reconnectDelayMs(attempt, random()), Math.round(refusedUntil - now));
    },
  };
}

/** Reconnect quickly at first, at most 1 s apart for about the first minute (a restart or a
 * rolling deploy takes seconds, and sessions resume: the page should be Live again within
 * seconds of the gateway, so the wait after the gateway is back is at most one interval), then
 * every 10 s; with jitter so a restarted gateway is not hit by every browser in the same
 * millisecond. A refused connection to a gateway that is down costs it nothing. */
export function reconnectDelayMs(attempt: number, random = Math.random()): number {
  const base = attempt < 60 ? Math.min(1_000, 250 * 2 ** attempt) : 10_000;
  return Math.round(base / 2 + random * (base / 2));
}
