import { TRPCClientError, type TRPCWebSocketClient } from "@trpc/client";

/**
 * The parts of tRPC's WebSocket client (11.22.1, pinned) that reconnect after a lost socket.
 * Not in its public types; checked at run time so that another version keeps its own loop.
 */
interface ReconnectInternals {
  reconnect(closedError: Error): void;
  reconnecting: Promise<void> | null;
  allowReconnect: boolean;
  reconnectRetryDelay(attemptIndex: number): number;
  connectionState: { next(state: unknown): void };
  activeConnection: {
    ws: unknown;
    openPromise: Promise<void> | null;
    isOpen(): boolean;
    open(): Promise<void>;
    close(): Promise<void>;
  };
  requestManager: { getPendingRequests(): { message: { method: string } }[] };
  send(messages: unknown[]): void;
}

function hasReconnectInternals(client: object): client is ReconnectInternals {
  const c = client as Partial<ReconnectInternals>;
  return (
    typeof c.reconnect === "function" &&
    "reconnecting" in c &&
    typeof c.allowReconnect === "boolean" &&
    typeof c.reconnectRetryDelay === "function" &&
    typeof c.connectionState?.next === "function" &&
    typeof c.activeConnection?.isOpen === "function" &&
    typeof c.activeConnection.open === "function" &&
    typeof c.activeConnection.close === "function" &&
    "openPromise" in c.activeConnection &&
    typeof c.requestManager?.getPendingRequests === "function" &&
    typeof c.send === "function"
  );
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * After a lost socket, tRPC waits its retry delay, then closes whatever socket is current and
 * opens another. But a request made during that wait opens a socket of its own at once (the
 * page asks again as soon as an answer is lost: Undo send's notice, the session, the rows), so
 * the loop then closed that working socket with its requests' answers on the way, and the page
 * connected three to five times after one cut, losing answers each time.
 *
 * This loop keeps a socket opened meanwhile (waiting for one still opening), and then sends
 * on it again the subscriptions that were on the lost one: they are the only requests that
 * outlive a socket (tRPC fails the others when it closes), and a request's own open sends only
 * new requests.
 * Otherwise it does what tRPC's does: the same delays, the lost socket closed, a new one
 * opened, the pending requests sent on it, and the next attempt after a failed one.
 */
export function reconnectOnce(wsClient: TRPCWebSocketClient): boolean {
  const client: object = wsClient;
  if (!hasReconnectInternals(client)) return false;
  client.reconnect = (closedError) => {
    client.connectionState.next({
      type: "state",
      state: "connecting",
      error: TRPCClientError.from(closedError),
    });
    if (client.reconnecting) return;
    const connection = client.activeConnection;
    const lost = connection.ws;
    const subscribedOnLost = new Set(
      client.requestManager
        .getPendingRequests()
        .filter(({ message }) => message.method === "subscription")
        .map(({ message }) => message),
    );
    const attempt = async (index: number): Promise<void> => {
      try {
        await sleep(client.reconnectRetryDelay(index));
        if (client.allowReconnect) {
          if (connection.openPromise) await connection.open();
          const openedMeanwhile = connection.isOpen() && connection.ws !== lost;
          if (!openedMeanwhile) {
            await connection.close();
            await connection.open();
          }
          const again = client.requestManager
            .getPendingRequests()
            .filter(({ message }) => !openedMeanwhile || subscribedOnLost.has(message));
          if (again.length) client.send(again.map(({ message }) => message));
        }
        client.reconnecting = null;
      } catch {
        await attempt(index + 1);
      }
    };
    client.reconnecting = attempt(0);
  };
  return true;
}
