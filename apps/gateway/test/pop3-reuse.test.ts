import { defaultPop3Policy, pop3GonePiece } from "@pismo/protocol/pop3";
import type { Pop3KnownMessage, Pop3PullEvent } from "@pismo/protocol/pop3";
import { describe, expect, it } from "vitest";
import { pullPop3 } from "../src/pop3/pull";
import type { Pop3PullOptions, Pop3PullResult } from "../src/pop3/pull";
import type { FakePop3Server } from "./fixtures/fake-pop3-server";
import { fakeServerSession, useFakePop3Server } from "./helpers";

// What the browser holds and what the server lists drift apart: another client removes mail, a
// QUIT answer is lost, the server gives a unique-id again to another message. A message nobody
// downloaded must never be deleted, and the known list must not keep UIDs the server dropped.

const fakePop3Server = useFakePop3Server();

const mail = (subject: string, body = "text"): Buffer =>
  Buffer.from(`Subject: ${subject}\r\n\r\n${body}\r\n`);

function pull(
  server: FakePop3Server,
  known: Map<string, Pop3KnownMessage>,
  extra: Partial<Pop3PullOptions> = {},
): Promise<Pop3PullResult & { got: string[]; gone: string[] }> {
  const got: string[] = [];
  const gone: string[] = [];
  return pullPop3({
    endpoint: { host: server.host, port: server.port, security: "none", timeoutMs: 5_000 },
    credentials: { user: "ana", password: "tajna" },
    known,
    policy: defaultPop3Policy,
    onGone: (uids) => {
      gone.push(...uids);
    },
    onMessage: async (m) => {
      got.push(`${m.uid}:${m.raw.toString("latin1").split("\r\n")[0]}`);
    },
    ...extra,
  }).then((result) => ({ ...result, got, gone }));
}

describe("POP3 known list against the server's listing", () => {
  it("fetches a message listed under a known unique-id with another size, instead of deleting it unfetched", async () => {
    const first = mail("first");
    const reused = mail("a new message under an old unique-id", "longer text");
    const server = await fakePop3Server({ messages: [reused, mail("other")], uids: ["X", "Y"] });
    // The browser still counts X (the first message) as on the server: its QUIT answer was lost.
    const known = new Map<string, Pop3KnownMessage>([
      ["X", { storedAt: Date.now(), deletedLocally: false, size: first.length }],
    ]);
    const result = await pull(server, known);
    expect(result.got).toEqual(["X:Subject: a new message under an old unique-id", "Y:Subject: other"]);
    expect(result.deleted).toEqual(["X", "Y"]);
    expect(server.messages.every((m) => m === null)).toBe(true);
  });

  it("brings a message again, byte for byte, when the server answered QUIT +OK and kept it; deletes it again once acknowledged", async () => {
    // The browser tells it from a reused unique-id by its headers (web: same-message.ts), so
    // both pulls must bring exactly what the server holds.
    const messages = [mail("kept one"), mail("kept two")];
    const server = await fakePop3Server({ messages, uids: ["A", "B"], keepOnQuit: true });
    const raws: string[][] = [[], []];
    for (const round of [0, 1]) {
      // After pull 1's QUIT +OK the browser counts A and B as removed: its known list is empty.
      const result = await pull(server, new Map(), {
        onMessage: async (m) => {
          raws[round]!.push(`${m.uid}:${m.raw.toString("latin1")}`);
        },
      });
      expect(result.deleted).toEqual(["A", "B"]);
      expect(result.deletionsCommitted).toBe(true);
    }
    expect(raws[0]).toEqual(["A:" + messages[0]!.toString("latin1"), "B:" + messages[1]!.toString("latin1")]);
    expect(raws[1]).toEqual(raws[0]);
    expect(server.commands.filter((c) => c.startsWith("DELE"))).toEqual([
      "DELE 1",
      "DELE 2",
      "DELE 1",
      "DELE 2",
    ]);
    expect(server.messages).toEqual(messages);
  });

  it("reports the known unique-ids the server no longer lists, and deletes nothing for them", async () => {
    const server = await fakePop3Server({ messages: [mail("still here")], uids: ["kept"] });
    const known = new Map<string, Pop3KnownMessage>(
      ["kept", "removed-elsewhere", "tombstone"].map((uid) => [
        uid,
        { storedAt: Date.now(), deletedLocally: uid === "tombstone", size: mail("still here").length },
      ]),
    );
    const result = await pull(server, known, { policy: { ...defaultPop3Policy, leaveOnServer: true } });
    expect(result.gone).toEqual(["removed-elsewhere", "tombstone"]);
    expect(result.got).toEqual([]);
    expect(server.commands.filter((c) => c.startsWith("DELE"))).toEqual([]);
  });

  it("reports nothing gone when the listing is not whole (a malformed UIDL line): that message may be a known one", async () => {
    const server = await fakePop3Server({
      messages: [mail("fine"), mail("bad id")],
      uids: ["fine", "x".repeat(71)],
    });
    const known = new Map<string, Pop3KnownMessage>([
      ["tombstone", { storedAt: Date.now(), deletedLocally: true, size: 1 }],
    ]);
    const result = await pull(server, known, { policy: { ...defaultPop3Policy, leaveOnServer: true } });
    expect(result.gone).toEqual([]);
    expect(result.got).toEqual(["fine:Subject: fine"]);
  });

  it("the session sends them in pieces before the plan", async () => {
    const server = await fakePop3Server({ messages: [] });
    const session = fakeServerSession(server);
    const count = pop3GonePiece + 3;
    const known = new Map<string, Pop3KnownMessage>(
      Array.from({ length: count }, (_, i) => [`gone-${i}`, { storedAt: 0, deletedLocally: false }] as const),
    );
    const events: Pop3PullEvent[] = [];
    for await (const event of session.pull(
      { known, policy: defaultPop3Policy },
      new AbortController().signal,
    ))
      events.push(event);
    const pieces = events.flatMap((e) => (e.type === "gone" ? [e.uids.length] : []));
    expect(pieces).toEqual([pop3GonePiece, 3]);
    const types = events.map((e) => e.type);
    expect(types.indexOf("plan")).toBeGreaterThan(types.lastIndexOf("gone"));
    expect(events.at(-1)).toMatchObject({ type: "done" });
  });
});
