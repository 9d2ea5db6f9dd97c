import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { UploadStore } from "../src/compose/upload-store";
import { Slots } from "../src/limits";
import { pullPop3 } from "../src/pop3/pull";
import {
  fakeServerClient,
  fakeServerSession,
  pullSessionToEnd,
  removeAfterPullPolicy,
  useFakePop3Server,
} from "./helpers";

// A hostile or broken POP3 server cannot make the gateway hold unbounded memory or time: an
// endless UIDL, a RETR larger than its LIST said, a server that trickles a byte now and then.

const fakePop3Server = useFakePop3Server();

const GiB = 1024 ** 3;

describe("POP3 answers are bounded", () => {
  it("stops an endless UIDL at the listing limit with SERVER_REFUSED", async () => {
    const server = await fakePop3Server({ hugeUidl: { user: "ana", bytes: GiB } });
    const client = await fakeServerClient(server, { limits: { pop3MaxListingBytes: 1024 * 1024 } });
    await expect(client.uidl()).rejects.toMatchObject({ code: "SERVER_REFUSED", command: "UIDL" });
    expect(client.closed).toBe(true);
    // The server was cut off long before its gigabyte.
    await new Promise((r) => setTimeout(r, 100));
    expect(server.streamedBytes).toBeLessThan(64 * 1024 * 1024);
  });

  it("stops a UIDL with too many lines", async () => {
    const server = await fakePop3Server({ hugeUidl: { user: "ana", bytes: 10 * 1024 * 1024 } });
    const client = await fakeServerClient(server, { limits: { pop3MaxListingLines: 5_000 } });
    await expect(client.uidl()).rejects.toMatchObject({ code: "SERVER_REFUSED" });
  });

  it("stops a RETR larger than the message limit with MESSAGE_TOO_LARGE, even when LIST lied", async () => {
    const server = await fakePop3Server({
      messages: [Buffer.from("Subject: x\r\n\r\nx\r\n")],
      hugeRetr: { bytes: GiB, listedSize: 100 },
    });
    const client = await fakeServerClient(server, { limits: { pop3MaxMessageBytes: 2 * 1024 * 1024 } });
    await expect(client.retr(1)).rejects.toMatchObject({ code: "MESSAGE_TOO_LARGE", command: "RETR" });
    await new Promise((r) => setTimeout(r, 100));
    expect(server.streamedBytes).toBeLessThan(64 * 1024 * 1024);
  });

  it("ends a command at its overall deadline although bytes keep trickling in", async () => {
    const server = await fakePop3Server({
      messages: [Buffer.from("Subject: x\r\n\r\nx\r\n")],
      hugeRetr: { bytes: 1024 * 1024, trickleMs: 20 },
    });
    const client = await fakeServerClient(server, {
      timeoutMs: 5_000,
      limits: { pop3CommandDeadlineMs: 400 },
    });
    const started = Date.now();
    await expect(client.retr(1)).rejects.toMatchObject({ code: "TIMEOUT", command: "RETR" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("a pull brings a message over the limit as headers only and never deletes it", async () => {
    const big = Buffer.from(`Subject: big\r\n\r\n${"y".repeat(1000)}\r\n`.repeat(100));
    const small = Buffer.from("Subject: small\r\n\r\nhello\r\n");
    const server = await fakePop3Server({ messages: [small, big] });
    const got: Array<{ uid: string; mode: string; bytes: number }> = [];
    const result = await pullPop3({
      endpoint: {
        host: server.host,
        port: server.port,
        security: "none",
        limits: { pop3MaxMessageBytes: 10_000 },
      },
      credentials: { user: "ana", password: "tajna" },
      known: new Map(),
      policy: removeAfterPullPolicy,
      onMessage: async (m) => {
        got.push({ uid: m.uid, mode: m.mode, bytes: m.raw.length });
      },
    });
    expect(got.map((g) => g.mode)).toEqual(["full", "headers"]);
    expect(got[1]!.bytes).toBeLessThan(100);
    expect(result.deleted).toEqual(["uid-1-x"]);
    expect(server.messages[1]).not.toBeNull();
  });
});

describe("uploads are bounded per session", () => {
  it("refuses past the count and the total, and gives room back on remove", async () => {
    const store = new UploadStore({ uploadsPerSession: 2, uploadBytesPerSession: 1000 });
    try {
      const a = await store.save("s1", Readable.from([Buffer.alloc(400)]), 10_000);
      await store.save("s1", Readable.from([Buffer.alloc(400)]), 10_000);
      await expect(store.save("s1", Readable.from([Buffer.alloc(10)]), 10_000)).rejects.toMatchObject({
        code: "RATE_LIMITED",
      });
      // Another session has its own room.
      await store.save("s2", Readable.from([Buffer.alloc(900)]), 10_000);
      await store.remove("s1", a.id);
      await expect(store.save("s1", Readable.from([Buffer.alloc(700)]), 10_000)).rejects.toMatchObject({
        code: "MESSAGE_TOO_LARGE",
      });
      // The refused upload left nothing counted.
      await store.save("s1", Readable.from([Buffer.alloc(500)]), 10_000);
    } finally {
      await store.close();
    }
  });
});

describe("uploads kept on disk", () => {
  it("two first uploads at once are both found (one folder for the gateway, not one each)", async () => {
    const store = new UploadStore({ uploadBytesPerSession: 10_000 });
    try {
      const saved = await Promise.all(
        [1, 2, 3].map((n) => store.save("s1", Readable.from([Buffer.alloc(100, n)]), 10_000)),
      );
      for (const [i, { id }] of saved.entries()) {
        const { stream } = await store.open("s1", id);
        expect(Buffer.concat((await stream.toArray()) as Buffer[])).toEqual(Buffer.alloc(100, i + 1));
      }
    } finally {
      await store.close();
    }
  });
});

describe("uploads are bounded per account and per gateway", () => {
  const bytes = (n: number) => Readable.from([Buffer.alloc(n)]);

  it("an account's sessions share one bound: signing in again does not give more room", async () => {
    const store = new UploadStore({ uploadBytesPerSession: 1000, uploadBytesPerAccount: 1500 });
    try {
      const first = await store.save("s1", bytes(900), 10_000, "Ana@pismo.test");
      await expect(store.save("s2", bytes(700), 10_000, "ana@pismo.test")).rejects.toMatchObject({
        code: "MESSAGE_TOO_LARGE",
        message: expect.stringContaining("on all its devices") as unknown,
      });
      // Another account is not held back by Ana's files.
      await store.save("s3", bytes(900), 10_000, "bob@pismo.test");
      // Room comes back when a file is removed, and when a session ends.
      await store.remove("s1", first.id);
      await store.save("s2", bytes(900), 10_000, "ana@pismo.test");
      await store.clear("s2");
      await store.save("s4", bytes(1000), 10_000, "ana@pismo.test");
    } finally {
      await store.close();
    }
  });

  it("the whole gateway has a bound, given back as files go", async () => {
    const store = new UploadStore({ uploadBytesPerSession: 1000, uploadBytesPerGateway: 2000 });
    try {
      await store.save("s1", bytes(1000), 10_000, "a@pismo.test");
      const held = await store.save("s2", bytes(1000), 10_000, "b@pismo.test");
      await expect(store.save("s3", bytes(10), 10_000, "c@pismo.test")).rejects.toMatchObject({
        code: "RATE_LIMITED",
      });
      await store.remove("s2", held.id);
      await store.save("s3", bytes(10), 10_000, "c@pismo.test");
    } finally {
      await store.close();
    }
  });

  it("a file still coming in when its session ends is not kept, and gives its bytes back", async () => {
    const store = new UploadStore({ uploadBytesPerSession: 1000, uploadBytesPerGateway: 1000 });
    try {
      const body = new Readable({ read() {} });
      const push = (chunk: Buffer | null) => body.push(chunk);
      const saving = store.save("s1", body, 10_000, "a@pismo.test");
      push(Buffer.alloc(600));
      await new Promise((r) => setTimeout(r, 50));
      await store.clear("s1");
      push(null);
      await expect(saving).rejects.toMatchObject({ code: "NOT_SIGNED_IN" });
      await store.save("s2", bytes(1000), 10_000, "b@pismo.test");
    } finally {
      await store.close();
    }
  });
});

describe("POP3 pulls of the whole gateway are bounded", () => {
  it("one past the gateway's pulls waits its turn, and after its wait answers GATEWAY_BUSY with nothing removed", async () => {
    const message = (n: number) => Buffer.from(`Subject: m${n}\r\n\r\nx\r\n`);
    const [serverA, serverB, serverC] = await Promise.all(
      [1, 2, 3].map((n) => fakePop3Server({ messages: [message(n)] })),
    );
    const gatewayPulls = new Slots(1);
    const a = fakeServerSession(serverA!, { gatewayPulls });
    const b = fakeServerSession(serverB!, { gatewayPulls, pullSlotWaitMs: 200 });
    const c = fakeServerSession(serverC!, { gatewayPulls });

    // A holds the gateway's one pull until its browser acknowledges.
    let ackA!: () => void;
    const held = new Promise<void>((resolve) => (ackA = resolve));
    const pullA = pullSessionToEnd(a, async (event, pullId) => {
      await held;
      a.ackMany(pullId, [event.uid]);
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(gatewayPulls.inUse).toBe(1);

    // B waits 200 ms, then is refused without having spoken to its server.
    const refused = await pullSessionToEnd(b, () => undefined);
    expect(refused).toEqual([{ type: "error", code: "GATEWAY_BUSY" }]);
    expect(serverB!.commands).toEqual([]);

    // One whose browser leaves while it waits gives up its place in the queue at once.
    const leaving = new AbortController();
    const d = fakeServerSession(serverB!, { gatewayPulls });
    const pullD = (async () => {
      const events = [];
      for await (const e of d.pull({ known: new Map(), policy: removeAfterPullPolicy }, leaving.signal))
        events.push(e);
      return events;
    })();
    await new Promise((r) => setTimeout(r, 50));
    expect(gatewayPulls.waiting).toBe(1);
    leaving.abort();
    expect(await pullD).toEqual([]);
    expect(gatewayPulls.waiting).toBe(0);

    // C waits, and runs once A is done.
    const pullC = pullSessionToEnd(c, (event, pullId) => c.ackMany(pullId, [event.uid]));
    await new Promise((r) => setTimeout(r, 100));
    expect(serverC!.commands).toEqual([]);
    ackA();
    expect((await pullA).at(-1)).toMatchObject({ type: "done", stored: 1 });
    expect((await pullC).at(-1)).toMatchObject({ type: "done", stored: 1 });
    expect(serverC!.commands.filter((x) => x.startsWith("DELE"))).toHaveLength(1);
    expect(gatewayPulls.inUse).toBe(0);
  }, 20_000);
});
