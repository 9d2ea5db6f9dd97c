import { describe, expect, it } from "vitest";
import { EventHub } from "./event-hub";

describe("EventHub", () => {
  it("delivers to every subscriber in order and unsubscribes on abort", async () => {
    const hub = new EventHub<number>();
    const a = new AbortController();
    const b = new AbortController();
    const gotA: number[] = [];
    const gotB: number[] = [];
    const runA = (async () => {
      for await (const n of hub.subscribe(a.signal, -1)) {
        gotA.push(n);
        if (gotA.length === 3) a.abort();
      }
    })();
    const runB = (async () => {
      for await (const n of hub.subscribe(b.signal, -1)) {
        gotB.push(n);
        if (gotB.length === 3) b.abort();
      }
    })();
    await Promise.resolve();
    [1, 2, 3].forEach((n) => hub.publish(n));
    await Promise.all([runA, runB]);
    expect(gotA).toEqual([1, 2, 3]);
    expect(gotB).toEqual([1, 2, 3]);
    expect(hub.size).toBe(0);
  });

  it("publishes to every subscriber but those of the owner named `except`", async () => {
    const hub = new EventHub<number>();
    const ctrl = new AbortController();
    const acting = {};
    const mine = hub.subscribe(ctrl.signal, -1, { owner: acting })[Symbol.asyncIterator]();
    const other = hub.subscribe(ctrl.signal, -1, { owner: {} })[Symbol.asyncIterator]();
    const heard: number[] = [];
    hub.tap((n) => heard.push(n));
    const nextMine = mine.next();
    const nextOther = other.next();
    await Promise.resolve();
    hub.publish(1, acting);
    hub.publish(2);
    expect((await nextOther).value).toBe(1);
    expect((await nextMine).value).toBe(2);
    expect(heard).toEqual([1, 2]);
    ctrl.abort();
  });

  it("replaces an overflowing backlog with one resync marker", async () => {
    const hub = new EventHub<number>();
    const ctrl = new AbortController();
    const it = hub.subscribe(ctrl.signal, -1, { maxQueue: 2 })[Symbol.asyncIterator]();
    const first = it.next();
    await Promise.resolve();
    hub.publish(1);
    expect((await first).value).toBe(1);
    [2, 3, 4].forEach((n) => hub.publish(n));
    expect((await it.next()).value).toBe(-1);
    ctrl.abort();
    hub.publish(5);
    expect((await it.next()).done).toBe(true);
  });
  it("keeps what is published between subscribing and the first next()", async () => {
    // tRPC sends a subscription's "started" around its first next(): a page that acts on hearing
    // it (a refetch) must also hear every change made after it.
    const hub = new EventHub<number>();
    const ctrl = new AbortController();
    const events = hub.subscribe(ctrl.signal, -1);
    expect(hub.size).toBe(1);
    hub.publish(1);
    hub.publish(2);
    expect((await events.next()).value).toBe(1);
    expect((await events.next()).value).toBe(2);
    ctrl.abort();
    expect((await events.next()).done).toBe(true);
    expect(hub.size).toBe(0);
  });

  it("lets a subscriber that was never iterated go when its signal aborts", () => {
    const hub = new EventHub<number>();
    const ctrl = new AbortController();
    hub.subscribe(ctrl.signal, -1);
    hub.subscribe(AbortSignal.abort(), -1);
    expect(hub.size).toBe(1);
    ctrl.abort();
    expect(hub.size).toBe(0);
  });
});
