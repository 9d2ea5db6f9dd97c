import { defaultPop3Policy } from "@pismo/protocol/pop3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { pullPop3 } from "../src/pop3/pull";
import { fakeServerSession, pullSessionToEnd, useFakePop3Server } from "./helpers";

const fakePop3Server = useFakePop3Server();

afterEach(() => {
  vi.restoreAllMocks();
});

describe("POP3 listing and progress", () => {
  it("leaves a message with a malformed UIDL line on the server and pulls the rest", async () => {
    const server = await fakePop3Server({
      messages: [1, 2, 3].map((n) => Buffer.from(`Subject: m${n}\r\n\r\nbody\r\n`)),
      // RFC 1939 section 7: a unique-id is at most 70 characters.
      uids: [undefined, "u".repeat(71), undefined],
    });
    const got: string[] = [];
    const result = await pullPop3({
      endpoint: { host: server.host, port: server.port, security: "none", timeoutMs: 5_000 },
      credentials: { user: "ana", password: "tajna" },
      known: new Map(),
      policy: defaultPop3Policy,
      onMessage: async (m) => {
        got.push(m.uid);
      },
    });
    expect(got).toEqual(["uid-1-x", "uid-3-x"]);
    expect(result.malformed).toBe(1);
    expect(result.deleted).toEqual(["uid-1-x", "uid-3-x"]);
    expect(server.messages.map((m) => m !== null)).toEqual([false, true, false]);
  });

  it("the done event counts it with what was left", async () => {
    const server = await fakePop3Server({
      messages: [Buffer.from("Subject: a\r\n\r\nx\r\n")],
      uids: ["bad\u0001id"],
    });
    const session = fakeServerSession(server);
    const events = await pullSessionToEnd(session, () => undefined);
    expect(events.at(-1)).toMatchObject({ type: "done", stored: 0, skipped: 1, deleted: [] });
  });

  it("progress keeps coming when the wall clock steps back", async () => {
    const server = await fakePop3Server({
      messages: [1, 2, 3].map((n) =>
        Buffer.from(`Subject: m${n}\r\n\r\n${"x".repeat(1000)}\r\n`.repeat(120)),
      ),
      split: { every: 1024 },
    });
    const session = fakeServerSession(server, { progressEveryMs: 40 });
    const real = Date.now();
    // The wall clock was set back an hour just as the pull began, and stays there.
    vi.spyOn(Date, "now").mockReturnValue(real - 3_600_000);
    const events = await pullSessionToEnd(session, (event, pullId) => session.ack(pullId, event.uid));
    expect(events.at(-1)).toMatchObject({ type: "done", stored: 3 });
    // Not only the first figures and the exact ones at the end.
    expect(events.filter((e) => e.type === "progress").length).toBeGreaterThan(3);
  });
});
