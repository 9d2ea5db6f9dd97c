import { describe, expect, it } from "vitest";
import { fakeServerSession, pullSessionToEnd, useFakePop3Server } from "./helpers";

// Only a UID the browser acknowledged is ever deleted: an acknowledgement that timed out while
// the next message was still being retrieved (so nobody awaited it at that moment) fails the
// pull instead of letting its message reach DELE.

const fakePop3Server = useFakePop3Server();

describe("POP3 acknowledgement timeout", () => {
  it("never deletes a message whose acknowledgement timed out", async () => {
    const server = await fakePop3Server({
      messages: [
        Buffer.from("Subject: one\r\n\r\nfirst\r\n"),
        // Slow to retrieve: 300 writes of 1 KB, 1 ms apart, well past the 50 ms ack timeout.
        Buffer.from(`Subject: two\r\n\r\n${"x".repeat(1000)}\r\n`.repeat(300)),
      ],
    });
    const session = fakeServerSession(server, { ackTimeoutMs: 50 });
    server.split = { every: 1024 };
    const events = await pullSessionToEnd(session, (event, pullId) => {
      // The browser stores the second message only; the first one's acknowledgement never comes.
      if (event.uid === "uid-2-x") session.ack(pullId, event.uid);
    });
    expect(events.some((e) => e.type === "done")).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: "error", code: "TIMEOUT" });
    expect(server.commands.filter((c) => c.startsWith("DELE"))).toEqual([]);
    expect(server.messages.every((m) => m !== null)).toBe(true);
  });
});
