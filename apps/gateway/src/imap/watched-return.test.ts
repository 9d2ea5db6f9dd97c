import { describe, expect, it } from "vitest";
import { WatchedReturn, type SelectedState } from "./watched-return";

const inbox = (over: Partial<SelectedState> = {}): SelectedState => ({
  path: "INBOX",
  uidValidity: 7n,
  uidNext: 11,
  exists: 10,
  highestModseq: 100n,
  ...over,
});
const other: SelectedState = { path: "Other", uidValidity: 3n, uidNext: 2, exists: 1, highestModseq: 5n };

/** Watching the Inbox, the connection goes to Other and comes back to `back`. */
function roundTrip(back: SelectedState, meanwhile?: (w: WatchedReturn) => void, leftAs = inbox()) {
  const w = new WatchedReturn();
  w.reset(inbox());
  meanwhile?.(w);
  w.closed(leftAs, "INBOX");
  expect(w.opened(other)).toEqual([]);
  w.closed(other, "INBOX");
  return w.opened(back);
}

describe("WatchedReturn", () => {
  it("tells nothing when the watched folder did not change while the connection was away", () => {
    expect(roundTrip(inbox())).toEqual([]);
  });

  it("tells new mail as `exists` with the new total", () => {
    expect(roundTrip(inbox({ uidNext: 12, exists: 11, highestModseq: 101n }))).toEqual([
      { type: "exists", folder: "INBOX", total: 11 },
    ]);
  });

  it("tells flags changed or messages removed elsewhere as `changed`", () => {
    expect(roundTrip(inbox({ highestModseq: 102n }))).toEqual([{ type: "changed", folder: "INBOX" }]);
    expect(roundTrip(inbox({ exists: 9, highestModseq: 102n }))).toEqual([
      { type: "changed", folder: "INBOX" },
    ]);
  });

  it("tells a new UIDVALIDITY as `changed`, not as new mail", () => {
    expect(roundTrip(inbox({ uidValidity: 8n, uidNext: 40, exists: 3 }))).toEqual([
      { type: "changed", folder: "INBOX" },
    ]);
  });

  it("does not tell again what was pushed before the connection left", () => {
    const back = inbox({ uidNext: 13, exists: 12, highestModseq: 104n });
    expect(
      roundTrip(
        back,
        (w) => {
          w.pushedExists("INBOX", 12, 10);
          w.pushedModseq("INBOX", 104n);
          w.pushedModseq("Other", 900n);
        },
        // imapflow keeps the count it was pushed, not UIDNEXT or HIGHESTMODSEQ.
        inbox({ exists: 12 }),
      ),
    ).toEqual([]);
  });

  it("compares only with the folder watched when it was left, once", () => {
    const w = new WatchedReturn();
    w.reset(inbox());
    // Leaving a folder that is not (any longer) watched keeps nothing.
    w.closed(inbox(), "Work");
    expect(w.opened(inbox({ uidNext: 20 }))).toEqual([]);
    w.closed(inbox({ uidNext: 20 }), "INBOX");
    expect(w.opened(inbox({ uidNext: 21, exists: 11 }))).toEqual([
      { type: "exists", folder: "INBOX", total: 11 },
    ]);
    w.closed(inbox({ uidNext: 21, exists: 11 }), "INBOX");
    w.reset(inbox({ uidNext: 30 }));
    expect(w.opened(inbox({ uidNext: 31 }))).toEqual([]);
  });

  it("forgets the folder left once another is watched: coming back to it later tells nothing stale", () => {
    const w = new WatchedReturn();
    w.reset(inbox());
    w.closed(inbox(), "INBOX");
    expect(w.opened(other)).toEqual([]);
    // The user now watches Other; much later the Inbox is watched again (and told by its SELECT).
    w.watching("Other");
    w.closed(other, "Other");
    expect(w.opened(inbox({ uidNext: 40, exists: 20 }))).toEqual([]);
  });

  it("follows the folder left to the path it was renamed to, and compares it there", () => {
    const w = new WatchedReturn();
    const left: SelectedState = {
      path: "Projects/2026",
      uidValidity: 9n,
      uidNext: 5,
      exists: 4,
      highestModseq: 50n,
    };
    w.reset(left);
    w.closed(left, "Projects/2026");
    expect(w.opened(inbox())).toEqual([]);
    w.moved("Projects/2026", "Work/2026");
    w.closed(inbox(), "Work/2026");
    expect(w.opened({ ...left, path: "Work/2026", uidNext: 6, exists: 5 })).toEqual([
      { type: "exists", folder: "Work/2026", total: 5 },
    ]);
    // Another folder left than the one renamed: nothing is compared.
    w.closed({ ...left, path: "Work/2026" }, "Work/2026");
    w.moved("Elsewhere", "Gone");
    expect(w.opened({ ...left, path: "Work/2026", uidNext: 9 })).toEqual([]);
  });
});
