import { describe, expect, it } from "vitest";
import { LeftRows, isCursorRow, moveFrom, stepAfterLeaving, stepFromCursor } from "./use-list-cursor";

describe("the list's cursor after a message was closed", () => {
  const cursor = { id: "c", index: 2 };

  it("moves from the cursor's row while it is in the list", () => {
    expect(moveFrom(cursor, 2, 1)).toBe(2);
    expect(moveFrom(cursor, 5, -1)).toBe(5);
  });

  it("with its message gone, j lands on the one now in its place and k on the one above", () => {
    // Rows 0..n: the cursor's message was at 2; j opens (from + 1) = 2, k opens (from - 1) = 1.
    expect(moveFrom(cursor, -1, 1) + 1).toBe(2);
    expect(moveFrom(cursor, -1, -1) - 1).toBe(1);
  });

  it("in a windowed list scrolled away from its place, takes its message to be still there", () => {
    expect(moveFrom(cursor, -1, 1, false) + 1).toBe(3);
    expect(moveFrom(cursor, -1, -1, false) - 1).toBe(1);
  });

  it("with nothing open before, or its place unknown, starts before the first row", () => {
    expect(moveFrom({ id: null, index: -1 }, -1, 1)).toBe(-1);
    expect(moveFrom({ id: "c", index: -1 }, -1, 1)).toBe(-1);
  });

  it("with the last row's message gone, marks the new last row", () => {
    const last = { id: "e", index: 4 };
    expect(isCursorRow(last, null, -1, { id: "d", index: 3 }, 4)).toBe(true);
    expect(isCursorRow(last, null, -1, { id: "a", index: 0 }, 4)).toBe(false);
  });

  it("marks the cursor's row, or with its message gone the row in its place, only while nothing is open", () => {
    expect(isCursorRow(cursor, null, 2, { id: "c", index: 2 })).toBe(true);
    expect(isCursorRow(cursor, null, 2, { id: "d", index: 3 })).toBe(false);
    expect(isCursorRow(cursor, null, -1, { id: "d", index: 2 })).toBe(true);
    expect(isCursorRow(cursor, null, -1, { id: "e", index: 3 })).toBe(false);
    expect(isCursorRow(cursor, "c", 2, { id: "c", index: 2 })).toBe(false);
    expect(isCursorRow({ id: null, index: -1 }, null, -1, { id: "a", index: -1 })).toBe(false);
  });
});

describe("the message opened in place of one deleted or moved", () => {
  it("is the one below it, or above it, with neighbours that skip it", () => {
    // Rows 0..4, the open one at 2.
    expect(stepAfterLeaving(2, 1, 5)).toEqual({ target: 3, place: 2, prev: 1, next: 4 });
    expect(stepAfterLeaving(2, -1, 5)).toEqual({ target: 1, place: 1, prev: 0, next: 3 });
  });

  it("at either end of the list goes the other way", () => {
    expect(stepAfterLeaving(4, 1, 5)).toEqual({ target: 3, place: 3, prev: 2, next: 5 });
    expect(stepAfterLeaving(0, -1, 5)).toEqual({ target: 1, place: 0, prev: -1, next: 2 });
  });

  it("once the list no longer holds it, starts from its former place", () => {
    // Rows 0..3 now; it was at 2, where the one below it is now.
    expect(stepAfterLeaving(2, 1, 4, false)).toEqual({ target: 2, place: 2, prev: 1, next: 3 });
    expect(stepAfterLeaving(2, -1, 4, false)).toEqual({ target: 1, place: 1, prev: 0, next: 2 });
    // It was the last (at 4): the one above it.
    expect(stepAfterLeaving(4, 1, 4, false)).toEqual({ target: 3, place: 3, prev: 2, next: 4 });
    // It was the first: the one now first.
    expect(stepAfterLeaving(0, -1, 4, false)).toEqual({ target: 0, place: 0, prev: -1, next: 1 });
    expect(stepAfterLeaving(0, 1, 0, false)).toBeNull();
  });

  it("from a list's cursor: its row while the rows hold it, else its former place", () => {
    const cursor = { id: "c", index: 2 };
    expect(stepFromCursor(cursor, 2, 1, 5)).toEqual(stepAfterLeaving(2, 1, 5));
    expect(stepFromCursor(cursor, -1, 1, 4)).toEqual(stepAfterLeaving(2, 1, 4, false));
  });

  it("is none when it was the only one, or its place is not known", () => {
    expect(stepAfterLeaving(0, 1, 1)).toBeNull();
    expect(stepAfterLeaving(-1, 1, 5)).toBeNull();
    expect(stepAfterLeaving(5, 1, 5)).toBeNull();
  });
});

describe("the rows stepped through when the open message leaves", () => {
  const id = (row: string) => row;

  it("skip the ones that left, even when rows read before they left arrive after it", () => {
    // Newest first; the open message deleted, archived, moved, one after another, while the
    // list's rows lag behind the store (the case an e2e run caught: # on the last message
    // opened one moved to the Trash three actions before).
    const left = new LeftRows();
    const all = ["5", "4", "3", "2", "1"];
    left.see(all, id, "Inbox");
    expect(left.held(all, id, "5")).toEqual(all);
    expect(left.held(all, id, "4")).toEqual(["4", "3", "2", "1"]);
    expect(left.held(all, id, "3")).toEqual(["3", "2", "1"]);
    // Rows read after 5 and 4 left but before 3 did.
    const late = ["3", "2", "1"];
    left.see(late, id, "Inbox");
    expect(left.held(late, id, "2")).toEqual(["2", "1"]);
    expect(left.held(late, id, "1")).toEqual(["1"]);
  });

  it("forget a message once rows without it were shown: back (Undo), it is stepped to again", () => {
    const left = new LeftRows();
    left.see(["m3", "m2", "m1"], id, "Inbox");
    left.held(["m3", "m2", "m1"], id, "m2");
    // The list without it, then with it again (Undo) before anything else left.
    left.see(["m3", "m1"], id, "Inbox");
    const back = ["m3", "m2", "m1"];
    left.see(back, id, "Inbox");
    expect(left.held(back, id, "m1")).toEqual(back);
  });

  it("start afresh in another folder or search, where a message that left this one may be", () => {
    const left = new LeftRows();
    left.see(["a", "b", "c"], id, "Inbox");
    left.held(["a", "b", "c"], id, "b");
    // b moved to Trash; the Trash opened before the Inbox showed rows without it.
    const trash = ["b", "x"];
    left.see(trash, id, "Trash");
    expect(left.held(trash, id, "x")).toEqual(trash);
  });
});
