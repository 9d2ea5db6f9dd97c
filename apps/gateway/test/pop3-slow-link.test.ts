import { decodeBodyFrame, type Pop3PullEvent } from "@pismo/protocol/pop3";
import { describe, expect, it } from "vitest";
import type { Pop3BodySink, Pop3Session } from "../src/pop3/pop3-session";
import { fakeServerSession, removeAfterPullPolicy, useFakePop3Server } from "./helpers";

// A browser on a slow link: the body channel takes frames at a fixed rate. The acknowledgement
// clock starts once a frame has been written to the socket, not when its message was retrieved
// (a message waiting behind earlier frames, or long on the wire itself, is not a hanging tab),
// and the next message is not retrieved while the link has not taken what was sent, so little
// waits in the gateway's memory. A link that takes nothing at all still ends the pull, deleting
// nothing.

const fakePop3Server = useFakePop3Server();

interface SlowLink {
  sink: Pop3BodySink;
  /** The most bytes that ever waited to be written. */
  maxQueued(): number;
  stop(): void;
}

/**
 * A body channel that writes `bytesPerSecond` (in 10 ms ticks); the browser acknowledges each
 * message as soon as its frame has arrived. With `bytesPerSecond` 0 it takes nothing.
 */
function slowLink(session: Pop3Session, pullId: () => string, bytesPerSecond: number): SlowLink {
  const queue: Array<{ frame: Uint8Array; sent: number; written?: (error?: Error) => void }> = [];
  let queued = 0;
  let maxQueued = 0;
  const closeListeners: Array<() => void> = [];
  const tick = setInterval(() => {
    let budget = bytesPerSecond / 100;
    while (budget > 0 && queue.length > 0) {
      const head = queue[0]!;
      const take = Math.min(budget, head.frame.length - head.sent);
      head.sent += take;
      queued -= take;
      budget -= take;
      if (head.sent < head.frame.length) break;
      queue.shift();
      head.written?.();
      const { uid } = decodeBodyFrame(head.frame).header;
      setTimeout(() => session.ackMany(pullId(), [uid]), 5);
    }
  }, 10);
  return {
    sink: {
      send(frame, written) {
        queue.push({ frame, sent: 0, ...(written ? { written } : {}) });
        queued += frame.length;
        maxQueued = Math.max(maxQueued, queued);
      },
      close() {
        clearInterval(tick);
        for (const listener of closeListeners.splice(0)) listener();
      },
      onClose(listener) {
        closeListeners.push(listener);
      },
    },
    maxQueued: () => maxQueued,
    stop: () => clearInterval(tick),
  };
}

async function pullThrough(session: Pop3Session, link: (pullId: () => string) => SlowLink) {
  let pullId = "";
  const made = link(() => pullId);
  session.attachBodies("slow", made.sink);
  const events: Pop3PullEvent[] = [];
  try {
    for await (const event of session.pull(
      { known: new Map(), policy: removeAfterPullPolicy, bodies: "slow" },
      new AbortController().signal,
    )) {
      events.push(event);
      if (event.type === "started") pullId = event.pullId;
    }
  } finally {
    made.stop();
  }
  return { events, maxQueued: made.maxQueued() };
}

describe("a pull over a slow body channel", () => {
  it("completes when every message takes longer on the wire than the acknowledgement timeout", async () => {
    // Six messages of 30 KB at 100 KB/s: 0.3 s each on the wire, 1.8 s in all, against an
    // acknowledgement timeout of 0.2 s.
    const body = (i: number) => Buffer.from(`Subject: ${i}\r\n\r\n${"x".repeat(998)}\r\n`.repeat(30));
    const server = await fakePop3Server({ messages: Array.from({ length: 6 }, (_, i) => body(i + 1)) });
    const session = fakeServerSession(server, { ackTimeoutMs: 200, sendBufferBytes: 40_000 });
    const { events, maxQueued } = await pullThrough(session, (pullId) => slowLink(session, pullId, 100_000));
    expect(events.at(-1)).toMatchObject({ type: "done", stored: 6, deletionsCommitted: true });
    expect(server.commands.filter((c) => c.startsWith("DELE"))).toHaveLength(6);
    // Backpressure: the next message was retrieved only once the link had taken enough of the
    // previous ones (at most the send buffer and one message wait), not the whole window.
    expect(maxQueued).toBeLessThanOrEqual(40_000 + 31_000);
  }, 20_000);

  it("ends, deleting nothing, when the body channel takes nothing at all", async () => {
    const server = await fakePop3Server({
      messages: [Buffer.from("Subject: one\r\n\r\nfirst\r\n"), Buffer.from("Subject: two\r\n\r\nsecond\r\n")],
    });
    const session = fakeServerSession(server, { ackTimeoutMs: 200, linkStallMs: 300 });
    const { events } = await pullThrough(session, (pullId) => slowLink(session, pullId, 0));
    expect(events.at(-1)).toMatchObject({ type: "error", code: "TIMEOUT" });
    expect(server.commands.filter((c) => c.startsWith("DELE"))).toEqual([]);
    expect(server.messages.every((m) => m !== null)).toBe(true);
  }, 20_000);
});
