import { useLayoutEffect, useRef, useState, type RefObject } from "react";

/**
 * A ref that holds `value` as of the last render, for handlers and timers that outlive it. It is
 * written in a layout effect, so it is current before the browser paints and before any input
 * that follows: Preact runs plain effects only after the next paint (README, "Notes on
 * dependencies"), where a key pressed at once would still read the render before.
 */
export function useLatest<T>(value: T): RefObject<T> {
  const latest = useRef(value);
  useLayoutEffect(() => {
    latest.current = value;
  });
  return latest;
}

/**
 * A function that keeps its identity for the component's life and always calls the latest
 * `fn`: handed to a memoized child, it does not make the child render again.
 */
export function useStableCallback<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const latest = useLatest(fn);
  const [stable] = useState(
    () =>
      (...args: A) =>
        latest.current(...args),
  );
  return stable;
}
