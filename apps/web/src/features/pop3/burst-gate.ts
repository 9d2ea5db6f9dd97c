/**
 * Hands on values that may come many times a second (a live query's results while a pull
 * writes batch after batch) at most once per interval: the first at once, one after a quiet
 * interval at once, in a burst one per interval, the last always. The interval is read at each
 * decision; `retime()` applies a changed one to a value already waiting: when a pull ends, its
 * last result shows at once rather than up to a second later (the list said "No mail in this
 * browser yet" under a pull's "New messages downloaded: 1" meanwhile).
 */
export interface BurstGate<T> {
  push(value: T): void;
  retime(): void;
  stop(): void;
}

export function burstGate<T>(deliver: (value: T) => void, interval: () => number): BurstGate<T> {
  let last = 0;
  let pending: { value: T } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    if (!pending) return;
    last = Date.now();
    const { value } = pending;
    pending = null;
    deliver(value);
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!pending) return;
    const wait = interval() - (Date.now() - last);
    if (wait <= 0) flush();
    else timer = setTimeout(flush, wait);
  };
  return {
    push(value) {
      pending = { value };
      if (!timer) schedule();
    },
    retime: schedule,
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}
