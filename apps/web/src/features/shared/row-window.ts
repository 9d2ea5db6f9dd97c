import { ROW_HEIGHT } from "./row-height";

/** Rows rendered beyond each edge of the view. */
export const OVERSCAN = 10;

/**
 * Which rows are in the page. Every row is ROW_HEIGHT tall, so a row's place is its index
 * times that: nothing is kept or computed per row, and a folder of 100,000 costs what one of
 * 50 does (a general virtualizer keeps an offset per row, rebuilt whenever the count changes).
 */
export interface RowWindow {
  /** The rendered rows (the view and OVERSCAN beyond each edge), in order, with their offsets. */
  getVirtualItems: () => readonly { index: number; start: number }[];
  /** The height of all `count` rows. */
  getTotalSize: () => number;
  /** The rows in the view itself, without the overscan (null while there are none). */
  range: { startIndex: number; endIndex: number } | null;
  /** Scrolls as little as needed to bring the row into the view. */
  scrollToIndex: (index: number) => void;
}

/** The first and last row the view shows at this scroll offset and height. */
export function rowsInView(top: number, height: number): { first: number; last: number } {
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT));
  return { first, last: Math.max(first, Math.ceil((top + height) / ROW_HEIGHT) - 1) };
}

/**
 * The rows to render for a view showing rows `first`..`last` of `count`: those, `overscan`
 * beyond each edge, none past the ends. Work in proportion to the view, never to `count`.
 */
export function windowOf(
  count: number,
  { first, last }: { first: number; last: number },
  overscan: number = OVERSCAN,
): { items: { index: number; start: number }[]; range: RowWindow["range"] } {
  const lastShown = Math.min(last, count - 1);
  const range = count > 0 && first <= lastShown ? { startIndex: first, endIndex: lastShown } : null;
  const items: { index: number; start: number }[] = [];
  for (let i = Math.max(0, first - overscan); i <= Math.min(count - 1, last + overscan); i++)
    items.push({ index: i, start: i * ROW_HEIGHT });
  return { items, range };
}
