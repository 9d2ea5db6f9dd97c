import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passwordForms, startRedis, type ServiceProcess } from "@pismo/mail-harness";
import { Redis } from "ioredis";
import { FileSessionStore } from "../src/sessions/stores/file-store";
import { RedisSessionStore } from "../src/sessions/stores/redis-store";
import type { SessionRecordStore, StoredSession } from "../src/sessions/stores/record-store";
import { newSessionToken, openSecret, sealSecret, sessionRef } from "../src/sessions/session-crypto";
import { SessionStore } from "../src/sessions/session-store";
import { createLogger } from "../src/log";
import { sealedSends } from "../src/smtp/kept-sends";
import type { LeasedMail } from "../src/cluster/leased-mail";

// The same contract, run against both stores: what the session registry relies on.
const IDLE = 60_000;
const secret = Buffer.from("a-server-secret-of-at-least-32-characters!", "utf8");

function record(password: string, token = newSessionToken(), expiresIn = 3_600_000): StoredSession {
  return {
    v: 1,
    account: {
      protocol: "imap",
      email: "ana@pismo.test",
      server: { host: "127.0.0.1", port: 143, security: "none" },
    },
    clientAddress: "127.0.0.1",
    createdAt: Date.now(),
    expiresAt: Date.now() + expiresIn,
    sealed: sealSecret(secret, token, password),
  };
}

interface Backend {
  name: string;
  open(idleMs?: number): Promise<SessionRecordStore>;
  /** Every byte the store holds at rest. */
  dump(): Promise<Buffer>;
  setup(): Promise<void>;
  teardown(): Promise<void>;
}

let redis: (ServiceProcess & { url: string; dumpDir: string }) | null = null;
let dataDir = "";
const backends: Backend[] = [
  {
    name: "file store",
    async setup() {
      dataDir = await mkdtemp(path.join(os.tmpdir(), "pismo-store-"));
    },
    async teardown() {
      await rm(dataDir, { recursive: true, force: true });
    },
    open: (idleMs = IDLE) => FileSessionStore.open(dataDir, idleMs),
    async dump() {
      const names = await readdir(dataDir, { recursive: true });
      const files = await Promise.all(
        names.map(async (n) => {
          const file = path.join(dataDir, n);
          return (await stat(file)).isFile() ? readFile(file) : Buffer.alloc(0);
        }),
      );
      return Buffer.concat(files);
    },
  },
  {
    name: "Redis store",
    async setup() {
      redis = await startRedis();
    },
    async teardown() {
      await redis?.stop();
    },
    open: () => RedisSessionStore.connect(redis?.url ?? ""),
    async dump() {
      // The store's bytes as Redis writes them to disk (RDB), and every value as stored.
      const client = new Redis(redis?.url ?? "");
      try {
        await client.save();
        const keys = await client.keys("*");
        const values = await Promise.all(
          keys.map(async (k) =>
            (await client.type(k)) === "hash"
              ? Buffer.concat(await client.hvalsBuffer(k))
              : await client.getBuffer(k),
          ),
        );
        const rdb = await readFile(path.join(redis?.dumpDir ?? "", "dump.rdb"));
        return Buffer.concat([rdb, ...values.filter((v): v is Buffer => v !== null)]);
      } finally {
        client.disconnect();
      }
    },
  },
];

describe.each(backends)("$name", (backend) => {
  let store: SessionRecordStore;
  beforeAll(async () => {
    await backend.setup();
    store = await backend.open();
  });
  afterAll(async () => {
    await store.close();
    await backend.teardown();
  });

  it("keeps a record until it is removed", async () => {
    const token = newSessionToken();
    const ref = sessionRef(token.id);
    const rec = record("hunter2-long-password", token);
    await store.save(ref, rec, IDLE);
    expect(await store.load(ref)).toEqual(rec);
    await store.remove(ref);
    expect(await store.load(ref)).toBeNull();
  });

  it("touching answers which records were removed (ended), not one merely missing", async () => {
    const kept = sessionRef(newSessionToken().id);
    const removed = sessionRef(newSessionToken().id);
    await store.save(kept, record("pw-kept-00000000"), IDLE);
    await store.save(removed, record("pw-removed-00000"), IDLE);
    await store.remove(removed);
    // Never there, or lost with the store (no word that it ended): no session ends for it.
    const never = sessionRef(newSessionToken().id);
    expect(await store.touch([kept, removed, never], IDLE)).toEqual([removed]);
    expect(await store.touch([], IDLE)).toEqual([]);
    await store.remove(kept);
  });

  it("refuses a record past its absolute end", async () => {
    const token = newSessionToken();
    const ref = sessionRef(token.id);
    await store.save(ref, record("pw-expired-0000", token, 150), IDLE);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await store.load(ref)).toBeNull();
  });

  it("forgets a record nobody touched for the idle time, keeps one that was touched", async () => {
    const idle = await backend.open(400);
    try {
      const a = sessionRef(newSessionToken().id);
      const b = sessionRef(newSessionToken().id);
      await idle.save(a, record("pw-idle-a-000000"), 400);
      await idle.save(b, record("pw-idle-b-000000"), 400);
      await new Promise((resolve) => setTimeout(resolve, 250));
      await idle.touch([b], 400);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await idle.load(a)).toBeNull();
      expect(await idle.load(b)).not.toBeNull();
    } finally {
      if (idle !== store) await idle.close();
    }
  });

  it("hands the lease over and names the previous holder", async () => {
    const ref = sessionRef(newSessionToken().id);
    expect(await store.takeLease(ref, "gw-a", 10_000)).toBeNull();
    expect(await store.leaseHolder(ref)).toBe("gw-a");
    expect(await store.takeLease(ref, "gw-a", 10_000)).toBeNull();
    expect(await store.takeLease(ref, "gw-b", 10_000)).toBe("gw-a");
    // The old holder's renewal tells it the lease is gone; the new holder's succeeds.
    expect(await store.renewLeases([ref], "gw-a", 10_000)).toEqual([ref]);
    expect(await store.renewLeases([ref], "gw-b", 10_000)).toEqual([]);
    await store.releaseLease(ref, "gw-a");
    expect(await store.leaseHolder(ref)).toBe("gw-b");
    await store.releaseLease(ref, "gw-b");
    expect(await store.leaseHolder(ref)).toBeNull();
  });

  it("lets a lease lapse when it is not renewed", async () => {
    const ref = sessionRef(newSessionToken().id);
    await store.takeLease(ref, "gw-a", 100);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await store.leaseHolder(ref)).toBeNull();
  });

  it("delivers messages to the channel's subscribers, and none after unsubscribing", async () => {
    const got: string[] = [];
    await store.subscribe("acct:test", (m) => got.push(m));
    await store.publish("acct:test", "one");
    await store.publish("acct:other", "not for us");
    await expect.poll(() => got).toEqual(["one"]);
    await store.unsubscribe("acct:test");
    await store.publish("acct:test", "two");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(got).toEqual(["one"]);
  });

  it("holds no password in any encoding, and the record alone opens nothing", async () => {
    const passwords = ["Zažmuri-ključ-Щ-✓-2026!", "plain-ascii-password-42", "=QP=needs=escaping= ok"];
    const tokens = passwords.map(() => newSessionToken());
    for (const [i, password] of passwords.entries()) {
      const token = tokens[i];
      if (!token) throw new Error("no token");
      await store.save(sessionRef(token.id), record(password, token), IDLE);
    }
    const bytes = await backend.dump();
    expect(bytes.length).toBeGreaterThan(0);
    const asLatin1 = bytes.toString("latin1");
    for (const password of passwords)
      for (const form of passwordForms(password))
        expect(asLatin1.includes(form), `${password} as ${form}`).toBe(false);
    for (const token of tokens) {
      // Neither half of the cookie is at rest either.
      if (!token) continue;
      expect(asLatin1.includes(token.id)).toBe(false);
      expect(asLatin1.includes(token.key)).toBe(false);
      const stored = await store.load(sessionRef(token.id));
      if (!stored) throw new Error("record missing");
      // Both halves open it; either alone, or another session's key, does not.
      expect(openSecret(secret, token, stored.sealed)).not.toBeNull();
      expect(
        openSecret(Buffer.from("another-server-secret-of-32-chars-or-more"), token, stored.sealed),
      ).toBeNull();
      expect(openSecret(secret, { ...token, key: newSessionToken().key }, stored.sealed)).toBeNull();
    }
  });

  // A gateway that stops before the browser took a send's answer (a POP3 account's Sent copy)
  // keeps it here, for the gateway that resumes the session.
  const bounds = { keepMs: 60_000, maxCount: 3, maxBytes: 100 };
  const sent = (sealed: string, bytes = 10) => ({ sealed, bytes });
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

  it("keeps a send's answer for its session until forgotten, and with the session removes it", async () => {
    const token = newSessionToken();
    const ref = sessionRef(token.id);
    const other = sessionRef(newSessionToken().id);
    await store.save(ref, record("pw-kept-send-0000", token), IDLE);
    await store.save(other, record("pw-kept-other-000"), IDLE);
    expect(await store.keepSent(ref, "send-aaaaaaaaaaaaaaaa", sent("sealed-a"), bounds)).toBe(0);
    expect(await store.keepSent(ref, "send-bbbbbbbbbbbbbbbb", sent("sealed-b"), bounds)).toBe(0);
    expect(await store.findSent(ref, "send-aaaaaaaaaaaaaaaa")).toBe("sealed-a");
    // Another session's, or an id never kept: nothing.
    expect(await store.findSent(other, "send-aaaaaaaaaaaaaaaa")).toBeNull();
    expect(await store.findSent(ref, "send-cccccccccccccccc")).toBeNull();
    // Kept again under the same id: replaced, not counted twice.
    expect(await store.keepSent(ref, "send-aaaaaaaaaaaaaaaa", sent("sealed-a2"), bounds)).toBe(0);
    expect(await store.findSent(ref, "send-aaaaaaaaaaaaaaaa")).toBe("sealed-a2");
    await store.forgetSent(ref, "send-aaaaaaaaaaaaaaaa");
    expect(await store.findSent(ref, "send-aaaaaaaaaaaaaaaa")).toBeNull();
    expect(await store.findSent(ref, "send-bbbbbbbbbbbbbbbb")).toBe("sealed-b");
    // Signed out: its kept sends go with it; and nothing is kept for a session with no record.
    await store.remove(ref);
    expect(await store.findSent(ref, "send-bbbbbbbbbbbbbbbb")).toBeNull();
    expect(await store.keepSent(ref, "send-dddddddddddddddd", sent("sealed-d"), bounds)).toBeNull();
    expect(await store.findSent(ref, "send-dddddddddddddddd")).toBeNull();
    await store.remove(other);
  });

  it("bounds a session's kept answers by count and bytes, the oldest making room", async () => {
    const ref = sessionRef(newSessionToken().id);
    const other = sessionRef(newSessionToken().id);
    await store.save(ref, record("pw-kept-bounds-00"), IDLE);
    await store.save(other, record("pw-kept-bounds-01"), IDLE);
    const ids = ["a", "b", "c", "d", "e", "f"].map((c) => `bound-${c.repeat(16)}`);
    const [a = "", b = "", c = "", d = "", e = "", f = ""] = ids;
    expect(await store.keepSent(other, a, sent("other-a", 90), bounds)).toBe(0);
    expect(await store.keepSent(ref, a, sent("sealed-a", 40), bounds)).toBe(0);
    await tick();
    expect(await store.keepSent(ref, b, sent("sealed-b", 40), bounds)).toBe(0);
    await tick();
    // 120 bytes: the oldest goes.
    expect(await store.keepSent(ref, c, sent("sealed-c", 40), bounds)).toBe(1);
    await tick();
    expect(await store.keepSent(ref, d, sent("sealed-d", 5), bounds)).toBe(0);
    await tick();
    // Four answers: the oldest goes.
    expect(await store.keepSent(ref, e, sent("sealed-e", 5), bounds)).toBe(1);
    expect(await Promise.all(ids.slice(0, 5).map((id) => store.findSent(ref, id)))).toEqual([
      null,
      null,
      "sealed-c",
      "sealed-d",
      "sealed-e",
    ]);
    // One over the bound alone is not kept, and takes nothing with it.
    await expect(store.keepSent(ref, f, sent("sealed-f", 101), bounds)).rejects.toThrow();
    expect(await store.findSent(ref, c)).toBe("sealed-c");
    expect(await store.findSent(ref, f)).toBeNull();
    // Another session's bound is its own.
    expect(await store.findSent(other, a)).toBe("other-a");
    await store.remove(ref);
    await store.remove(other);
  });

  it("forgets a kept answer past its time", async () => {
    const ref = sessionRef(newSessionToken().id);
    await store.save(ref, record("pw-kept-expiry-00"), IDLE);
    const id = "expiring-0000000000000";
    // Long enough to be read back on a slow machine, short enough to wait out.
    await store.keepSent(ref, id, sent("sealed"), { ...bounds, keepMs: 1_500 });
    expect(await store.findSent(ref, id)).toBe("sealed");
    await new Promise((resolve) => setTimeout(resolve, 1_800));
    expect(await store.findSent(ref, id)).toBeNull();
    // Past its time it no longer counts either.
    const fresh = "fresh-00000000000000000";
    expect(await store.keepSent(ref, fresh, sent("sealed-fresh", 100), bounds)).toBe(0);
    await store.remove(ref);
  });

  it("holds no message at rest in any encoding: sealed as the password is, opened only with the cookie", async () => {
    const token = newSessionToken();
    const ref = sessionRef(token.id);
    await store.save(ref, record("pw-kept-sealed-00", token), IDLE);
    const body = "Tajni ugovor: šifra sefa je 4711-Ž";
    const raw = Buffer.from(`Subject: Ugovor\r\n\r\n${body}\r\n`).toString("base64");
    const answer = { messageId: "<ugovor-1@pismo.test>", raw, rejected: [] as string[] };
    const limits = { heldSendsPerSession: 3, heldSendBytesPerSession: 10_000 };
    const parse = (value: unknown) => value as typeof answer;
    const kept = sealedSends({ records: store, secret, token, limits, parse });
    await kept.keep("sealed-send-000000000", answer, raw.length);
    expect(await kept.find("sealed-send-000000000")).toEqual(answer);

    const text = (await backend.dump()).toString("latin1");
    for (const form of [...passwordForms(body), raw, answer.messageId])
      expect(text.includes(form), `the message as ${form}`).toBe(false);
    // Another cookie key, or another server secret, opens nothing; nor does the answer moved
    // to another id of the session.
    const wrongKey = sealedSends({
      records: store,
      secret,
      token: { ...token, key: newSessionToken().key },
      limits,
      parse,
    });
    expect(await wrongKey.find("sealed-send-000000000")).toBeNull();
    const otherSecret = Buffer.from("another-server-secret-of-32-chars-or-more");
    const wrongSecret = sealedSends({ records: store, secret: otherSecret, token, limits, parse });
    expect(await wrongSecret.find("sealed-send-000000000")).toBeNull();
    const moved = await store.findSent(ref, "sealed-send-000000000");
    await store.keepSent(ref, "moved-send-0000000000", sent(moved ?? ""), bounds);
    expect(await kept.find("moved-send-0000000000")).toBeNull();
    await kept.forget("sealed-send-000000000");
    expect(await kept.find("sealed-send-000000000")).toBeNull();
    await store.remove(ref);
  });
});

describe("file store: the sweep", () => {
  it("removes the kept sends of a session whose record is gone, past their time, or a crash left half-written", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "pismo-sent-sweep-"));
    const store = await FileSessionStore.open(dir, IDLE);
    try {
      const bounds = { keepMs: 60_000, maxCount: 3, maxBytes: 100 };
      const live = sessionRef(newSessionToken().id);
      const lost = sessionRef(newSessionToken().id);
      await store.save(live, record("pw-sweep-live-000"));
      await store.save(lost, record("pw-sweep-lost-000"));
      await store.keepSent(live, "kept-0000000000000000", { sealed: "a", bytes: 1 }, bounds);
      await store.keepSent(
        live,
        "expiring-000000000000",
        { sealed: "b", bytes: 1 },
        { ...bounds, keepMs: 50 },
      );
      await store.keepSent(lost, "kept-0000000000000000", { sealed: "c", bytes: 1 }, bounds);
      await writeFile(path.join(dir, "sent", live, "crashed-00000000.0123abcd.tmp"), "half");
      // The record lost without a word (a crash between its removal and its sends'), one
      // answer past its time.
      await rm(path.join(dir, "sessions", `${lost}.json`));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await store.sweep();
      expect(await readdir(path.join(dir, "sent"))).toEqual([live]);
      expect((await readdir(path.join(dir, "sent", live))).map((n) => n.split(".")[0])).toEqual([
        "kept-0000000000000000",
      ]);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// A gateway killed outright (SIGKILL, a crash) lets go of nothing: its leases last until they
// lapse. Its connection to Redis closes with the process, and with it its running mark, so the
// other gateways know at once that its leases hold nobody's connection.
describe("Redis store: which gateways run", () => {
  let server: ServiceProcess & { url: string };
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("says a gateway runs while its connection lasts, and not once it is dropped, though its lease stays; one that never said so runs", async () => {
    const other = await RedisSessionStore.connect(server.url);
    const killed = await RedisSessionStore.connect(server.url);
    try {
      // A gateway that never said so (an older version, mid-deploy) is not taken for stopped.
      expect(await other.isRunning("gw-killed")).toBe(true);
      await killed.markRunning("gw-killed");
      await other.markRunning("gw-other");
      const ref = sessionRef(newSessionToken().id);
      await killed.takeLease(ref, "gw-killed", 30_000);
      expect(await other.isRunning("gw-killed")).toBe(true);
      expect(await other.isRunning("gw-other")).toBe(true);

      // What Redis sees of a process killed: its connections close, nothing is said.
      for (const connection of Object.values(killed as unknown as Record<string, unknown>))
        if (connection instanceof Redis) connection.disconnect(false);
      await expect.poll(() => other.isRunning("gw-killed")).toBe(false);
      expect(await other.leaseHolder(ref)).toBe("gw-killed");
      expect(await other.isRunning("gw-other")).toBe(true);
    } finally {
      await other.close();
      await killed.close().catch(() => undefined);
    }
  });
});

// The cookie is an id and a key; the record is found by the id and opened by the key. A cookie
// with the right id and a wrong key, arriving while the owner's session is being resumed (after
// a restart, or on another gateway), once shared the owner's resume and got the session, or,
// arriving first, made the owner's resume fail.
describe("resuming a session from its record", () => {
  it("gives it to the cookie that holds its key only, whichever arrives first", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "pismo-resume-"));
    try {
      const log = createLogger("silent");
      const registry = async () =>
        new SessionStore(
          {
            idleMs: IDLE,
            maxLifetimeMs: 3_600_000,
            durable: { records: await FileSessionStore.open(dir, IDLE), secret, gatewayId: "g1" },
          },
          log,
        );
      const { cookie } = await (
        await registry()
      ).create({ account: record("x").account, password: "hunter2-Š", clientAddress: "127.0.0.1" });
      const [id] = cookie.split(".");
      const forged = `${id}.${"A".repeat(43)}`;
      const request = (value: string) =>
        ({ headers: { cookie: `pismo_session=${value}` } }) as IncomingMessage;

      expect(await (await registry()).resolve(request(forged))).toBeNull();
      const together = await registry();
      const [owner, other] = await Promise.all([
        together.resolve(request(cookie)),
        together.resolve(request(forged)),
      ]);
      expect(owner?.password).toBe("hunter2-Š");
      expect(other).toBeNull();
      const forgedFirst = await registry();
      const [other2, owner2] = await Promise.all([
        forgedFirst.resolve(request(forged)),
        forgedFirst.resolve(request(cookie)),
      ]);
      expect(other2).toBeNull();
      expect(owner2?.password).toBe("hunter2-Š");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("resuming a session on a second gateway while it is signed out on the first", () => {
  it("does not keep the session when the sign-out's word came before the account's channel was heard", async () => {
    const server = await startRedis();
    const log = createLogger("silent");
    const registry = (records: SessionRecordStore, gatewayId: string) =>
      new SessionStore(
        { idleMs: IDLE, maxLifetimeMs: 3_600_000, durable: { records, secret, gatewayId } },
        log,
      );
    const first = registry(await RedisSessionStore.connect(server.url), "g1");
    const secondRecords = await RedisSessionStore.connect(server.url);
    let cookie = "";
    // The second gateway's subscription is slow; the sign-out on the first happens meanwhile.
    const slowSubscribe = new Proxy(secondRecords, {
      get(target, key) {
        if (key === "subscribe")
          return async (channel: string, onMessage: (message: string) => void) => {
            await first.destroyByCookie(request(cookie));
            return target.subscribe(channel, onMessage);
          };
        const value: unknown = Reflect.get(target, key);
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const second = registry(slowSubscribe, "g2");
    const request = (value: string) => ({ headers: { cookie: `pismo_session=${value}` } }) as IncomingMessage;
    try {
      ({ cookie } = await first.create({
        account: record("x").account,
        password: "hunter2",
        clientAddress: "127.0.0.1",
      }));
      expect(first.fromRequest(request(cookie))).not.toBeNull();
      expect(await second.resolve(request(cookie))).toBeNull();
      expect(first.size).toBe(0);
      expect(second.size).toBe(0);
    } finally {
      await first.closeAll();
      await second.closeAll();
      await server.stop();
    }
  });
});

describe("a session signed out on one gateway while another missed the word", () => {
  it("ends on the other at its next renewal: its record is gone", async () => {
    const server = await startRedis();
    const log = createLogger("silent");
    // The first gateway's "ended" never reaches the second (its subscriber was reconnecting).
    const deaf = (records: SessionRecordStore) =>
      new Proxy(records, {
        get(target, key) {
          if (key === "publish") return async () => undefined;
          const value: unknown = Reflect.get(target, key);
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    const registry = (records: SessionRecordStore, gatewayId: string) =>
      new SessionStore(
        { idleMs: IDLE, maxLifetimeMs: 3_600_000, durable: { records, secret, gatewayId, renewMs: 100 } },
        log,
      );
    const first = registry(deaf(await RedisSessionStore.connect(server.url)), "g1");
    const second = registry(await RedisSessionStore.connect(server.url), "g2");
    const request = (value: string) => ({ headers: { cookie: `pismo_session=${value}` } }) as IncomingMessage;
    try {
      const { cookie } = await first.create({
        account: record("x").account,
        password: "hunter2",
        clientAddress: "127.0.0.1",
      });
      // A page attached to the second gateway (a stolen cookie, say).
      const held = await second.resolve(request(cookie));
      expect(held).not.toBeNull();
      let closed = false;
      second.attach(held!, () => (closed = true));
      // The record lost with the store (a restart without persistence): no word that it ended,
      // so the session goes on.
      const redisClient = new Redis(server.url);
      await redisClient.del(...(await redisClient.keys("pismo:s:*")));
      redisClient.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(closed).toBe(false);
      expect(second.size).toBe(1);
      await first.destroyByCookie(request(cookie));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(closed).toBe(true);
      expect(second.size).toBe(0);
      expect(second.fromRequest(request(cookie))).toBeNull();
    } finally {
      await first.closeAll();
      await second.closeAll();
      await server.stop();
    }
  });
});

describe("which gateway holds a session's connection", () => {
  it("asks the store whether the holder runs once for all sessions asking together, and again on the next check", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "pismo-holder-"));
    const files = await FileSessionStore.open(dir, IDLE);
    let asked = 0;
    // Every lease is held by gateway g2; the store answers after a moment, as Redis does.
    const records = new Proxy(files, {
      get(target, key) {
        if (key === "leaseHolder") return () => Promise.resolve("g2");
        if (key === "isRunning")
          return async (gateway: string) => {
            expect(gateway).toBe("g2");
            asked++;
            await new Promise((resolve) => setTimeout(resolve, 5));
            return true;
          };
        const value: unknown = Reflect.get(target, key);
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const registry = new SessionStore(
      { idleMs: IDLE, maxLifetimeMs: 3_600_000, durable: { records, secret, gatewayId: "g1" } },
      createLogger("silent"),
    );
    // What the registry hands each session's connection: the question "held elsewhere?".
    const questions: Array<() => Promise<boolean>> = [];
    registry.setMailFactory(
      () =>
        ({
          held: false,
          link: (hooks: { heldElsewhere: () => Promise<boolean> }) => questions.push(hooks.heldElsewhere),
          keepListened: () => Promise.resolve(),
          letGo: () => Promise.resolve(),
          close: () => Promise.resolve(),
        }) as unknown as LeasedMail,
    );
    try {
      for (let i = 0; i < 5; i++)
        await registry.create({
          account: record("x").account,
          password: `pw-${i}`,
          clientAddress: "127.0.0.1",
        });
      expect(questions).toHaveLength(5);
      expect(await Promise.all(questions.map((q) => q()))).toEqual([true, true, true, true, true]);
      expect(asked).toBe(1);
      expect(await Promise.all(questions.map((q) => q()))).toEqual([true, true, true, true, true]);
      expect(asked).toBe(2);
    } finally {
      await registry.closeAll();
      await files.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
