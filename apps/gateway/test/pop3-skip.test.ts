import { defaultPop3Policy } from "@pismo/protocol/pop3";
import { describe, expect, it } from "vitest";
import { pullPop3 } from "../src/pop3/pull";
import type { Pop3Endpoint, Pop3PullResult } from "../src/pop3/pull";
import type { FakePop3Server } from "./fixtures/fake-pop3-server";
import { fakeServerSession, pullSessionToEnd, useFakePop3Server } from "./helpers";

// One message that cannot be brought must not hold back the mail after it, pull after pull: it
// stays on the server (never DELE'd), is counted, and the others come and are removed.

const fakePop3Server = useFakePop3Server();

const mail = (n: number): Buffer => Buffer.from(`Subject: m${n}\r\n\r\nbody ${n}\r\n`);

async function pull(
  server: FakePop3Server,
  endpoint: Partial<Pop3Endpoint> = {},
): Promise<Pop3PullResult & { got: string[] }> {
  const got: string[] = [];
  const result = await pullPop3({
    endpoint: { host: server.host, port: server.port, security: "none", timeoutMs: 5_000, ...endpoint },
    credentials: { user: "ana", password: "tajna" },
    known: new Map(),
    policy: defaultPop3Policy,
    onMessage: async (m) => {
      got.push(`${m.uid}:${m.mode}`);
    },
  });
  return { ...result, got };
}

describe("POP3 pull past a message that cannot be brought", () => {
  it("RETR -ERR: leaves that one on the server, brings and removes the rest on the same connection", async () => {
    const server = await fakePop3Server({ messages: [mail(1), mail(2), mail(3)], retrErr: [2] });
    const result = await pull(server);
    expect(result.got).toEqual(["uid-1-x:full", "uid-3-x:full"]);
    expect(result.skipped).toEqual(["uid-2-x"]);
    expect(result.deleted).toEqual(["uid-1-x", "uid-3-x"]);
    expect(server.commands.filter((c) => c.startsWith("DELE"))).toEqual(["DELE 1", "DELE 3"]);
    expect(server.messages.map((m) => m !== null)).toEqual([false, true, false]);
    expect(server.commands.filter((c) => c === "PASS tajna")).toHaveLength(1);
  });

  it("a message larger than LIST said: the cut connection is replaced, that one comes as headers and stays", async () => {
    const server = await fakePop3Server({
      messages: [mail(1), mail(2), mail(3)],
      hugeRetr: { bytes: 64 * 1024 * 1024, listedSize: mail(1).length },
    });
    const result = await pull(server, { limits: { pop3MaxMessageBytes: 256 * 1024 } });
    expect(result.got).toEqual(["uid-1-x:headers", "uid-2-x:full", "uid-3-x:full"]);
    expect(result.skipped).toEqual([]);
    // Only what the second connection brought is removed by it; the headers-only one never.
    expect(result.deleted).toEqual(["uid-2-x", "uid-3-x"]);
    expect(server.messages.map((m) => m !== null)).toEqual([true, false, false]);
    expect(server.commands.filter((c) => c === "PASS tajna")).toHaveLength(2);
  });

  it("without TOP that message is left on the server and counted; the rest come", async () => {
    const server = await fakePop3Server({
      messages: [mail(1), mail(2)],
      hugeRetr: { bytes: 64 * 1024 * 1024, listedSize: mail(1).length },
      noTop: true,
    });
    const result = await pull(server, { limits: { pop3MaxMessageBytes: 256 * 1024 } });
    expect(result.got).toEqual(["uid-2-x:full"]);
    expect(result.skipped).toEqual(["uid-1-x"]);
    expect(server.commands.some((c) => c.startsWith("TOP"))).toBe(false);
    expect(server.messages.map((m) => m !== null)).toEqual([true, false]);
  });

  it("never uses TOP for a message over the limit when CAPA does not offer it", async () => {
    const big = Buffer.from(`Subject: big\r\n\r\n${"y".repeat(1000)}\r\n`.repeat(100));
    const server = await fakePop3Server({ messages: [big, mail(2)], noTop: true });
    const result = await pull(server, { limits: { pop3MaxMessageBytes: 10_000 } });
    expect(result.got).toEqual(["uid-2-x:full"]);
    expect(result.skipped).toEqual(["uid-1-x"]);
    expect(server.commands.some((c) => c.startsWith("TOP"))).toBe(false);
    expect(server.messages[0]).not.toBeNull();
  });

  it("a RETR past its deadline: that one is left, the rest come on a new connection", async () => {
    const server = await fakePop3Server({
      messages: [mail(1), mail(2)],
      hugeRetr: { bytes: 1024 * 1024, trickleMs: 20 },
    });
    const result = await pull(server, { limits: { pop3CommandDeadlineMs: 300 } });
    expect(result.got).toEqual(["uid-2-x:full"]);
    expect(result.skipped).toEqual(["uid-1-x"]);
    expect(result.deleted).toEqual(["uid-2-x"]);
    expect(server.messages.map((m) => m !== null)).toEqual([true, false]);
  });

  it("the session's done event counts what was left", async () => {
    const server = await fakePop3Server({ messages: [mail(1), mail(2)], retrErr: [1] });
    const session = fakeServerSession(server);
    const events = await pullSessionToEnd(session, (event, pullId) => session.ack(pullId, event.uid));
    expect(events.at(-1)).toMatchObject({ type: "done", stored: 1, skipped: 1, deleted: ["uid-2-x"] });
    // The clock the pull was planned by, which the browser dates its copies by.
    const started = events[0];
    expect(started?.type === "started" && Math.abs((started.now ?? 0) - Date.now()) < 5_000).toBe(true);
  });
});
