/**
 * Collects what arrives within `ms` of the first item and hands it over at once, in order:
 * many pushed events in a row (a MOVE of 50 messages, a whole folder marked read) are applied
 * as one change instead of one each.
 */
export function batcher<T>(ms: number, flush: (items: T[]) => void): (item: T) => void {
  let pending: T[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  return (item) => {
    pending.push(item);
    timer ??= setTimeout(() => {
      timer = null;
      const items = pending;
      pending = [];
      flush(items);
    }, ms);
  };
}

/**
 * Hands an item over at once when nothing was handed over since the last frame, else together
 * with what else comes meanwhile, at the next frame: a stream of answers a few ms apart (a
 * search of many folders) is rendered once a frame rather than once an answer, and the first
 * answer after a pause is not held back. An item pushed `now` (the stream's end) goes at once,
 * with what waits before it; `flush` hands over what waits, `cancel` drops it.
 */
export function frameBatcher<T>(flush: (items: T[]) => void): {
  push: (item: T, now?: boolean) => void;
  flush: () => void;
  cancel: () => void;
} {
  let pending: T[] = [];
  let frame = 0;
  const take = () => {
    const items = pending;
    pending = [];
    flush(items);
  };
  // Runs at each frame while items keep coming; stops at the first frame with none.
  const tick = () => {
    frame = 0;
    if (pending.length === 0) return;
    take();
    frame = requestAnimationFrame(tick);
  };
  return {
    push(item, now = false) {
      pending.push(item);
      if (frame !== 0 && !now) return;
      take();
      if (frame === 0) frame = requestAnimationFrame(tick);
    },
    flush() {
      if (pending.length > 0) take();
    },
    cancel() {
      if (frame !== 0) cancelAnimationFrame(frame);
      frame = 0;
      pending = [];
    },
  };
}

/** The items as they come, `size` at a time (the last group holds what is left), and a group
 * ended sooner when its items `weigh` `maxWeight` together: a file's messages read a piece at a
 * time, stored or asked about a group at once, without holding many large ones at once. */
export async function* inGroups<T>(
  items: AsyncIterable<T> | Iterable<T>,
  size: number,
  {
    maxWeight = Number.POSITIVE_INFINITY,
    weigh = () => 0,
  }: { maxWeight?: number; weigh?: (item: T) => number } = {},
): AsyncGenerator<T[]> {
  let group: T[] = [];
  let weight = 0;
  for await (const item of items) {
    group.push(item);
    weight += weigh(item);
    if (group.length < size && weight < maxWeight) continue;
    yield group;
    group = [];
    weight = 0;
  }
  if (group.length > 0) yield group;
}
