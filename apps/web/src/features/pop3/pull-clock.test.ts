// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { planPop3Sync, pop3PolicySchema } from "@pismo/protocol/pop3";
import { gatewayClock } from "./use-pop3-pull";
import { freshStore, rawMessage } from "./pop3-test-store";

// "Delete after N days" is planned by the gateway's clock; what a pull stores must be dated by
// the same clock, whatever this browser's says.

const DAY = 86_400_000;

afterEach(() => {
  vi.useRealTimers();
});

describe("a pull's clock", () => {
  it("dates by the gateway's clock, not this browser's", () => {
    vi.useFakeTimers({ now: Date.UTC(2027, 0, 1) });
    // This browser's clock runs a year ahead of the gateway's.
    const gateway = Date.UTC(2026, 0, 1);
    const clock = gatewayClock(gateway);
    expect(clock()).toBe(gateway);
    vi.advanceTimersByTime(5_000);
    expect(clock()).toBe(gateway + 5_000);
    expect(gatewayClock(undefined)()).toBe(Date.now());
  });

  it("a copy dated ahead of the gateway's clock is dated now, and then ages as planned", async () => {
    const store = freshStore();
    const gatewayNow = Date.UTC(2026, 5, 1);
    const bytes = rawMessage(1);
    // Stored while this browser's clock ran a year ahead.
    await store.storeMessage("u", bytes, { size: bytes.length, mode: "full", now: gatewayNow + 365 * DAY });
    await store.storeMessage("v", bytes, { size: bytes.length, mode: "full", now: gatewayNow - DAY });
    await store.capStoredAt(gatewayNow);
    const known = await store.known();
    expect(known.map((k) => [k.uid, k.storedAt])).toEqual([
      ["u", gatewayNow],
      ["v", gatewayNow - DAY],
    ]);
    const plan = planPop3Sync({
      server: [{ msgNo: 1, uid: "u", size: bytes.length }],
      known: new Map(known.map((k) => [k.uid, { storedAt: k.storedAt, deletedLocally: false }])),
      policy: pop3PolicySchema.parse({ leaveOnServer: true, deleteAfterDays: 7 }),
      now: gatewayNow + 7 * DAY,
    });
    expect(plan.delete.map((d) => d.uid)).toEqual(["u"]);
  });

  it("copies dated ahead keep their order of arrival, a millisecond apart up to now", async () => {
    const store = freshStore();
    const gatewayNow = Date.UTC(2026, 5, 1);
    const bytes = rawMessage(1);
    for (const [uid, ahead] of [
      ["b", 2 * DAY],
      ["a", DAY],
      ["c", 3 * DAY],
    ] as const)
      await store.storeMessage(uid, bytes, { size: bytes.length, mode: "full", now: gatewayNow + ahead });
    await store.capStoredAt(gatewayNow);
    const dated = new Map((await store.known()).map((k) => [k.uid, k.storedAt]));
    expect([dated.get("a"), dated.get("b"), dated.get("c")]).toEqual([
      gatewayNow - 2,
      gatewayNow - 1,
      gatewayNow,
    ]);
  });
});
