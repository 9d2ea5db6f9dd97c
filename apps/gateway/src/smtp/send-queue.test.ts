import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MailError } from "@pismo/protocol/errors";
import { SendQueue, type HoldRequest } from "./send-queue";

const limits = { heldSendsPerSession: 3, heldSendBytesPerSession: 1000 };

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
    const { id, sendAt } = queue.hold("s1", r);
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
    const { id } = queue.hold("s1", r);
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
    const { id } = queue.hold("s1", request());
    await vi.advanceTimersByTimeAsync(5000);
    expect(queue.cancel("s1", id)).toEqual({ state: "sent", draft: null });
  });

  it("answers 'sending' while SMTP still has it", async () => {
    const queue = new SendQueue<string, string>(limits);
    let finish = (_: string) => undefined as void;
    const { id } = queue.hold(
      "s1",
      request({ deliver: () => new Promise<string>((resolve) => (finish = resolve)) }),
    );
    await vi.advanceTimersByTimeAsync(5000);
    expect(queue.cancel("s1", id).state).toBe("sending");
    finish("late");
    expect(await queue.outcome("s1", id)).toEqual({ state: "sent", result: "late" });
  });

  it("keeps one session's sends from another", async () => {
    const queue = new SendQueue<string, string>(limits);
    const r = request();
    const { id } = queue.hold("s1", r);
    expect(queue.cancel("s2", id)).toEqual({ state: "unknown", draft: null });
    expect(await queue.outcome("s2", id)).toEqual({ state: "unknown", result: null });
    await vi.advanceTimersByTimeAsync(5000);
    expect(r.sent()).toBe(1);
  });

  it("sends at once with no delay", async () => {
    const queue = new SendQueue<string, string>(limits);
    const r = request({ delayMs: 0 });
    const { id } = queue.hold("s1", r);
    expect(await queue.outcome("s1", id)).toEqual({ state: "sent", result: "the answer" });
    expect(r.sent()).toBe(1);
  });

  it("flushes a session's held sends at once (sign-out) and only that session's", async () => {
    const queue = new SendQueue<string, string>(limits);
    const mine = request();
    const theirs = request();
    queue.hold("s1", mine);
    queue.hold("s2", theirs);
    await queue.flush("s1");
    expect(mine.sent()).toBe(1);
    expect(theirs.sent()).toBe(0);
    expect(queue.heldCount("s2")).toBe(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(mine.sent()).toBe(1);
    expect(theirs.sent()).toBe(1);
  });

  it("throws a failed send's error from its outcome and releases what it held", async () => {
    const queue = new SendQueue<string, string>(limits);
    const r = request({
      deliver: () => Promise.reject(new MailError("RECIPIENT_REFUSED", "no such user")),
    });
    const { id } = queue.hold("s1", r);
    await vi.advanceTimersByTimeAsync(5000);
    await expect(queue.outcome("s1", id)).rejects.toMatchObject({ code: "RECIPIENT_REFUSED" });
    expect(queue.cancel("s1", id).state).toBe("failed");
    expect(r.released()).toBe(1);
  });

  it("bounds what a session holds, by count and by bytes", async () => {
    const queue = new SendQueue<string, string>(limits);
    expect(() => queue.hold("s1", request({ bytes: 1001 }))).toThrow(
      expect.objectContaining({ code: "MESSAGE_TOO_LARGE" }),
    );
    const ids = [1, 2, 3].map(() => queue.hold("s1", request()).id);
    expect(() => queue.hold("s1", request())).toThrow(expect.objectContaining({ code: "RATE_LIMITED" }));
    // Another session has its own bound.
    queue.hold("s2", request());
    // An Undo frees the room.
    queue.cancel("s1", ids[0] ?? "");
    expect(() => queue.hold("s1", request())).not.toThrow();
    await queue.flushAll();
  });

  it("keeps a POP3 Sent copy, and counts it, until the browser acknowledges it", async () => {
    const queue = new SendQueue<string, string>(limits);
    const { id } = queue.hold("s1", request({ delayMs: 0, bytes: 600, keptBytes: () => 600 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(() => queue.hold("s1", request({ bytes: 600 }))).toThrow(
      expect.objectContaining({ code: "MESSAGE_TOO_LARGE" }),
    );
    // Read twice (a page that closed while it waited, then the next one): still there.
    await queue.outcome("s1", id);
    expect(await queue.outcome("s1", id)).toEqual({ state: "sent", result: "the answer" });
    queue.acknowledge("s2", id);
    expect((await queue.outcome("s1", id)).result).toBe("the answer");
    queue.acknowledge("s1", id);
    expect(await queue.outcome("s1", id)).toEqual({ state: "sent", result: null });
    expect(() => queue.hold("s1", request({ bytes: 600 }))).not.toThrow();
    await queue.flushAll();
  });
});
