import { useState } from "react";

export interface ListCursor<Id> {
  /** The open message (or conversation), else the one last open; null before any. */
  id: Id | null;
  /** Its place in the list when last seen there, -1 when not known. */
  index: number;
}

/**
 * Where a list's keys start from: the open message (or conversation), else the one last open.
 * After `u` or Back, `j` opens the one below it and Enter opens it again, as in Gmail; they
 * went back to the top of the list. When that message has gone from the list (deleted with `#`
 * or moved), its place stays: `j` and Enter open the one now there, `k` the one above.
 * `openIndex` is the open one's place in the rows the list holds (-1: not among them).
 */
export function useListCursor<Id>(openId: Id | null, openIndex = -1): ListCursor<Id> {
  const [last, setLast] = useState<ListCursor<Id>>({ id: openId, index: openIndex });
  // Derived in render (React's "storing information from previous renders"): no extra pass.
  if (openId !== null && (openId !== last.id || (openIndex >= 0 && openIndex !== last.index)))
    setLast({ id: openId, index: openIndex >= 0 ? openIndex : openId === last.id ? last.index : -1 });
  if (openId === null) return last;
  return { id: openId, index: openIndex >= 0 || openId !== last.id ? openIndex : last.index };
}

/**
 * Where a key's move starts: the cursor's row, or (its message gone from the list) the row
 * before its place for a move down, its place for a move up, so that `j` lands on the message
 * that took its place. `found` is the cursor's row now (-1: not among the rows looked at);
 * `placeLoaded` says whether the rows looked at include its place: when they do not (a windowed
 * list scrolled far away), the message is taken to be still there.
 */
export function moveFrom(
  cursor: ListCursor<unknown>,
  found: number,
  delta: number,
  placeLoaded = true,
): number {
  if (found >= 0 || cursor.id === null || cursor.index < 0) return found;
  if (!placeLoaded) return cursor.index;
  return delta > 0 ? cursor.index - 1 : cursor.index;
}

/**
 * The row marked for the keys while nothing is open: the cursor's, or the one now in its place;
 * the list's last of `total` rows when the cursor's was the last and has gone (Enter opens it,
 * as j and k do; it opened the first).
 */
export function isCursorRow<Id>(
  cursor: ListCursor<Id>,
  openId: Id | null,
  found: number,
  row: { id: Id; index: number },
  total = Infinity,
): boolean {
  if (openId !== null || cursor.id === null) return false;
  return found >= 0 ? row.id === cursor.id : row.index === Math.min(cursor.index, total - 1);
}

/** What opens in place of a message acted on (deleted, archived, moved): its row and the rows beside it. */
export interface StepAfterLeaving {
  target: number;
  /** The target's place once the one left is gone from the rows (where the list scrolls to). */
  place: number;
  /** The rows beside the target once the one left is gone (out of range: none). */
  prev: number;
  next: number;
}

/**
 * The row to open after the open message, at `at` of `total` rows, was deleted, archived or
 * moved: the one `delta` away (1 below, -1 above), else the one on the other side (the last
 * message of a list goes on to the one above it); null when none is left. `stillListed`: the
 * rows still hold it (the action's own handler, before the list renders again), and the
 * neighbours skip it; else `at` is its former place, now the next one's.
 */
export function stepAfterLeaving(
  at: number,
  delta: 1 | -1,
  total: number,
  stillListed = true,
): StepAfterLeaving | null {
  const inside = (i: number) => i >= 0 && i < total;
  if (at < 0 || (stillListed && !inside(at))) return null;
  const below = stillListed ? at + 1 : at;
  const above = at - 1;
  const target = delta > 0 ? (inside(below) ? below : above) : inside(above) ? above : below;
  if (!inside(target)) return null;
  const beside = (i: number, step: number) => (stillListed && i === at ? i + step : i);
  return {
    target,
    place: stillListed && target > at ? target - 1 : target,
    prev: beside(target - 1, -1),
    next: beside(target + 1, 1),
  };
}

/**
 * stepAfterLeaving for a list whose open message (or conversation) is at `found` among its rows,
 * or, when the rows no longer hold it (-1), was at the cursor's place.
 */
export function stepFromCursor(
  cursor: ListCursor<unknown>,
  found: number,
  delta: 1 | -1,
  total: number,
): StepAfterLeaving | null {
  return stepAfterLeaving(found >= 0 ? found : cursor.index, delta, total, found >= 0);
}

/**
 * The messages that left a list by its advance (the open one deleted or moved, one after
 * another), remembered until rows read after their leaving arrive. A list's rows can lag a
 * few actions behind the store (a live query renders at most once per burst interval while
 * writes come quickly), so rows read before a message left may arrive after it left: such a
 * message must not be opened in place of the next one that leaves.
 */
export class LeftRows {
  private readonly gone = new Set<string>();
  private seen: readonly unknown[] | null = null;
  private view: string | null = null;

  /**
   * Every rows the list shows, as they arrive (`view` names the folder or search: another one
   * starts afresh). A message is forgotten once rows without it arrive: those were read after
   * it left, and if it comes back later (Undo, moved back) it is in the list again.
   */
  see<T>(rows: readonly T[], idOf: (row: T) => string, view: string): void {
    if (view !== this.view) {
      this.view = view;
      this.gone.clear();
    }
    if (rows === this.seen) return;
    this.seen = rows;
    if (this.gone.size === 0) return;
    const ids = new Set(rows.map(idOf));
    for (const id of this.gone) if (!ids.has(id)) this.gone.delete(id);
  }

  /** The rows to step through when `open` leaves (the rows last seen): without the messages
   * known to have left, `open` kept (its place is where the step starts). */
  held<T>(rows: readonly T[], idOf: (row: T) => string, open: string): T[] {
    this.gone.add(open);
    return rows.filter((row) => idOf(row) === open || !this.gone.has(idOf(row)));
  }
}
