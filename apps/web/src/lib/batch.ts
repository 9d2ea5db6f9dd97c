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
