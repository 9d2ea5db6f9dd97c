import { ROW_HEIGHT } from "../shared/row-height";

/** The rows of a window past the first (the message list's page). */
export const PAGE_ROWS = 50;
/** The most rows one window may ask for (the list request's own limit). */
const MAX_WINDOW = 200;

/**
 * The rows of the first window: as many as a screen of this height shows (at least a page), so
 * that a tall first screen costs one request and one FETCH, not a window and part of another.
 */
export function firstWindowSize(screenHeight: number, rowHeight = ROW_HEIGHT, pageSize = PAGE_ROWS): number {
  return Math.min(MAX_WINDOW, Math.max(pageSize, Math.ceil(screenHeight / rowHeight)));
}

let firstRows: number | null = null;
/** This browser's first-window size, from the window's height when first asked (by the sign-in,
 * whose answer carries that window, or the mailbox), fixed after that: every view of a folder
 * shares its first window, which carries the total. */
export function headSize(): number {
  firstRows ??= typeof window === "undefined" ? PAGE_ROWS : firstWindowSize(window.innerHeight);
  return firstRows;
}
