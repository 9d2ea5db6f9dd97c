import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { burstGate } from "./burst-gate";

describe("burstGate: a live view's renders while a pull writes", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(10_000);
  });
  afterEach(() => vi.useRealTimers());

  it("hands on the first value at once, then one per interval, the last always", () => {
    const seen: number[] = [];
    const gate = burstGate(
      (v: number) => seen.push(v),
      () => 1_000,
    );
    gate.push(1);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(100);
    gate.push(2);
    vi.advanceTimersByTime(100);
    gate.push(3);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(800);
    expect(seen).toEqual([1, 3]);
    // After a quiet interval, at once.
    vi.advanceTimersByTime(1_500);
    gate.push(4);
    expect(seen).toEqual([1, 3, 4]);
  });

  it("a shorter interval (the pull ended) applies to the value already waiting", () => {
    const seen: number[] = [];
    let interval = 1_000;
    const gate = burstGate(
      (v: number) => seen.push(v),
      () => interval,
    );
    gate.push(1);
    vi.advanceTimersByTime(300);
    gate.push(2);
    expect(seen).toEqual([1]);
    interval = 250;
    gate.retime();
    // 300 ms since the last one: more than the new interval, so at once.
    expect(seen).toEqual([1, 2]);
    gate.push(3);
    interval = 1_000;
    gate.retime();
    vi.advanceTimersByTime(999);
    expect(seen).toEqual([1, 2]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([1, 2, 3]);
  });

  it("hands on nothing after stop", () => {
    const seen: number[] = [];
    const gate = burstGate(
      (v: number) => seen.push(v),
      () => 1_000,
    );
    gate.push(1);
    gate.push(2);
    gate.stop();
    vi.advanceTimersByTime(2_000);
    gate.retime();
    expect(seen).toEqual([1]);
  });
});
