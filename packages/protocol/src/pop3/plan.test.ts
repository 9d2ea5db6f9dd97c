import { describe, expect, it } from "vitest";
import { deletableAfterAck, planPop3Sync } from "./plan";
import type { Pop3KnownMessage, Pop3ServerMessage } from "./plan";
import { defaultPop3Policy, pop3PolicySchema } from "./policy";
import type { Pop3PolicyInput } from "./policy";

const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 27, 12, 0, 0);

const server: Pop3ServerMessage[] = [
  { msgNo: 1, uid: "a", size: 1_000 },
  { msgNo: 2, uid: "b", size: 2_000 },
  { msgNo: 3, uid: "c", size: 500_000 },
  { msgNo: 4, uid: "d", size: 3_000 },
];

const policy = (input: Pop3PolicyInput = {}) => pop3PolicySchema.parse(input);
const known = (entries: Record<string, Partial<Pop3KnownMessage>>): Map<string, Pop3KnownMessage> =>
  new Map(Object.entries(entries).map(([uid, v]) => [uid, { storedAt: now, deletedLocally: false, ...v }]));

describe("pop3PolicySchema", () => {
  it("defaults to classic POP3: download and remove from the server", () => {
    expect(defaultPop3Policy).toEqual({
      leaveOnServer: false,
      deleteAfterDays: null,
      deleteWhenDeletedLocally: false,
      headersOnlyAboveBytes: null,
    });
  });

  it("rejects nonsense", () => {
    expect(pop3PolicySchema.safeParse({ deleteAfterDays: 0 }).success).toBe(false);
    expect(pop3PolicySchema.safeParse({ deleteAfterDays: 1.5 }).success).toBe(false);
    expect(pop3PolicySchema.safeParse({ headersOnlyAboveBytes: -1 }).success).toBe(false);
    expect(pop3PolicySchema.safeParse({ leaveOnServer: "yes" }).success).toBe(false);
  });
});

describe("planPop3Sync", () => {
  it("fetches a known unique-id listed with another size as a new message, and never deletes it unfetched", () => {
    const plan = planPop3Sync({
      server,
      known: known({ a: { size: 1_000 }, b: { size: 999 }, c: {} }),
      policy: defaultPop3Policy,
      now,
    });
    // a: same size, the same message (deleted, as the policy says); c: no size kept, not compared.
    expect(plan.delete.map((d) => d.uid)).toEqual(["a", "c"]);
    // b: the server reused the unique-id for another message: downloaded, deleted only after its ack.
    expect(plan.fetch.map((f) => [f.uid, f.deleteAfterAck])).toEqual([
      ["b", true],
      ["d", true],
    ]);
    expect(deletableAfterAck(plan, []).map((d) => d.uid)).toEqual(["a", "c"]);
  });

  it("reports the known unique-ids the server no longer lists", () => {
    const plan = planPop3Sync({
      server,
      known: known({ a: {}, gone1: {}, gone2: { deletedLocally: true } }),
      policy: policy({ leaveOnServer: true }),
      now,
    });
    expect(plan.gone).toEqual(["gone1", "gone2"]);
    expect(
      planPop3Sync({
        server,
        known: { a: { storedAt: now, deletedLocally: false } },
        policy: defaultPop3Policy,
        now,
      }).gone,
    ).toEqual([]);
  });

  it("first pull, default policy: fetch everything, delete each one only after its ack", () => {
    const plan = planPop3Sync({ server, known: new Map(), policy: defaultPop3Policy, now });
    expect(plan.count).toBe(4);
    expect(plan.totalBytes).toBe(506_000);
    expect(plan.fetch.every((f) => f.mode === "full" && f.deleteAfterAck)).toBe(true);
    expect(plan.delete).toEqual([]);
    expect(deletableAfterAck(plan, [])).toEqual([]);
    expect(deletableAfterAck(plan, ["b", "d", "zzz"])).toEqual([
      { msgNo: 2, uid: "b" },
      { msgNo: 4, uid: "d" },
    ]);
  });

  it("skips what this device has; deletes leftovers of a pull whose QUIT never happened", () => {
    const plan = planPop3Sync({ server, known: known({ a: {}, c: {} }), policy: defaultPop3Policy, now });
    expect(plan.fetch.map((f) => f.uid)).toEqual(["b", "d"]);
    expect(plan.delete).toEqual([
      { msgNo: 1, uid: "a" },
      { msgNo: 3, uid: "c" },
    ]);
    expect(deletableAfterAck(plan, ["d"]).map((d) => d.uid)).toEqual(["a", "c", "d"]);
  });

  it("accepts `known` as a plain record too", () => {
    const plan = planPop3Sync({
      server,
      known: { a: { storedAt: now, deletedLocally: false } },
      policy: defaultPop3Policy,
      now,
    });
    expect(plan.fetch.map((f) => f.uid)).toEqual(["b", "c", "d"]);
    // "constructor" and friends are not messages.
    const plan2 = planPop3Sync({
      server: [{ msgNo: 1, uid: "constructor", size: 1 }],
      known: {},
      policy: defaultPop3Policy,
      now,
    });
    expect(plan2.count).toBe(1);
  });

  it("leave a copy: never delete, not even after the ack", () => {
    const p = policy({ leaveOnServer: true });
    const plan = planPop3Sync({ server, known: known({ a: { storedAt: now - 400 * DAY } }), policy: p, now });
    expect(plan.fetch.map((f) => f.uid)).toEqual(["b", "c", "d"]);
    expect(plan.fetch.some((f) => f.deleteAfterAck)).toBe(false);
    expect(plan.delete).toEqual([]);
    expect(deletableAfterAck(plan, ["b", "c", "d"])).toEqual([]);
  });

  it("leave a copy, delete after N days: only messages held at least N days", () => {
    const p = policy({ leaveOnServer: true, deleteAfterDays: 7 });
    const plan = planPop3Sync({
      server,
      known: known({
        a: { storedAt: now - 7 * DAY },
        b: { storedAt: now - 7 * DAY + 1 },
        c: { storedAt: now - 30 * DAY },
      }),
      policy: p,
      now,
    });
    expect(plan.delete.map((d) => d.uid)).toEqual(["a", "c"]);
    expect(plan.fetch).toEqual([{ msgNo: 4, uid: "d", size: 3_000, mode: "full", deleteAfterAck: false }]);
  });

  it("leave a copy, delete when deleted here", () => {
    const k = known({ a: { deletedLocally: true }, b: { deletedLocally: false } });
    const on = planPop3Sync({
      server,
      known: k,
      policy: policy({ leaveOnServer: true, deleteWhenDeletedLocally: true }),
      now,
    });
    expect(on.delete.map((d) => d.uid)).toEqual(["a"]);
    const off = planPop3Sync({ server, known: k, policy: policy({ leaveOnServer: true }), now });
    expect(off.delete).toEqual([]);
  });

  it("headers only above a size: TOP, never deleted, its bytes reported as deferred", () => {
    const p = policy({ headersOnlyAboveBytes: 50 * 1024 });
    const plan = planPop3Sync({ server, known: new Map(), policy: p, now });
    const c = plan.fetch.find((f) => f.uid === "c");
    expect(c).toEqual({ msgNo: 3, uid: "c", size: 500_000, mode: "headers", deleteAfterAck: false });
    expect(plan.totalBytes).toBe(6_000);
    expect(plan.deferredBytes).toBe(500_000);
    expect(deletableAfterAck(plan, ["a", "b", "c", "d"]).map((d) => d.uid)).toEqual(["a", "b", "d"]);
    // The size limit is "above": exactly the limit is fetched whole.
    const exact = planPop3Sync({
      server: [{ msgNo: 1, uid: "x", size: 100 }],
      known: new Map(),
      policy: policy({ headersOnlyAboveBytes: 100 }),
      now,
    });
    expect(exact.fetch[0]?.mode).toBe("full");
  });

  it("a headers-only message held here stays on the server until deleted here", () => {
    const k = known({ c: { headersOnly: true, storedAt: now - 100 * DAY } });
    expect(planPop3Sync({ server, known: k, policy: defaultPop3Policy, now }).delete).toEqual([]);
    expect(
      planPop3Sync({ server, known: k, policy: policy({ leaveOnServer: true, deleteAfterDays: 7 }), now })
        .delete,
    ).toEqual([]);
    const gone = known({ c: { headersOnly: true, deletedLocally: true } });
    expect(
      planPop3Sync({ server, known: gone, policy: defaultPop3Policy, now }).delete.map((d) => d.uid),
    ).toEqual(["c"]);
    expect(
      planPop3Sync({
        server,
        known: gone,
        policy: policy({ leaveOnServer: true, deleteWhenDeletedLocally: true }),
        now,
      }).delete,
    ).toHaveLength(1);
    expect(
      planPop3Sync({ server, known: gone, policy: policy({ leaveOnServer: true }), now }).delete,
    ).toEqual([]);
  });

  it("a duplicated UID is fetched once at most and never deleted", () => {
    const dup: Pop3ServerMessage[] = [
      { msgNo: 2, uid: "x", size: 10 },
      { msgNo: 1, uid: "x", size: 10 },
      { msgNo: 3, uid: "y", size: 10 },
    ];
    const plan = planPop3Sync({ server: dup, known: new Map(), policy: defaultPop3Policy, now });
    expect(plan.fetch.map((f) => [f.msgNo, f.uid, f.deleteAfterAck])).toEqual([
      [1, "x", false],
      [3, "y", true],
    ]);
    expect(plan.duplicateUids).toEqual(["x"]);
    const held = planPop3Sync({ server: dup, known: known({ x: {} }), policy: defaultPop3Policy, now });
    expect(held.delete).toEqual([]);
  });

  it("an empty maildrop plans nothing", () => {
    const plan = planPop3Sync({ server: [], known: known({ a: {} }), policy: defaultPop3Policy, now });
    expect(plan).toEqual({
      fetch: [],
      delete: [],
      totalBytes: 0,
      count: 0,
      deferredBytes: 0,
      duplicateUids: [],
      gone: ["a"],
    });
  });

  it("fetches in server order whatever order the listing came in", () => {
    const shuffled = [server[3]!, server[0]!, server[2]!, server[1]!];
    expect(
      planPop3Sync({ server: shuffled, known: new Map(), policy: defaultPop3Policy, now }).fetch.map(
        (f) => f.msgNo,
      ),
    ).toEqual([1, 2, 3, 4]);
  });
});
