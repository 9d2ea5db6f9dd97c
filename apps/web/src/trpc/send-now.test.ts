import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import type { AppRouter } from "@pismo/protocol/router";
import { afterEach, describe, expect, it } from "vitest";
import { sendAtEndOfTask } from "./send-now";

/** A socket that opens at once and records what the page sends: the order of sending against
 * the task's end is the point, which a real socket's network time would hide. */
class RecordingSocket extends EventTarget {
  static readonly sockets: RecordingSocket[] = [];
  static readonly OPEN = 1;
  readonly sent: string[] = [];
  readyState = 0;
  constructor(readonly url: string) {
    super();
    RecordingSocket.sockets.push(this);
    setTimeout(() => {
      this.readyState = 1;
      this.dispatchEvent(new Event("open"));
    });
  }
  /** Records the frame and answers each request, so that none is left waiting at close. */
  send(data: string) {
    this.sent.push(data);
    const parsed = JSON.parse(data) as { id: number } | { id: number }[];
    for (const { id } of Array.isArray(parsed) ? parsed : [parsed]) {
      const reply = JSON.stringify({ id, result: { type: "data", data: null } });
      setTimeout(() => this.dispatchEvent(new MessageEvent("message", { data: reply })));
    }
  }
  close() {
    this.readyState = 3;
    this.dispatchEvent(new Event("close"));
  }
}

const clients: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  RecordingSocket.sockets.length = 0;
});

async function openClient(patch: boolean) {
  const ws = createWSClient({
    url: "ws://127.0.0.1:9/trpc",
    WebSocket: RecordingSocket as unknown as typeof WebSocket,
  });
  clients.push(ws);
  if (patch) expect(sendAtEndOfTask(ws)).toBe(true);
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
  // The first request opens the socket; wait until it has left.
  void trpc.session.current.query().catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const socket = RecordingSocket.sockets.at(-1);
  if (!socket) throw new Error("no socket opened");
  socket.sent.length = 0;
  return { trpc, socket };
}

/** Runs the microtasks queued by the task that just ended, but no timer. */
const endOfTask = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe("requests leave the page at the end of the task that made them", () => {
  it("with the patch: before any timer, both of one task's requests in one frame, in order", async () => {
    const { trpc, socket } = await openClient(true);
    void trpc.session.current.query().catch(() => undefined);
    void trpc.imap.folders.query().catch(() => undefined);
    await endOfTask();
    expect(socket.sent).toHaveLength(1);
    const frame = JSON.parse(socket.sent[0] ?? "[]") as { params: { path: string } }[];
    expect(frame.map((m) => m.params.path)).toEqual(["session.current", "imap.folders"]);
  });

  it("without it, tRPC waits for a timer (what the patch removes)", async () => {
    const { trpc, socket } = await openClient(false);
    void trpc.session.current.query().catch(() => undefined);
    await endOfTask();
    expect(socket.sent).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(socket.sent).toHaveLength(1);
  });

  it("a client without the expected internals is left to tRPC's own path", () => {
    expect(sendAtEndOfTask({} as Parameters<typeof sendAtEndOfTask>[0])).toBe(false);
  });
});
