import type { TRPCWebSocketClient } from "@trpc/client";

/**
 * The parts of tRPC's WebSocket client (11.22.1, pinned) that queue and send requests. Not in
 * its public types; checked at run time so that another version falls back to its own timer.
 */
interface QueueInternals {
  batchSend(message: unknown, callbacks: unknown): () => void;
  send(messages: unknown[]): void;
  activeConnection: { isOpen(): boolean };
  requestManager: { hasOutgoingRequests(): boolean; flush(): { message: unknown }[] };
}

function hasQueueInternals(client: object): client is QueueInternals {
  const c = client as Partial<QueueInternals>;
  return (
    typeof c.batchSend === "function" &&
    typeof c.send === "function" &&
    typeof c.activeConnection?.isOpen === "function" &&
    typeof c.requestManager?.hasOutgoingRequests === "function" &&
    typeof c.requestManager.flush === "function"
  );
}

/**
 * Sends each request at the end of the task that made it instead of from tRPC's
 * `setTimeout(0)`. A click that opens a message renders the click's frame first; Chrome draws
 * that frame before it runs the timer, so the request used to leave 10–15 ms after the click
 * and the gateway sat idle meanwhile. Requests made in the same task still leave in one frame,
 * in the order they were made (a microtask runs after the task's synchronous code). Before the
 * socket is open, tRPC's own path (open, then its timer) sends them.
 */
export function sendAtEndOfTask(wsClient: TRPCWebSocketClient): boolean {
  const client: object = wsClient;
  if (!hasQueueInternals(client)) return false;
  const queue = client.batchSend.bind(client);
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!client.activeConnection.isOpen() || !client.requestManager.hasOutgoingRequests()) return;
    client.send(client.requestManager.flush().map(({ message }) => message));
  };
  client.batchSend = (message, callbacks) => {
    const abort = queue(message, callbacks);
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(flush);
    }
    return abort;
  };
  return true;
}
