import { useLayoutEffect, useRef, useState } from "react";

/**
 * A function that keeps its identity for the component's life and always calls the latest
 * `fn`: handed to a memoized child, it does not make the child render again.
 */
export function useStableCallback<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const latest = useRef(fn);
  useLayoutEffect(() => {
    latest.current = fn;
  });
  const [stable] = useState(
    () =>
      (...args: A) =>
        latest.current(...args),
  );
  return stable;
}
