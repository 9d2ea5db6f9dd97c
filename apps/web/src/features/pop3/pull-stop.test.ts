// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { describe, expect, it, vi } from "vitest";
import { encodeBodyFrame, type Pop3PullEvent } from "@pismo/protocol/pop3";
import { Pop3Puller, type BodyChannel } from "./use-pop3-pull";
import { freshStore, rawMessage } from "./pop3-test-store";

// Cancel (and sign-out, which cancels first) must not lose track of a pull: one past its last
// acknowledgement may already have sent DELE and QUIT, and the browser must still hear which
// messages the server removed, or it goes on counting them as on the server (and the sign-out
// dialog counts them as safe to remove from here).

/** A gateway that answers as the test says: the subscription's handlers, its acknowledgements. */
function fakeGateway() {
  let handlers: {
    onData(event: Pop3PullEvent): void;
    onComplete(): void;
  } | null = null;
  const acked: string[] = [];
  const unsubscribe = vi.fn();
  const client = {
    pop3: {
      pull: {
        subscribe: (_input: unknown, h: typeof handlers) => {
          handlers = h;
          return { unsubscribe };
        },
      },
      ackMany: {
        mutate: ({ uids }: { uids: string[] }) => {
          acked.push(...uids);
          return Promise.resolve();
        },
      },
    },
  };
  const bodies: BodyChannel & { closed: boolean } = {
    onmessage: null,
    closed: false,
    close() {
      this.closed = true;
    },
  };
  return {
    // Only what a pull uses of the tRPC client.
    client: client as unknown as ConstructorParameters<typeof Pop3Puller>[1],
    bodies,
    acked,
    unsubscribe,
    subscribed: () => handlers !== null,
    send: (event: Pop3PullEvent) => handlers!.onData(event),
    end: () => handlers!.onComplete(),
  };
}

describe("stopping a pull", () => {
  it("hears which messages a pull past its acknowledgements removed, and counts them as only here", async () => {
    const store = freshStore();
    const gateway = fakeGateway();
    const puller = new Pop3Puller(store, gateway.client, () => Promise.resolve(gateway.bodies));
    void puller.start();
    await vi.waitFor(() => expect(gateway.subscribed()).toBe(true));
    const raw = rawMessage(1);
    gateway.send({ type: "started", pullId: "p1", now: Date.now() });
    gateway.send({ type: "plan", count: 1, totalBytes: raw.length, deferredBytes: 0 });
    const frame = encodeBodyFrame({ uid: "u1", size: raw.length, mode: "full" }, raw);
    gateway.bodies.onmessage!({ data: frame.slice().buffer } as MessageEvent<ArrayBuffer>);
    await vi.waitFor(() => expect(gateway.acked).toEqual(["u1"]));

    // Cancel, as the gateway passes its check for it: it goes on to DELE and QUIT.
    const stopped = puller.cancel();
    expect(puller.get().state.phase).toBe("stopping");
    // The gateway hears "stop" from the body channel; the subscription stays to hear the end.
    expect(gateway.bodies.closed).toBe(true);
    expect(gateway.unsubscribe).not.toHaveBeenCalled();
    gateway.send({ type: "done", stored: 1, deleted: ["u1"], deletionsCommitted: true, cancelled: false });
    gateway.end();
    await stopped;

    expect(await store.countOnlyHere()).toBe(1);
    expect(await store.known()).toEqual([]);
    expect(puller.get()).toMatchObject({ state: { phase: "idle" }, outcome: { kind: "done", stored: 1 } });
  });

  it("says cancelled when the gateway stopped the pull before any DELE", async () => {
    const store = freshStore();
    const gateway = fakeGateway();
    const puller = new Pop3Puller(store, gateway.client, () => Promise.resolve(gateway.bodies));
    void puller.start();
    await vi.waitFor(() => expect(gateway.subscribed()).toBe(true));
    gateway.send({ type: "started", pullId: "p1", now: Date.now() });
    const stopped = puller.cancel();
    gateway.send({ type: "error", code: "INTERNAL" });
    await stopped;
    expect(puller.get().outcome?.kind).toBe("cancelled");
  });

  it("starts no pull while held (the sign-out dialog is open), and does once let go", async () => {
    const store = freshStore();
    const gateway = fakeGateway();
    const puller = new Pop3Puller(store, gateway.client, () => Promise.resolve(gateway.bodies));
    const letGo = puller.hold();
    await puller.start();
    expect(gateway.subscribed()).toBe(false);
    expect(puller.get().state.phase).toBe("idle");
    letGo();
    void puller.start();
    await vi.waitFor(() => expect(gateway.subscribed()).toBe(true));
  });
});
