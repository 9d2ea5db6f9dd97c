import { defaultPop3Policy } from "@pismo/protocol/pop3";
import type { Pop3PullEvent } from "@pismo/protocol/pop3";
import { describe, expect, it } from "vitest";
import { fakeServerSession, removeAfterPullPolicy, useFakePop3Server } from "./helpers";

// Cancel during a long RETR (nothing DELE'd yet) drops the POP3 connection at once: the next
// pull must not answer BUSY until the old RETR has crawled to its end or its deadline.

const fakePop3Server = useFakePop3Server();

describe("POP3 cancel", () => {
  it("drops a RETR in flight, so a new pull starts at once", async () => {
    const server = await fakePop3Server({
      messages: [Buffer.from("Subject: x\r\n\r\nx\r\n")],
      // One byte every 20 ms: the RETR would take hours.
      hugeRetr: { bytes: 1024 * 1024, trickleMs: 20 },
    });
    const session = fakeServerSession(server);
    const first = new AbortController();
    const events: Pop3PullEvent[] = [];
    for await (const event of session.pull({ known: new Map(), policy: defaultPop3Policy }, first.signal)) {
      events.push(event);
      if (event.type === "plan") {
        // Let the RETR start, then cancel.
        await new Promise((r) => setTimeout(r, 200));
        first.abort();
      }
    }
    expect(server.streamedBytes).toBeGreaterThan(0);
    const cancelledAt = Date.now();
    const second = new AbortController();
    const again: Pop3PullEvent[] = [];
    for await (const event of session.pull({ known: new Map(), policy: defaultPop3Policy }, second.signal)) {
      again.push(event);
      if (event.type === "plan") second.abort();
    }
    expect(again.map((e) => e.type)).toEqual(["started", "plan"]);
    expect(Date.now() - cancelledAt).toBeLessThan(3_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(server.openSockets).toBe(0);
    expect(server.commands.some((c) => c.startsWith("DELE"))).toBe(false);
    expect(server.messages[0]).not.toBeNull();
  });

  it("drops the connection without QUIT when cancelled while the acknowledged messages are being DELE'd, so none of them is deleted unheard", async () => {
    // A server slow to answer DELE (one round trip each without PIPELINING): a browser that
    // stops listening meanwhile never hears which were deleted, so none may be.
    const server = await fakePop3Server({
      messages: [Buffer.from("Subject: a\r\n\r\na\r\n"), Buffer.from("Subject: b\r\n\r\nb\r\n")],
      stallOn: "DELE",
    });
    const session = fakeServerSession(server);
    const controller = new AbortController();
    let pullId = "";
    let acked = 0;
    const events: Pop3PullEvent[] = [];
    for await (const event of session.pull(
      { known: new Map(), policy: removeAfterPullPolicy },
      controller.signal,
    )) {
      events.push(event);
      if (event.type === "started") pullId = event.pullId;
      if (event.type === "message") {
        session.ack(pullId, event.uid);
        if (++acked === 2)
          void (async () => {
            while (!server.commands.some((c) => c.startsWith("DELE")))
              await new Promise((r) => setTimeout(r, 10));
            controller.abort();
          })();
      }
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(server.openSockets).toBe(0);
    expect(server.quits).toBe(0);
    expect(server.messages.every((m) => m !== null)).toBe(true);
  });
});
