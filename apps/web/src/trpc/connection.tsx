"use client";

import { QueryClient, QueryClientProvider, notifyManager } from "@tanstack/react-query";
import { createTRPCClient, createWSClient, wsLink, type TRPCClient } from "@trpc/client";
import type { AppRouter } from "@pismo/protocol/router";
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { TRPCProvider, gatewayWebSocketUrl, retryPolicy } from "./client";
import { reconnectOnce } from "./reconnect";
import { sendAtEndOfTask } from "./send-now";

export type ConnectionStatus = "live" | "reconnecting" | "offline";

interface ConnectionApi {
  status: ConnectionStatus;
  /** Opens a fresh WebSocket, so the gateway sees the session cookie set by sign-in/out. */
  restart(): void;
  /** Increments every time the socket (re)opens: features resync on change. */
  epoch: number;
  /** False while the gateway says its connection to the mail server is down (IMAP). */
  mailServerUp: boolean;
  /** What the gateway said of its connection to the mail server (an IMAP session's events). */
  reportMailServer(up: boolean): void;
}

const ConnectionContext = createContext<ConnectionApi | null>(null);

export function useConnection(): ConnectionApi {
  const api = useContext(ConnectionContext);
  if (!api) throw new Error("useConnection outside <ConnectionRoot>");
  return api;
}

interface Wire {
  /** Closes the socket; from then on it reports nothing (its own open or close included). */
  close(): void;
  trpc: TRPCClient<AppRouter>;
}

function openWire(onStatus: (s: ConnectionStatus) => void, onOpen: () => void): Wire {
  const since = { opened: false, lostAt: Date.now(), failures: 0 };
  // A replaced socket still fires its close after the new one has opened (and one closed while
  // connecting, its open first): it must not turn "Live" back into "Reconnecting…".
  let closed = false;
  const retry = retryPolicy();
  const ws = createWSClient({
    url: gatewayWebSocketUrl,
    retryDelayMs: (attempt) => retry.delayMs(attempt),
    keepAlive: { enabled: true, intervalMs: 10_000, pongTimeoutMs: 4_000 },
    onOpen() {
      if (closed) return;
      Object.assign(since, { opened: true, failures: 0 });
      onStatus("live");
      onOpen();
    },
    onClose(cause) {
      if (closed) return;
      // tRPC asks for the delay after this.
      retry.closed(cause?.code);
      if (since.failures === 0) since.lostAt = Date.now();
      since.failures += 1;
      const browserOffline = typeof navigator !== "undefined" && !navigator.onLine;
      onStatus(browserOffline || gatewayUnreachable(since) ? "offline" : "reconnecting");
    },
  });
  sendAtEndOfTask(ws);
  reconnectOnce(ws);
  return {
    close: () => {
      closed = true;
      void ws.close();
    },
    trpc: createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] }),
  };
}

/** The gateway cannot be reached (the page was served by the service worker, or the gateway is
 * down for longer than a restart takes): "Offline" rather than "Reconnecting…". */
export function gatewayUnreachable(
  since: { opened: boolean; lostAt: number; failures: number },
  now = Date.now(),
) {
  return since.opened ? since.failures > 1 && now - since.lostAt > 10_000 : since.failures > 1;
}

// An answer is rendered in the task that brought it, not from TanStack Query's default
// `setTimeout(0)`: Chrome may draw a frame before that timer runs, and the message or rows the
// user asked for would wait a frame more (its documented option for this).
notifyManager.setScheduler(queueMicrotask);

/**
 * The sockets the root's first renders opened. React may render the root more than once
 * before it commits one (a first render it throws away and starts again, as a page loading
 * its code from a gateway that has just started does: three renders, three sockets; in
 * development, StrictMode's second call of the state's initializer); each render opened a
 * socket. The committed root closes all but its own; left open, the others would stay
 * connected to the gateway, pinging, for the page's life.
 */
const unclaimed = new Set<Wire>();

export function ConnectionRoot({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<ConnectionStatus>("reconnecting");
  const [epoch, setEpoch] = useState(0);
  const [mailServerUp, setMailServerUp] = useState(true);
  // A new socket may reach another gateway (or one restarted): what the last said is void.
  const opened = useCallback(() => {
    setEpoch((e) => e + 1);
    setMailServerUp(true);
  }, []);
  const [wire, setWire] = useState<Wire>(() => {
    const first = openWire(setStatus, opened);
    unclaimed.add(first);
    return first;
  });
  useEffect(() => {
    for (const other of unclaimed) if (other !== wire) other.close();
    unclaimed.clear();
  }, [wire]);
  // The socket in use, which a restart closes: outside the state's updater, which React may
  // call twice.
  const inUse = useRef(wire);
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { staleTime: 60_000, retry: 1, refetchOnWindowFocus: false } },
      }),
  );

  const restart = useCallback(() => {
    inUse.current.close();
    inUse.current = openWire(setStatus, opened);
    setStatus("reconnecting");
    setWire(inUse.current);
  }, [opened]);

  useEffect(() => {
    const goOffline = () => setStatus("offline");
    const goOnline = () => setStatus((s) => (s === "offline" ? "reconnecting" : s));
    window.addEventListener("offline", goOffline);
    window.addEventListener("online", goOnline);
    return () => {
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
    };
  }, []);

  return (
    <ConnectionContext.Provider
      value={{ status, restart, epoch, mailServerUp, reportMailServer: setMailServerUp }}
    >
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={wire.trpc} queryClient={queryClient}>
          {children}
        </TRPCProvider>
      </QueryClientProvider>
    </ConnectionContext.Provider>
  );
}
