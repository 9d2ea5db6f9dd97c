import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { batcher, frameBatcher, inGroups } from "./batch";

afterEach(() => {
  vi.useRealTimers();
});

describe("batcher", () => {
  it("hands over what came within the interval of the first, in order, then starts again", () => {
    vi.useFakeTimers();
    const batches: number[][] = [];
    const add = batcher<number>(30, (items) => batches.push(items));
    add(1);
    vi.advanceTimersByTime(20);
    add(2);
    add(3);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(batches).toEqual([[1, 2, 3]]);
    add(4);
    vi.advanceTimersByTime(30);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });
});

describe("frameBatcher", () => {
  let frames: Map<number, () => void>;
  let next: number;
  const paint = () => {
    const due = [...frames.values()];
    frames.clear();
    for (const fn of due) fn();
  };
  // The browser's frames, run by hand.
  beforeEach(() => {
    frames = new Map();
    next = 1;
    vi.stubGlobal("requestAnimationFrame", (fn: () => void) => {
      frames.set(next, fn);
      return next++;
    });
    vi.stubGlobal("cancelAnimationFrame", (id: number) => frames.delete(id));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("hands the first item over at once, the rest of that frame at the next one, and the first after a quiet frame at once", () => {
    const batches: number[][] = [];
    const { push } = frameBatcher<number>((items) => batches.push(items));
    push(1);
    expect(batches).toEqual([[1]]);
    push(2);
    push(3);
    expect(batches).toEqual([[1]]);
    paint();
    expect(batches).toEqual([[1], [2, 3]]);
    // Handed over in that frame: what comes before the next one waits for it.
    push(4);
    expect(batches).toEqual([[1], [2, 3]]);
    paint();
    expect(batches).toEqual([[1], [2, 3], [4]]);
    // A frame with nothing: the next item goes at once.
    paint();
    push(5);
    expect(batches).toEqual([[1], [2, 3], [4], [5]]);
  });

  it("hands an item pushed now over at once, with what waited before it", () => {
    const batches: number[][] = [];
    const { push } = frameBatcher<number>((items) => batches.push(items));
    push(1);
    push(2);
    push(3, true);
    expect(batches).toEqual([[1], [2, 3]]);
    paint();
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it("hands over what waits when flushed, and nothing when nothing waits", () => {
    const batches: number[][] = [];
    const { push, flush } = frameBatcher<number>((items) => batches.push(items));
    push(1);
    push(2);
    flush();
    expect(batches).toEqual([[1], [2]]);
    flush();
    paint();
    expect(batches).toEqual([[1], [2]]);
  });

  it("drops what waits when cancelled, and starts afresh after", () => {
    const batches: number[][] = [];
    const { push, cancel } = frameBatcher<number>((items) => batches.push(items));
    push(1);
    push(2);
    cancel();
    paint();
    expect(batches).toEqual([[1]]);
    push(3);
    expect(batches).toEqual([[1], [3]]);
  });
});

describe("inGroups", () => {
  it("hands over the items as they come, size at a time, and what is left last", async () => {
    async function* slowly() {
      for (let i = 1; i <= 5; i += 1) {
        await Promise.resolve();
        yield i;
      }
    }
    const groups: number[][] = [];
    for await (const group of inGroups(slowly(), 2)) groups.push(group);
    expect(groups).toEqual([[1, 2], [3, 4], [5]]);
    const none: number[][] = [];
    for await (const group of inGroups([], 3)) none.push(group);
    expect(none).toEqual([]);
    // Ended sooner by weight: 5 weighs past 6 with 1 or 2 before it.
    const weighed: number[][] = [];
    for await (const group of inGroups([1, 5, 2, 5, 1], 4, { maxWeight: 6, weigh: (n) => n }))
      weighed.push(group);
    expect(weighed).toEqual([[1, 5], [2, 5], [1]]);
  });
});
