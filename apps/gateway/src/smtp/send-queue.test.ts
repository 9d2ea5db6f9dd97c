import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MailError } from "@pismo/protocol/errors";
import { SendQueue, type HoldRequest } from "./send-queue";

const limits = { heldSendsPerSession: 3, heldSendBytesPerSession: 1000 };

let serial = 0;
/** A send's id, as the browser chooses it. */
const nextId = () => `send-${String(++serial).padStart(12, "0")}`;

function request(
  overrides: Partial<HoldRequest<string, string>> = {},
): HoldRequest<string, string> & { sent: () => number; released: () => number } {
  let sent = 0;
  let released = 0;
  return {
    draft: "the draft",
    bytes: 100,
    delayMs: 5000,
    deliver: () => {
      sent += 1;
      return Promise.resolve("the answer");
    },
    release: () => {
      released += 1;
      return Promise.resolve();
    },
    ...overrides,
    sent: () => sent,
    released: () => released,
  };
}

describe("SendQueue", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends once, at the deadline, and not before", async () => {
    const queue = new SendQueue<string, string>(limits);
    const r = request();
    const { id, sendAt } = queue.hold("s1", nextId(), r);
    expect(sendAt).toBe(Date.now() + 5000);
    await vi.advanceTimersByTimeAsync(4999);
    expect(r.sent()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(r.sent()).toBe(1);
    expect(await queue.outcome("s1", id)).toEqual({ state: "sent", result: "the answer" });
    expect(r.released()).toBe(1);
    // A flush after the deadline does not send it again.
    await queue.flush("s1");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(r.sent()).toBe(1);
  });

  it("gives the draft back on Undo before the deadline and never sends it", async () => {
    const queue = new SendQueue<string, string>(limits);
    const r = request();
    const { id } = queue.hold("s1", nextId(), r);
    await vi.advanceTimersByTimeAsync(3000);
    expect(queue.cancel("s1", id)).toEqual({ state: "cancelled", draft: "the draft" });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(r.sent()).toBe(0);
    // The attachments stay: the draft that came back still needs them.
    expect(r.released()).toBe(0);
    expect(await queue.outcome("s1", id)).toEqual({ state: "cancelled", result: null });
    // A second Undo says what happened.
    expect(queue.cancel("s1", id)).toEqual({ state: "cancelled", draft: null });
  });

  it("answers an Undo after the deadline with 'sent'", async () => {
    const queue = new SendQueue<string, string>(limits);
    const { id } = queue.hold("s1", nextId(), request());
    await vi.advanceTimersByTimeAsync(5000);
    expect(queue.cancel("s1", id)).toEqual({ state: "sent", draft: null });
  });

  it("answers 'sending' while SMTP still has it", async () => {
    const queue = new SendQueue<string, string>(limits);
    let finish = (_: string) => undefined as void;
    const { id } = queue.hold(
      "s1",
      nextId(),
      request({ deliver: () => new Promise<string>((resolve) => (finish = resolve)) }),
    );
    await vi.advanceTimersByTimeAsync(5000);
    expect(queue.cancel("s1", id).state).toBe("sending");
    finish("late");
    expect(await queue.outcome("s1", id)).toEqual({ state: "sent", result: "late" });
  });

  it("holds under the browser's id, refuses that id a second time in its session, and sends once", async () => {
    const queue = new SendQueue<string, string>(limits);
    const first = request();
    const again = request();
    expect(queue.hold("s1", "chosen-by-the-page", first).id).toBe("chosen-by-the-page");
    expect(() => queue.hold("s1", "chosen-by-the-page", again)).toThrow(
      expect.objectContaining({ code: "BAD_INPUT" }),
    );
    // Another session's send may carry the same id: it is a send of its own.
    const theirs = request();
    queue.hold("s2", "chosen-by-the-page", theirs);
    expect(queue.cancel("s2", "chosen-by-the-page").state).toBe("cancelled");
    await vi.advanceTimersByTimeAsync(5000);
    expect([first.sent(), again.sent(), theirs.sent()]).toEqual([1, 0, 0]);
    // Sent and kept for its answer, the id is still taken.
    expect(() => queue.hold("s1", "chosen-by-the-page", request())).toThrow(MailError);
    expect(await queue.outcome("s1", "chosen-by-the-page")).toEqual({ state: "sent", result: "the answer" });
  });

  it("keeps one session's sends from another", async () => {
    const queue = new SendQueue<string, string>(limits);
    const r = request();
    const { id } = queue.hold("s1", nextId(), r);
    expect(queue.cancel("s2", id)).toEqual({ state: "unknown", draft: null });
    expect(await queue.outcome("s2", id)).toEqual({ state: "unknown", result: null });
    await vi.advanceTimersByTimeAsync(5000);
    expect(r.sent()).toBe(1);
  });

  it("sends at once with no delay", async () => {
    const queue = new SendQueue<string, string>(limits);
    const r = request({ delayMs: 0 });
    const { id } = queue.hold("s1", nextId(), r);
    expect(await queue.outcome("s1", id)).toEqual({ state: "sent", result: "the answer" });
    expect(r.sent()).toBe(1);
  });

  it("flushes a session's held sends at once (sign-out) and only that session's", async () => {
    const queue = new SendQueue<string, string>(limits);
    const mine = request();
    const theirs = request();
    queue.hold("s1", nextId(), mine);
    queue.hold("s2", nextId(), theirs);
    await queue.flush("s1");
    expect(mine.sent()).toBe(1);
    expect(theirs.sent()).toBe(0);
    expect(queue.heldCount("s2")).toBe(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(mine.sent()).toBe(1);
    expect(theirs.sent()).toBe(1);
  });

  it("throws a failed send's error from its outcome and keeps its uploads for the form it goes back to", async () => {
    const queue = new SendQueue<string, string>(limits);
    const r = request({
      deliver: () => Promise.reject(new MailError("RECIPIENT_REFUSED", "no such user")),
    });
    const { id } = queue.hold("s1", nextId(), r);
    await vi.advanceTimersByTimeAsync(5000);
    await expect(queue.outcome("s1", id)).rejects.toMatchObject({ code: "RECIPIENT_REFUSED" });
    expect(queue.cancel("s1", id).state).toBe("failed");
    expect(r.released()).toBe(0);
  });

  it("bounds what a session holds, by count and by bytes", async () => {
    const queue = new SendQueue<string, string>(limits);
    expect(() => queue.hold("s1", nextId(), request({ bytes: 1001 }))).toThrow(
      expect.objectContaining({ code: "MESSAGE_TOO_LARGE" }),
    );
    const ids = [1, 2, 3].map(() => queue.hold("s1", nextId(), request()).id);
    expect(() => queue.hold("s1", nextId(), request())).toThrow(
      expect.objectContaining({ code: "RATE_LIMITED" }),
    );
    // Another session has its own bound.
    queue.hold("s2", nextId(), request());
    // An Undo frees the room.
    queue.cancel("s1", ids[0] ?? "");
    expect(() => queue.hold("s1", nextId(), request())).not.toThrow();
    await queue.flushAll();
  });

  it("keeps a POP3 Sent copy, and counts it, until the browser acknowledges it", async () => {
    const queue = new SendQueue<string, string>(limits);
    const { id } = queue.hold("s1", nextId(), request({ delayMs: 0, bytes: 600, keptBytes: () => 600 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(() => queue.hold("s1", nextId(), request({ bytes: 600 }))).toThrow(
      expect.objectContaining({ code: "MESSAGE_TOO_LARGE" }),
    );
    // Read twice (a page that closed while it waited, then the next one): still there.
    await queue.outcome("s1", id);
    expect(await queue.outcome("s1", id)).toEqual({ state: "sent", result: "the answer" });
    queue.acknowledge("s2", id);
    expect((await queue.outcome("s1", id)).result).toBe("the answer");
    queue.acknowledge("s1", id);
    expect(await queue.outcome("s1", id)).toEqual({ state: "sent", result: null });
    expect(() => queue.hold("s1", nextId(), request({ bytes: 600 }))).not.toThrow();
    await queue.flushAll();
  });

  it("keeps, when the gateway stops, each result not acknowledged, once, and only those", async () => {
    const queue = new SendQueue<string, string>(limits);
    const kept: string[] = [];
    const keeping = (name: string) => ({
      keep: (result: string) => {
        kept.push(`${name}: ${result}`);
        return Promise.resolve();
      },
    });
    const acked = queue.hold("s1", nextId(), request({ delayMs: 0, ...keeping("acked") })).id;
    const waiting = queue.hold("s1", nextId(), request({ delayMs: 0, ...keeping("waiting") })).id;
    const cancelled = queue.hold("s1", nextId(), request(keeping("cancelled"))).id;
    const held = queue.hold("s2", nextId(), request(keeping("held"))).id;
    await vi.advanceTimersByTimeAsync(0);
    // Acknowledged here, and kept nowhere else: nothing to remove elsewhere.
    expect(queue.acknowledge("s1", acked)).toBe(false);
    queue.cancel("s1", cancelled);
    // A message still held has no result yet: the stop sends it first.
    await queue.keepUnacknowledged();
    expect(kept).toEqual(["waiting: the answer"]);
    await queue.flushAll();
    await queue.keepUnacknowledged("s2");
    await queue.keepUnacknowledged();
    expect(kept).toEqual(["waiting: the answer", "held: the answer"]);
    // Kept: an acknowledgement says it is to be removed there too; so does one of a send not
    // known here (made before a restart).
    expect(queue.acknowledge("s1", waiting)).toBe(true);
    expect(queue.acknowledge("s2", held)).toBe(true);
    expect(queue.acknowledge("s1", "never-held-here-0000")).toBe(true);
  });

  it("goes on keeping the others when one cannot be kept, and says so without the message", async () => {
    const logged: string[] = [];
    const log = {
      error: () => undefined,
      warn: (event: string, fields?: Record<string, unknown>) =>
        void logged.push(`${event} ${(fields?.error as Error).message}`),
      info: (event: string, fields?: Record<string, unknown>) =>
        void logged.push(`${event} ${JSON.stringify(fields)}`),
      debug: () => undefined,
    };
    const queue = new SendQueue<string, string>(limits, log);
    let kept = 0;
    queue.hold("s1", nextId(), request({ delayMs: 0, keep: () => Promise.reject(new Error("store down")) }));
    queue.hold("s1", nextId(), request({ delayMs: 0, keep: () => Promise.resolve(void kept++) }));
    await vi.advanceTimersByTimeAsync(0);
    await queue.keepUnacknowledged();
    expect(kept).toBe(1);
    expect(logged).toEqual(["send.keep_failed store down", 'send.kept_unacknowledged {"kept":1}']);
  });
});
