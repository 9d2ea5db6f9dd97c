import type { Pop3PullEvent } from "@pismo/protocol/pop3";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../src/log";
import { Pop3Session } from "../src/pop3/pop3-session";
import { startFakePop3Server, type FakePop3Server } from "./fixtures/fake-pop3-server";
import { removeAfterPullPolicy } from "./helpers";

// Only a UID the browser acknowledged is ever deleted: an acknowledgement that timed out while
// the next message was still being retrieved (so nobody awaited it at that moment) fails the
// pull instead of letting its message reach DELE.

let server: FakePop3Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("POP3 acknowledgement timeout", () => {
  it("never deletes a message whose acknowledgement timed out", async () => {
    server = await startFakePop3Server({
      messages: [
        Buffer.from("Subject: one\r\n\r\nfirst\r\n"),
        // Slow to retrieve: 300 writes of 1 KB, 1 ms apart, well past the 50 ms ack timeout.
        Buffer.from(`Subject: two\r\n\r\n${"x".repeat(1000)}\r\n`.repeat(300)),
      ],
    });
    const session = new Pop3Session({
      endpoint: { host: server.host, port: server.port, security: "none" },
      user: "ana",
      password: "tajna",
      tlsVerify: false,
      log: createLogger("silent"),
      ackTimeoutMs: 50,
    });
    server.split = { every: 1024 };
    const events: Pop3PullEvent[] = [];
    let pullId = "";
    const controller = new AbortController();
    for await (const event of session.pull(
      { known: new Map(), policy: removeAfterPullPolicy },
      controller.signal,
    )) {
      events.push(event);
      if (event.type === "started") pullId = event.pullId;
      // The browser stores the second message only; the first one's acknowledgement never comes.
      if (event.type === "message" && event.uid === "uid-2-x") session.ack(pullId, event.uid);
    }
    expect(events.some((e) => e.type === "done")).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: "error", code: "TIMEOUT" });
    expect(server.commands.filter((c) => c.startsWith("DELE"))).toEqual([]);
    expect(server.messages.every((m) => m !== null)).toBe(true);
  });
});
