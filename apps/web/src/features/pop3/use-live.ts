"use client";

import { liveQuery } from "dexie";
import { useEffect, useState } from "react";

/**
 * The result of an IndexedDB query, kept current: Dexie's liveQuery re-runs it whenever a
 * write (from this tab or another) touches what it read. Undefined until the first result.
 */
export function useLive<T>(query: () => Promise<T>, deps: readonly unknown[]): T | undefined {
  const [value, setValue] = useState<{ deps: readonly unknown[]; value: T } | undefined>(undefined);
  useEffect(() => {
    const sub = liveQuery(query).subscribe({
      next: (v) => setValue({ deps, value: v }),
      error: () => undefined,
    });
    return () => sub.unsubscribe();
    // The caller lists the query's inputs, as with useMemo.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  // A result computed for other inputs is stale: hide it rather than flash the wrong folder.
  if (!value || value.deps.length !== deps.length || value.deps.some((d, i) => !Object.is(d, deps[i]))) return undefined;
  return value.value;
}
