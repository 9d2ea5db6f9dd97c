/**
 * Fans events out to any number of subscribers, each an async iterable that ends when its
 * signal aborts. A slow subscriber's queue is bounded: past the bound it gets a "resync"
 * marker instead of an unbounded backlog.
 */
export class EventHub<T> {
  private readonly subscribers = new Set<(event: T) => void>();

  get size(): number {
    return this.subscribers.size;
  }

  /** Calls `listener` with every event published from now on, until the returned function is called. */
  tap(listener: (event: T) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  publish(event: T): void {
    for (const push of this.subscribers) push(event);
  }

  async *subscribe(signal: AbortSignal, overflow: T, maxQueue = 1000): AsyncGenerator<T> {
    const queue: T[] = [];
    let wake: (() => void) | null = null;
    const push = (event: T) => {
      if (queue.length >= maxQueue) queue.splice(0, queue.length, overflow);
      else queue.push(event);
      wake?.();
    };
    const onAbort = () => wake?.();
    this.subscribers.add(push);
    signal.addEventListener("abort", onAbort);
    try {
      while (!signal.aborted) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
    } finally {
      this.subscribers.delete(push);
      signal.removeEventListener("abort", onAbort);
    }
  }
}
