import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createOpenWaiter } from "./open-when-ready";

/** A promise settled from outside. */
function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("createOpenWaiter", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("opens at once when nothing was asked for", () => {
    const open = vi.fn();
    createOpenWaiter(60).open(null, open);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it("opens when the answer is in, not before, and once", async () => {
    const open = vi.fn();
    const answer = deferred();
    createOpenWaiter(60).open(answer.promise, open);
    await vi.advanceTimersByTimeAsync(10);
    expect(open).not.toHaveBeenCalled();
    answer.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(open).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it("opens after the wait when the answer is slow, and not again when it comes", async () => {
    const open = vi.fn();
    const answer = deferred();
    createOpenWaiter(60).open(answer.promise, open);
    await vi.advanceTimersByTimeAsync(59);
    expect(open).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(open).toHaveBeenCalledTimes(1);
    answer.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it("opens on a failed answer too (the view then shows the error)", async () => {
    const open = vi.fn();
    const answer = deferred();
    createOpenWaiter(60).open(answer.promise, open);
    answer.reject(new Error("gone"));
    await vi.advanceTimersByTimeAsync(0);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it("a later click replaces one still waiting", async () => {
    const first = vi.fn();
    const second = vi.fn();
    const a = deferred();
    const b = deferred();
    const waiter = createOpenWaiter(60);
    waiter.open(a.promise, first);
    waiter.open(b.promise, second);
    a.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(first).not.toHaveBeenCalled();
    b.resolve();
    await vi.advanceTimersByTimeAsync(100);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });

  it("a key pressed meanwhile opens at once; the answer then opens nothing more", async () => {
    const open = vi.fn();
    const answer = deferred();
    const waiter = createOpenWaiter(60);
    waiter.open(answer.promise, open);
    waiter.runNow();
    expect(open).toHaveBeenCalledTimes(1);
    answer.resolve();
    await vi.advanceTimersByTimeAsync(100);
    expect(open).toHaveBeenCalledTimes(1);
    waiter.runNow();
    expect(open).toHaveBeenCalledTimes(1);
  });

  it("dropped (the view went away), it never opens", async () => {
    const open = vi.fn();
    const waiter = createOpenWaiter(60);
    waiter.open(deferred().promise, open);
    waiter.drop();
    await vi.advanceTimersByTimeAsync(100);
    expect(open).not.toHaveBeenCalled();
  });
});
