import type { Pop3PullInput } from "@pismo/protocol/pop3";
import { describe, expect, it } from "vitest";
import {
  connectClient,
  leaveOnServerPolicy,
  numberedMessage,
  pop3Mailboxes,
  pullUntilDone,
  removeAfterPullPolicy,
  useStack,
  type TestClient,
} from "./helpers";

// The POP3 pull as the browser drives it: a tRPC subscription over a real WebSocket to the
// gateway, against a real Dovecot. The test plays the browser, acknowledging each message.

const stack = useStack();
const message = (i: number) => numberedMessage(i, { tag: "router", lines: 50 + i * 20 });
const { mailbox, signIn: signInPop3, onServer } = pop3Mailboxes(stack, { prefix: "router", message });

/**
 * Plays the browser: stores each message, then acknowledges it (pop3.ack, one at a time);
 * `stopAfter` unsubscribes (as Cancel or a closed tab does) once that many messages were stored.
 */
async function pull(client: TestClient, input: Pop3PullInput, stopAfter?: number) {
  const stored = new Map<string, Buffer>();
  const run = pullUntilDone(client, input, (event, run) =>
    run.queue(async () => {
      if (stopAfter !== undefined && stored.size >= stopAfter) return;
      stored.set(event.uid, Buffer.from(event.raw, "base64"));
      if (stopAfter !== undefined && stored.size >= stopAfter) {
        run.leave({ unsubscribe: true });
        return;
      }
      await client.pop3.ack.mutate({ pullId: run.pullId, uid: event.uid });
    }),
  );
  return { events: await run.ended, stored };
}

describe("pop3 router over a real WebSocket", () => {
  it("pulls 20 messages, each acknowledged, and leaves the server empty", async () => {
    const user = await mailbox(20);
    const before = await onServer(user);
    const { client, close } = connectClient(stack.gateway.url, await signInPop3(user));
    try {
      const { events, stored } = await pull(client, { known: [], policy: removeAfterPullPolicy });
      const plan = events.find((e) => e.type === "plan");
      expect(plan).toMatchObject({ count: 20 });
      expect([...stored.keys()]).toEqual(before);
      expect(stored.get(before[0] ?? "")?.toString()).toBe(message(1));
      const done = events.find((e) => e.type === "done");
      expect(done).toMatchObject({ stored: 20, deletionsCommitted: true, cancelled: false });
      expect(done?.type === "done" ? done.deleted.sort() : []).toEqual([...before].sort());
      const progress = events.filter((e) => e.type === "progress");
      expect(progress.at(-1)).toMatchObject({ messagesDone: 20, count: 20 });
      expect(await onServer(user)).toEqual([]);
    } finally {
      void close();
    }
  });

  it("deletes nothing when the subscription is closed mid-pull, and the next pull completes it", async () => {
    const user = await mailbox(20);
    const before = await onServer(user);
    const { client, close } = connectClient(stack.gateway.url, await signInPop3(user));
    try {
      const first = await pull(client, { known: [], policy: removeAfterPullPolicy }, 7);
      expect(first.stored.size).toBe(7);
      expect(first.events.some((e) => e.type === "done")).toBe(false);
      expect(await onServer(user)).toEqual(before);

      // The next pull knows the 7 and gets exactly the other 13, then deletes all 20.
      const known = [...first.stored.keys()].map((uid) => ({
        uid,
        storedAt: Date.now(),
        deletedLocally: false,
      }));
      const second = await pull(client, { known, policy: removeAfterPullPolicy });
      expect(second.stored.size).toBe(13);
      expect([...first.stored.keys(), ...second.stored.keys()].sort()).toEqual([...before].sort());
      expect(await onServer(user)).toEqual([]);
    } finally {
      void close();
    }
  });

  it("keeps everything with leave-a-copy, and an unacknowledged pull whose socket drops deletes nothing", async () => {
    const user = await mailbox(5);
    const before = await onServer(user);
    const a = connectClient(stack.gateway.url, await signInPop3(user));
    try {
      const { stored } = await pull(a.client, {
        known: [],
        policy: leaveOnServerPolicy,
      });
      expect(stored.size).toBe(5);
      expect(await onServer(user)).toEqual(before);
    } finally {
      void a.close();
    }
    const b = connectClient(stack.gateway.url, await signInPop3(user));
    // The tab dies with the first message unacknowledged.
    const dying = pullUntilDone(b.client, { known: [], policy: removeAfterPullPolicy }, (_, run) => {
      void b.close();
      run.leave({ unsubscribe: false });
    });
    const seen = await dying.ended;
    expect(seen.some((e) => e.type === "message")).toBe(true);
    expect(await onServer(user)).toEqual(before);
  });

  it("fetches only the headers above the size limit, leaves the message on the server, and fetchFull gets the rest", async () => {
    const user = await mailbox(2);
    const before = await onServer(user);
    const { client, close } = connectClient(stack.gateway.url, await signInPop3(user));
    try {
      const { events, stored } = await pull(client, {
        known: [],
        policy: { ...removeAfterPullPolicy, headersOnlyAboveBytes: 500 },
      });
      const modes = events.flatMap((e) => (e.type === "message" ? [e.mode] : []));
      expect(modes).toEqual(["headers", "headers"]);
      expect(stored.get(before[0] ?? "")?.toString()).toBe(
        message(1).slice(0, message(1).indexOf("\r\n\r\n") + 4),
      );
      expect(await onServer(user)).toEqual(before);
      const full = await client.pop3.fetchFull.mutate({ uid: before[1] ?? "" });
      expect(Buffer.from(full.raw, "base64").toString()).toBe(message(2));
      await expect(client.pop3.fetchFull.mutate({ uid: "no-such-uid" })).rejects.toMatchObject({
        data: { mailCode: "NOT_FOUND" },
      });
    } finally {
      void close();
    }
  });

  it("fetches a message listed under a known unique-id with another size (a reused id), never deleting it unfetched", async () => {
    const user = await mailbox(2);
    const [reused, other] = await onServer(user);
    const { client, close } = connectClient(stack.gateway.url, await signInPop3(user));
    try {
      // This browser holds an older message under the first id, of another size, stored long
      // ago: without its size the pull took it for that one and (remove after pull) deleted
      // it unfetched.
      const known = [{ uid: reused!, storedAt: 1, deletedLocally: false, size: 1 }];
      const { events, stored } = await pull(client, { known, policy: removeAfterPullPolicy });
      expect([...stored.keys()].sort()).toEqual([reused, other].sort());
      const done = events.find((e) => e.type === "done");
      expect(done).toMatchObject({ stored: 2, deletionsCommitted: true });
    } finally {
      void close();
    }
  });

  it("refuses a pull before sign-in and for an unknown pull id", async () => {
    const user = await mailbox(1);
    const anon = connectClient(stack.gateway.url);
    try {
      await expect(anon.client.pop3.ack.mutate({ pullId: "x", uid: "y" })).rejects.toMatchObject({
        data: { mailCode: "NOT_SIGNED_IN" },
      });
    } finally {
      void anon.close();
    }
    const signed = connectClient(stack.gateway.url, await signInPop3(user));
    try {
      expect(await signed.client.pop3.ack.mutate({ pullId: "nope", uid: "y" })).toBe(false);
    } finally {
      void signed.close();
    }
  });
});
