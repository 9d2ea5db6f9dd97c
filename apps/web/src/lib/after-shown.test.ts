import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { afterPaint } from "./after-shown";

// The browser's frame and task queues, run by hand: a frame's callbacks, then background tasks.
let frames: Map<number, () => void>;
let tasks: Array<() => void>;
let nextFrame: number;

function paint(): void {
  const due = [...frames.values()];
  frames.clear();
  for (const fn of due) fn();
}
function runTasks(): void {
  for (const fn of tasks.splice(0)) fn();
}

beforeEach(() => {
  frames = new Map();
  tasks = [];
  nextFrame = 1;
  vi.stubGlobal("requestAnimationFrame", (fn: () => void) => {
    frames.set(nextFrame, fn);
    return nextFrame++;
  });
  vi.stubGlobal("cancelAnimationFrame", (id: number) => frames.delete(id));
  vi.stubGlobal("scheduler", {
    postTask: (fn: () => void, options: { priority: string }) => {
      expect(options.priority).toBe("background");
      tasks.push(fn);
      return Promise.resolve();
    },
  });
});
afterEach(() => vi.unstubAllGlobals());

describe("afterPaint", () => {
  it("runs the work once, in a background task after the next frame, not before", () => {
    const fn = vi.fn();
    afterPaint(fn);
    runTasks();
    expect(fn).not.toHaveBeenCalled();
    paint();
    expect(fn).not.toHaveBeenCalled();
    runTasks();
    paint();
    runTasks();
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it("never runs work cancelled before its frame, or after the frame and before its task", () => {
    const early = vi.fn();
    const late = vi.fn();
    afterPaint(early)();
    const cancelLate = afterPaint(late);
    paint();
    cancelLate();
    runTasks();
    expect(early).not.toHaveBeenCalled();
    expect(late).not.toHaveBeenCalled();
    expect(frames.size).toBe(0);
  });

  it("a cancel after the work ran changes nothing (an effect cleaned up later)", () => {
    const fn = vi.fn();
    const cancel = afterPaint(fn);
    paint();
    runTasks();
    cancel();
    cancel();
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it("uses a timer where there is no task scheduler", () => {
    vi.useFakeTimers();
    try {
      vi.stubGlobal("scheduler", undefined);
      const fn = vi.fn();
      afterPaint(fn);
      paint();
      expect(fn).not.toHaveBeenCalled();
      vi.runAllTimers();
      expect(fn).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
