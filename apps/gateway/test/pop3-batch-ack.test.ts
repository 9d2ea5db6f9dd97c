import type { Pop3PullEvent, Pop3PullInput } from "@pismo/protocol/pop3";
import { describe, expect, it } from "vitest";
import {
  connectClient,
  fakeServerClient,
  fakeServerSession,
  leaveOnServerPolicy,
  numberedMessage,
  pop3Mailboxes,
  pullSessionToEnd,
  pullUntilDone,
  removeAfterPullPolicy,
  useFakePop3Server,
  useStack,
  type TestClient,
} from "./helpers";

// The browser stores what arrived meanwhile in one transaction and acknowledges the whole
// batch in one call (pop3.ackMany); the gateway keeps a window counted in bytes of
// unacknowledged messages. Still, only acknowledged messages are ever deleted.

describe("the pull's window is counted in bytes", () => {
  const fakePop3Server = useFakePop3Server();

  it("retrieves no further than the byte window until a batch is acknowledged", async () => {
    const body = (i: number) => Buffer.from(`Subject: ${i}\r\n\r\n${"x".repeat(10_000)}\r\n`);
    const server = await fakePop3Server({ messages: Array.from({ length: 10 }, (_, i) => body(i + 1)) });
    // Three messages of 10 KB fill it.
    const session = fakeServerSession(server, { ackWindowBytes: 25_000 });
    const retrs = () => server.commands.filter((c) => c.startsWith("RETR")).length ?? 0;
    let pending: string[] = [];
    const retrsAtBatch: number[] = [];
    const events = await pullSessionToEnd(session, async (event, pullId) => {
      pending.push(event.uid);
      if (pending.length < 3 && event.uid !== "uid-10-x") return;
      // The window is full: give the driver time to (wrongly) go on, then count what it asked.
      await new Promise((r) => setTimeout(r, 150));
      retrsAtBatch.push(retrs());
      expect(session.ackMany(pullId, pending)).toBe(pending.length);
      pending = [];
    });
    expect(retrsAtBatch).toEqual([3, 6, 9, 10]);
    expect(events.at(-1)).toMatchObject({ type: "done", stored: 10, deletionsCommitted: true });
    expect(server.commands.filter((c) => c.startsWith("DELE"))).toHaveLength(10);
  }, 20_000);
});

describe("DELE pipelined (RFC 2449 PIPELINING)", () => {
  const fakePop3Server = useFakePop3Server();

  it("marks in groups, leaves out a -ERR in the middle of a group, and QUIT commits the rest", async () => {
    const messages = Array.from({ length: 250 }, (_, i) => Buffer.from(`Subject: ${i}\r\n\r\nx\r\n`));
    const server = await fakePop3Server({ messages, split: { every: 5 } });
    const client = await fakeServerClient(server);
    const wanted = [
      ...Array.from({ length: 150 }, (_, i) => i + 1),
      7,
      ...Array.from({ length: 100 }, (_, i) => i + 151),
    ];
    // The second DELE 7 answers -ERR (already marked); every other number is marked.
    expect(await client.deleMany(wanted)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    await client.quit();
    expect(server.messages.every((m) => m === null)).toBe(true);
  });

  it("writes a group without waiting for answers", async () => {
    const messages = Array.from({ length: 150 }, (_, i) => Buffer.from(`Subject: ${i}\r\n\r\nx\r\n`));
    // A server that never answers DELE: one by one, only the first would ever be sent.
    const server = await fakePop3Server({ messages, stallOn: "DELE" });
    const client = await fakeServerClient(server, { timeoutMs: 300 });
    await expect(client.deleMany(messages.map((_, i) => i + 1))).rejects.toMatchObject({ code: "TIMEOUT" });
    expect(server.commands.filter((c) => c.startsWith("DELE"))).toHaveLength(100);
    // Nothing committed: the connection dropped without QUIT.
    expect(server.messages.every((m) => m !== null)).toBe(true);
  });
});

// Against the real Dovecot, through the gateway's WebSocket, as the browser drives it.
const stack = useStack();
const {
  mailbox,
  signIn: signInPop3,
  onServer,
} = pop3Mailboxes(stack, {
  prefix: "batch",
  message: (i) => numberedMessage(i, { tag: "batch", lines: 200 + i * 10 }),
});

/**
 * Plays the browser: acknowledges every `batch` messages in one ackMany (a remainder once
 * nothing more came for 200 ms); with `dieAfter`, the tab closes once that many arrived, in
 * the middle of a batch (some received, neither committed nor acknowledged).
 */
async function pull(
  client: TestClient,
  input: Pop3PullInput,
  batch: number,
  dieAfter?: number,
): Promise<{ acked: string[]; received: string[]; events: Pop3PullEvent[] }> {
  const acked: string[] = [];
  const received: string[] = [];
  let queue: string[] = [];
  let idle: ReturnType<typeof setTimeout> | undefined;
  const ack = () => {
    const uids = queue;
    queue = [];
    if (uids.length === 0) return;
    run.queue(async () => {
      expect(await client.pop3.ackMany.mutate({ pullId: run.pullId, uids })).toBe(uids.length);
      acked.push(...uids);
    });
  };
  const run = pullUntilDone(client, input, (event) => {
    clearTimeout(idle);
    received.push(event.uid);
    queue.push(event.uid);
    if (dieAfter !== undefined && received.length >= dieAfter) {
      // The batches already full were acknowledged (their calls may still be on the way:
      // a browser that stored them has its answer), then the tab dies with the rest in hand.
      run.leave({ unsubscribe: true });
      return;
    }
    if (queue.length >= batch) ack();
    else idle = setTimeout(ack, 200);
  });
  try {
    return { acked, received, events: await run.ended };
  } finally {
    clearTimeout(idle);
  }
}

describe("batched acknowledgements against Dovecot", () => {
  it("a pull cut in the middle of a batch loses nothing, and the next pull brings only the unacknowledged", async () => {
    const user = await mailbox(25);
    const before = await onServer(user);
    const { client, close } = connectClient(stack.gateway.url, await signInPop3(user));
    try {
      // Batches of 5: 10 acknowledged in two calls, then the tab dies with 3 of the third batch in hand.
      const first = await pull(client, { known: [], policy: removeAfterPullPolicy }, 5, 13);
      expect(first.acked).toEqual(before.slice(0, 10));
      expect(first.received).toEqual(before.slice(0, 13));
      // Nothing was deleted: no QUIT after any DELE.
      expect(await onServer(user)).toEqual(before);

      const known = first.acked.map((uid) => ({ uid, storedAt: Date.now(), deletedLocally: false }));
      const second = await pull(client, { known, policy: removeAfterPullPolicy }, 5);
      // Exactly the 15 never acknowledged come again (the 3 received but not stored among them).
      expect(second.received).toEqual(before.slice(10));
      expect(second.acked.sort()).toEqual(before.slice(10).sort());
      const done = second.events.find((e) => e.type === "done");
      expect(done).toMatchObject({ stored: 15, deletionsCommitted: true });
      expect(done?.type === "done" ? [...done.deleted].sort() : []).toEqual([...before].sort());
      // The last progress is exact although progress is sent at most every 250 ms.
      expect(second.events.filter((e) => e.type === "progress").at(-1)).toMatchObject({
        messagesDone: 15,
        count: 15,
      });
      expect(await onServer(user)).toEqual([]);
    } finally {
      void close();
    }
  });

  it("an acknowledgement of a batch names only what this pull waits for", async () => {
    const user = await mailbox(1);
    const { client, close } = connectClient(stack.gateway.url, await signInPop3(user));
    try {
      expect(await client.pop3.ackMany.mutate({ pullId: "nope", uids: ["a", "b"] })).toBe(0);
      await expect(client.pop3.ackMany.mutate({ pullId: "nope", uids: [] })).rejects.toBeDefined();
    } finally {
      void close();
    }
  });
});

describe("a known list too long for one WebSocket message", () => {
  it("goes ahead in pieces: a store of 100,000 still pulls, and only what it lacks", async () => {
    const user = await mailbox(3);
    const onTheServer = await onServer(user);
    const { client, close } = connectClient(stack.gateway.url, await signInPop3(user));
    try {
      // 99,999 messages long gone from the server, and the server's first one.
      const stored = [
        ...Array.from({ length: 99_999 }, (_, i) => `old-${String(i).padStart(6, "0")}-${"u".repeat(40)}`),
        onTheServer[0] ?? "",
      ].map((uid) => ({ uid, storedAt: Date.now(), deletedLocally: false, headersOnly: false }));
      const knownId = "known-1";
      let held = 0;
      for (let i = 0; i < stored.length; i += 5_000)
        held = await client.pop3.addKnown.mutate({ knownId, entries: stored.slice(i, i + 5_000) });
      expect(held).toBe(100_000);
      const { received, events } = await pull(client, { known: [], knownId, policy: leaveOnServerPolicy }, 5);
      expect(events.find((e) => e.type === "plan")).toMatchObject({ count: 2 });
      expect(received).toEqual(onTheServer.slice(1));
      // Handed over once: a second pull naming it is refused rather than pull as if nothing were known.
      await expect(pull(client, { known: [], knownId, policy: removeAfterPullPolicy }, 5)).rejects.toThrow(
        /BAD_INPUT|list of messages/,
      );
      expect(await onServer(user)).toEqual(onTheServer);
    } finally {
      void close();
    }
  }, 60_000);
});
