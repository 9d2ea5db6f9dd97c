import { ROW_HEIGHT } from "../shared/row-height";
import { OVERSCAN } from "../shared/row-window";

/** The rows of a window past the first (the message list's page). */
export const PAGE_ROWS = 50;
/** The most rows one window may ask for (the list request's own limit). */
const MAX_WINDOW = 200;

/**
 * The rows of the first window: the rows a screen of this height renders (those it shows and
 * the list's overscan below them), whatever the page size. A folder opened on a laptop asks for
 * about 25 rows, not a page of 50: the server's FETCH, the gateway's parse of it and the answer
 * are for what is on screen (the next window is asked for as soon as the reader scrolls); a tall
 * first screen still costs one request and one FETCH, not a window and part of another.
 */
export function firstWindowSize(screenHeight: number, rowHeight = ROW_HEIGHT): number {
  return Math.min(MAX_WINDOW, Math.ceil(screenHeight / rowHeight) + OVERSCAN);
}

let firstRows: number | null = null;
/** This browser's first-window size, from the window's height when first asked (by the sign-in,
 * whose answer carries that window, or the mailbox), fixed after that: every view of a folder
 * shares its first window, which carries the total. */
export function headSize(): number {
  firstRows ??= typeof window === "undefined" ? PAGE_ROWS : firstWindowSize(window.innerHeight);
  return firstRows;
}
