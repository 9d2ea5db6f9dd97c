"use client";

import { liveQuery } from "dexie";
import { useLatest } from "../shared/use-latest";
import { useEffect, useRef, useState } from "react";
import { burstGate, type BurstGate } from "./burst-gate";

/** A quiet store: a user's quick second action shows at once. */
export const LIVE_BURST_MS = 250;
/**
 * While a pull writes batch after batch (measured on a 1,000-message pull: at four renders a
 * second the folder's renders, with their layout, paint and hit tests, took half of the
 * page's thread).
 */
export const LIVE_BURST_PULLING_MS = 1_000;

/** The burst interval of the views a pull writes under: the list, its counts, the conversations. */
export function liveBurstMs(pulling: boolean): number {
  return pulling ? LIVE_BURST_PULLING_MS : LIVE_BURST_MS;
}

/**
 * The result of an IndexedDB query, kept current: Dexie's liveQuery re-runs it whenever a
 * write (from this tab or another) touches what it read. Undefined until the first result.
 * `burstMs` is the shortest time between two renders while writes keep coming (see
 * liveBurstMs); changing it applies to a result already waiting, without querying again.
 */
export function useLive<T>(
  query: () => Promise<T>,
  deps: readonly unknown[],
  burstMs: number = LIVE_BURST_MS,
): T | undefined {
  const [value, setValue] = useState<{ deps: readonly unknown[]; value: T } | undefined>(undefined);
  const interval = useLatest(burstMs);
  const gate = useRef<BurstGate<T> | null>(null);
  useEffect(() => {
    // During a pull, writes come many times a second; re-rendering a long folder for each
    // made the page (and so the pull) slower as the store grew (burstGate).
    const g = burstGate<T>(
      (v) => setValue({ deps, value: v }),
      () => interval.current,
    );
    gate.current = g;
    const sub = liveQuery(query).subscribe({ next: (v) => g.push(v), error: () => undefined });
    return () => {
      sub.unsubscribe();
      g.stop();
    };
    // The caller lists the query's inputs, as with useMemo.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  // A pull's end shortens the interval: a result waiting shows now, not a second later.
  useEffect(() => {
    gate.current?.retime();
  }, [burstMs]);
  // A result computed for other inputs is stale: hide it rather than flash the wrong folder.
  if (!value || value.deps.length !== deps.length || value.deps.some((d, i) => !Object.is(d, deps[i])))
    return undefined;
  return value.value;
}
