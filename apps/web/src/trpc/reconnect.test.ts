import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import type { AppRouter } from "@pismo/protocol/router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { reconnectOnce } from "./reconnect";

/** Node 20 has no CloseEvent: an Event with the code a lost connection reports. */
const closeEvent = () => Object.assign(new Event("close"), { code: 1006 });

type Message = { id: number; method: string; params?: { path?: string } };

/**
 * A socket that opens in the next task and answers like the gateway: a subscription is
 * started and stays, any other request gets its answer. `lose()` is the network dropping it.
 */
class FakeSocket extends EventTarget {
  static readonly sockets: FakeSocket[] = [];
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly received: Message[] = [];
  readyState = 0;
  closedByPage = false;
  constructor(readonly url: string) {
    super();
    FakeSocket.sockets.push(this);
    setTimeout(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.dispatchEvent(new Event("open"));
    });
  }
  send(data: string) {
    if (this.readyState !== 1) throw new Error("send on a socket that is not open");
    const parsed = JSON.parse(data) as Message | Message[];
    for (const m of Array.isArray(parsed) ? parsed : [parsed]) {
      this.received.push(m);
      const result = m.method === "subscription" ? { type: "started" } : { type: "data", data: null };
      setTimeout(() => {
        if (this.readyState === 1)
          this.dispatchEvent(new MessageEvent("message", { data: JSON.stringify({ id: m.id, result }) }));
      });
    }
  }
  close() {
    if (this.readyState === 3) return;
    this.closedByPage = true;
    this.end();
  }
  lose() {
    this.end();
  }
  private end() {
    this.readyState = 3;
    setTimeout(() => this.dispatchEvent(closeEvent()));
  }
}

const clients: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  FakeSocket.sockets.length = 0;
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A page's client (patched or not) with one live subscription on its first socket. */
async function subscribedClient(
  patch: boolean,
  retryDelayMs: (attempt: number) => number,
  Socket: typeof FakeSocket = FakeSocket,
) {
  const ws = createWSClient({
    url: "ws://127.0.0.1:9/trpc",
    WebSocket: Socket as unknown as typeof WebSocket,
    retryDelayMs,
  });
  clients.push(ws);
  if (patch) expect(reconnectOnce(ws)).toBe(true);
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
  const events = trpc.imap.events.subscribe(undefined, { onData: () => undefined, onError: () => undefined });
  // Polled, not a fixed wait: under load (the other packages' tests beside it) the first socket
  // took longer than 20 ms to open and be subscribed on.
  await vi.waitFor(() =>
    expect(FakeSocket.sockets[0]?.received.map((m) => m.method)).toEqual(["subscription"]),
  );
  return { trpc, events };
}

/** A page's client with one live subscription, then its socket lost and a query asked at once
 * (as the page does when an answer is lost with the socket). */
async function loseSocketAndAskAgain(patch: boolean) {
  // tRPC's own delay for a first retry is 0; the page's is 125–250 ms (trpc/client.ts).
  const { trpc, events } = await subscribedClient(patch, () => 150);
  FakeSocket.sockets[0]?.lose();
  await wait(5);
  const answer = trpc.session.current.query().then(
    () => "answered",
    () => "failed",
  );
  await wait(400);
  const received = FakeSocket.sockets.map((s) => s.received.map((m) => m.params?.path ?? m.method));
  events.unsubscribe();
  return { answer: await answer, sockets: [...FakeSocket.sockets], received };
}

describe("after a lost socket, the page connects once", () => {
  it("keeps a socket a request opened during the retry delay, and subscribes again on it", async () => {
    const { answer, sockets, received } = await loseSocketAndAskAgain(true);
    expect(sockets).toHaveLength(2);
    expect(sockets[1]?.closedByPage).toBe(false);
    expect(received[1]).toEqual(["session.current", "imap.events"]);
    expect(answer).toBe("answered");
  });

  it("without it, tRPC's loop closes that socket and opens a third (what the patch removes)", async () => {
    const { sockets } = await loseSocketAndAskAgain(false);
    expect(sockets).toHaveLength(3);
    expect(sockets[1]?.closedByPage).toBe(true);
  });

  it("with no request meanwhile, it opens one socket after the delay and subscribes again", async () => {
    const { events } = await subscribedClient(true, () => 50);
    FakeSocket.sockets[0]?.lose();
    await wait(30);
    expect(FakeSocket.sockets).toHaveLength(1);
    await wait(100);
    expect(FakeSocket.sockets).toHaveLength(2);
    expect(FakeSocket.sockets[1]?.received.map((m) => m.method)).toEqual(["subscription"]);
    events.unsubscribe();
  });

  it("a server that refuses goes on to the next attempt, with the next delay", async () => {
    const delays: number[] = [];
    let refuse = 2;
    class Refusing extends FakeSocket {
      constructor(url: string) {
        super(url);
        if (FakeSocket.sockets.length > 1 && refuse-- > 0) {
          // As a browser reports a refused connection: an error, then the close.
          this.readyState = 3;
          setTimeout(() => {
            this.dispatchEvent(new Event("error"));
            this.dispatchEvent(closeEvent());
          });
        }
      }
    }
    const retryDelay = (attempt: number) => {
      delays.push(attempt);
      return 10;
    };
    const { events } = await subscribedClient(true, retryDelay, Refusing);
    FakeSocket.sockets[0]?.lose();
    await wait(200);
    expect(FakeSocket.sockets).toHaveLength(4);
    expect(delays.slice(0, 3)).toEqual([0, 1, 2]);
    expect(FakeSocket.sockets[3]?.received.map((m) => m.method)).toEqual(["subscription"]);
    events.unsubscribe();
  });

  it("a client without the expected internals is left to tRPC's own loop", () => {
    expect(reconnectOnce({} as Parameters<typeof reconnectOnce>[0])).toBe(false);
  });
});
