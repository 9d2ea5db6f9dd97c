/**
 * Fans events out to any number of subscribers, each an async iterable that ends when its
 * signal aborts. A slow subscriber's queue is bounded: past the bound it gets a "resync"
 * marker instead of an unbounded backlog. A subscriber may name who it listens for (`owner`):
 * an event published `except` that owner does not reach it.
 */
export class EventHub<T> {
  /** Each subscriber, with the owner it listens for (if any). */
  private readonly subscribers = new Map<(event: T) => void, object | undefined>();

  get size(): number {
    return this.subscribers.size;
  }

  /** Calls `listener` with every event published from now on, until the returned function is called. */
  tap(listener: (event: T) => void): () => void {
    this.subscribers.set(listener, undefined);
    return () => this.subscribers.delete(listener);
  }

  /** To every subscriber, but those whose owner is `except`. */
  publish(event: T, except?: object): void {
    for (const [push, owner] of this.subscribers) if (except === undefined || owner !== except) push(event);
  }

  /**
   * A subscriber, listening from this call on: an event published before its first `next()`
   * waits in its queue (as a generator's body it would have joined only at that `next()`, and
   * missed what came in between). It leaves when `signal` aborts, iterated or not.
   */
  subscribe(
    signal: AbortSignal,
    overflow: T,
    {
      maxQueue = 1000,
      owner,
      first,
    }: { maxQueue?: number; owner?: object | undefined; first?: T | undefined } = {},
  ): AsyncGenerator<T> {
    // `first`: what a subscriber must know before anything happens (a state it joined in).
    const queue: T[] = first === undefined ? [] : [first];
    let wake: (() => void) | null = null;
    const push = (event: T) => {
      if (queue.length >= maxQueue) queue.splice(0, queue.length, overflow);
      else queue.push(event);
      wake?.();
    };
    const leave = () => {
      this.subscribers.delete(push);
      wake?.();
    };
    if (signal.aborted) return (async function* () {})();
    this.subscribers.set(push, owner);
    signal.addEventListener("abort", leave, { once: true });
    return (async function* () {
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
        leave();
        signal.removeEventListener("abort", leave);
      }
    })();
  }
}
