import { startMailServer } from "@pismo/mail-harness";
import type { MailServer } from "@pismo/mail-harness";
import { pop3PolicySchema } from "@pismo/protocol/pop3";
import type { Pop3KnownMessage, Pop3PolicyInput } from "@pismo/protocol/pop3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pullPop3 } from "../src/pop3/pull";
import type { Pop3PullOptions, Pop3PullResult } from "../src/pop3/pull";
import { pop3Uids } from "./helpers";

// Pulls against a real Dovecot, killed at each step, then pulled again: every message must end
// up in the (fake, in-memory) browser store exactly once, and none may vanish from the server
// before the store has it.

const PASSWORD = "pull-Secret-1";
let mail: MailServer;
let userSeq = 0;

beforeAll(async () => {
  mail = await startMailServer({ users: [] });
});

afterAll(async () => {
  await mail?.stop();
});

function message(i: number): Buffer {
  return Buffer.concat([
    Buffer.from(
      `From: sender${i}@primer.rs\r\nTo: someone@pismo.test\r\nSubject: message ${i}\r\nMessage-ID: <m${i}@primer.rs>\r\n`,
    ),
    Buffer.from("Content-Type: text/plain; charset=windows-1250\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"),
    Buffer.from([0x8a, 0x61, 0x9a, 0x61, 0x20, 0xe8, 0xe6, 0xf0, 0x9e, 0x0d, 0x0a]),
    Buffer.from(`.dot line ${i}\r\n${"body text ".repeat(i === 6 ? 50_000 : 20 + i * 30)}\r\n`),
  ]);
}

/** A fresh mailbox with `n` messages. */
async function mailbox(n = 20): Promise<{ user: string; sent: Buffer[] }> {
  userSeq += 1;
  const user = `pull${userSeq}@pismo.test`;
  await mail.addUser({ name: user, password: PASSWORD });
  const sent: Buffer[] = [];
  for (let i = 1; i <= n; i += 1) {
    const raw = message(i);
    sent.push(raw);
    await mail.deliver(user, raw);
  }
  return { user, sent };
}

/** The browser's IndexedDB, reduced to what matters here. */
class FakeStore {
  readonly messages = new Map<string, { raw: Buffer; storedAt: number; headersOnly: boolean }>();
  puts = 0;
  duplicates: string[] = [];
  known(): Map<string, Pop3KnownMessage> {
    return new Map(
      [...this.messages].map(([uid, m]) => [
        uid,
        { storedAt: m.storedAt, deletedLocally: false, headersOnly: m.headersOnly },
      ]),
    );
  }
  put(uid: string, raw: Buffer, headersOnly = false): void {
    this.puts += 1;
    if (this.messages.has(uid)) this.duplicates.push(uid);
    this.messages.set(uid, { raw, storedAt: Date.now(), headersOnly });
  }
}

const onServer = (user: string): Promise<string[]> => pop3Uids(mail, user, PASSWORD);

function pull(
  user: string,
  store: FakeStore,
  extra: Omit<Partial<Pop3PullOptions>, "policy"> & { policy?: Pop3PolicyInput } = {},
): Promise<Pop3PullResult> {
  const { policy, ...rest } = extra;
  return pullPop3({
    endpoint: { host: mail.host, port: mail.pop3Port, security: "none", timeoutMs: 10_000 },
    credentials: { user, password: PASSWORD },
    known: store.known(),
    policy: pop3PolicySchema.parse(policy ?? {}),
    onMessage: async ({ uid, raw, mode }) => {
      store.put(uid, raw, mode === "headers");
    },
    ...rest,
  });
}

function expectAllStoredOnce(store: FakeStore, sent: Buffer[]): void {
  expect(store.duplicates).toEqual([]);
  expect(store.messages.size).toBe(sent.length);
  const stored = [...store.messages.values()].map((m) => m.raw.toString("latin1")).sort();
  expect(stored).toEqual(sent.map((b) => b.toString("latin1")).sort());
}

describe("pullPop3 against Dovecot", () => {
  it("pulls everything byte-exact, reports plan and progress, then empties the server", async () => {
    const { user, sent } = await mailbox();
    const store = new FakeStore();
    const plans: { count: number; totalBytes: number }[] = [];
    const progress: number[] = [];
    const result = await pull(user, store, {
      onPlan: (p) => void plans.push(p),
      onProgress: (p) => progress.push(p.bytesDone),
    });
    const total = sent.reduce((s, b) => s + b.length, 0);
    expect(plans).toEqual([{ count: 20, totalBytes: total, deferredBytes: 0 }]);
    expect(progress.at(-1)).toBe(total);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress); // never goes backwards
    expect(result).toMatchObject({ cancelled: false, count: 20, deletionsCommitted: true });
    expect(result.deleted).toHaveLength(20);
    expectAllStoredOnce(store, sent);
    expect(await onServer(user)).toEqual([]);
    const again = await pull(user, store);
    expect(again.count).toBe(0);
    expect(store.puts).toBe(20);
  });

  interface Kill {
    name: string;
    storedBefore: number;
    /** The kill is the server's (a kick), seen only when the socket closes: a message already
     * read ahead (RETR is pipelined) may still be handed over, so `storedBefore` is a floor. */
    atLeast?: boolean;
    /** Pull options that make the pull die at the chosen step. */
    options?: (user: string) => Partial<Pop3PullOptions>;
    /** Runs after the store kept its n-th message; may throw (store full) or kick the session. */
    afterStore?: (n: number, user: string) => Promise<void>;
  }

  const kills: Kill[] = [
    {
      name: "after UIDL/LIST",
      storedBefore: 0,
      options: () => ({
        onStep: (step) => {
          if (step === "listed") throw new Error("gateway died");
        },
      }),
    },
    {
      name: "mid-RETR (the gateway dies while message 6 streams in)",
      storedBefore: 5,
      options: () => ({
        onProgress: (p) => {
          // Between the end of message 5 and the end of message 6: inside RETR 6's body.
          if (p.messagesDone === 5 && p.bytesDone > boundary(5) && p.bytesDone < boundary(6)) {
            killedMidRetr = true;
            throw new Error("gateway died mid-RETR");
          }
        },
      }),
    },
    {
      name: "after 7 acks (the server drops the connection)",
      storedBefore: 7,
      atLeast: true,
      afterStore: async (n, user) => {
        if (n === 7) await mail.doveadm(["kick", user]);
      },
    },
    {
      name: "when the browser's storage is full at message 9",
      storedBefore: 8,
      afterStore: async (n) => {
        if (n === 8) storageFull = true;
      },
    },
    {
      name: "after every DELE, before QUIT",
      storedBefore: 20,
      options: () => ({
        onStep: (step) => {
          if (step === "deleted") throw new Error("gateway died before QUIT");
        },
      }),
    },
  ];

  let killedMidRetr = false;
  let storageFull = false;
  let sizes: number[] = [];
  const boundary = (n: number): number => sizes.slice(0, n).reduce((a, b) => a + b, 0);

  for (const scenario of kills) {
    it(`killed ${scenario.name}: nothing lost, nothing twice`, async () => {
      const { user, sent } = await mailbox();
      sizes = sent.map((b) => b.length);
      killedMidRetr = false;
      storageFull = false;
      const store = new FakeStore();
      const first = pull(user, store, {
        ...scenario.options?.(user),
        onMessage: async ({ uid, raw }) => {
          if (storageFull) throw Object.assign(new Error("QuotaExceededError"), { code: "STORAGE_FULL" });
          store.put(uid, raw);
          await scenario.afterStore?.(store.messages.size, user);
        },
      });
      await expect(first).rejects.toThrow();
      if (scenario.name.startsWith("mid-RETR")) expect(killedMidRetr).toBe(true);
      const kept = store.messages.size;
      if (scenario.atLeast) {
        expect(kept).toBeGreaterThanOrEqual(scenario.storedBefore);
        expect(kept).toBeLessThan(20);
      } else expect(kept).toBe(scenario.storedBefore);
      // Nothing was deleted on the server: the failed pull never sent QUIT.
      expect(await onServer(user)).toHaveLength(20);

      const second = await pull(user, store);
      expect(second.count).toBe(20 - kept);
      expect(second.deleted).toHaveLength(20);
      expectAllStoredOnce(store, sent);
      expect(await onServer(user)).toEqual([]);
    });
  }

  it("cancelled half-way: keeps what was stored, deletes nothing, the next pull finishes", async () => {
    const { user, sent } = await mailbox();
    const store = new FakeStore();
    const first = await pull(user, store, { isCancelled: () => store.messages.size >= 10 });
    expect(first).toMatchObject({ cancelled: true, deleted: [] });
    expect(store.messages.size).toBe(10);
    expect(await onServer(user)).toHaveLength(20);
    const second = await pull(user, store);
    expect(second.count).toBe(10);
    expectAllStoredOnce(store, sent);
    expect(await onServer(user)).toEqual([]);
  });

  it("leave a copy: the server keeps everything and another device gets it all as new", async () => {
    const { user, sent } = await mailbox(5);
    const a = new FakeStore();
    await pull(user, a, { policy: { leaveOnServer: true } });
    expectAllStoredOnce(a, sent);
    expect(await onServer(user)).toHaveLength(5);
    expect((await pull(user, a, { policy: { leaveOnServer: true } })).count).toBe(0);
    const b = new FakeStore();
    await pull(user, b, { policy: { leaveOnServer: true } });
    expectAllStoredOnce(b, sent);
    // Then device A turns leave-a-copy off: its next pull removes what it holds.
    const off = await pull(user, a);
    expect(off.deleted).toHaveLength(5);
    expect(await onServer(user)).toEqual([]);
  });

  it("headers only above a size: TOP for the big one, which stays on the server", async () => {
    const { user } = await mailbox(3);
    const store = new FakeStore();
    const result = await pull(user, store, { policy: { headersOnlyAboveBytes: 1000 } });
    expect(result.count).toBe(3);
    const [big] = [...store.messages.entries()].filter(([, m]) => m.headersOnly);
    expect(big?.[1].raw.toString("latin1")).toMatch(/^From: sender\d+@primer\.rs[\s\S]*\r\n\r\n$/);
    const remaining = await onServer(user);
    expect(remaining).toHaveLength(result.count - result.deleted.length);
    expect(remaining).toContain(big?.[0]);
  });

  it("a wrong password fails with AUTH_FAILED before anything happens", async () => {
    const { user } = await mailbox(1);
    await expect(
      pullPop3({
        endpoint: { host: mail.host, port: mail.pop3Port, security: "none" },
        credentials: { user, password: "nope" },
        known: new Map(),
        policy: pop3PolicySchema.parse({}),
        onMessage: async () => undefined,
      }),
    ).rejects.toMatchObject({ code: "AUTH_FAILED" });
    expect(await onServer(user)).toHaveLength(1);
  });
});
