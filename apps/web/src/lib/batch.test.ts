import { afterEach, describe, expect, it, vi } from "vitest";
import { batcher } from "./batch";

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
