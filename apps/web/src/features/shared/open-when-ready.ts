import { useEffect, useState } from "react";

/**
 * How long a click waits for what its press asked for before it renders anyway.
 * Under 100 ms is still "at once" to a person; the answer usually comes in ~10 ms.
 */
export const OPEN_WAIT_MS = 60;

/** Runs an opening once what it shows is here, or after a wait; one at a time. */
export interface OpenWaiter {
  /** Runs `open` once `ready` settles (either way) or `waitMs` passed; at once without `ready`. A waiting one is dropped. */
  open(ready: Promise<unknown> | null, open: () => void): void;
  /** Runs the waiting one now, if any. */
  runNow(): void;
  /** Drops the waiting one, if any, without running it. */
  drop(): void;
}

export function createOpenWaiter(waitMs = OPEN_WAIT_MS): OpenWaiter {
  let waiting: { run: () => void; drop: () => void } | null = null;
  return {
    open(ready, open) {
      waiting?.drop();
      if (!ready) return open();
      let done = false;
      const finish = () => {
        done = true;
        clearTimeout(timer);
        if (waiting === entry) waiting = null;
      };
      const entry = {
        run: () => {
          if (done) return;
          finish();
          open();
        },
        drop: finish,
      };
      const timer = setTimeout(entry.run, waitMs);
      waiting = entry;
      ready.then(entry.run, entry.run);
    },
    runNow: () => waiting?.run(),
    drop: () => waiting?.drop(),
  };
}

/**
 * A click whose data was asked for on the press (a message's text, a folder's first rows)
 * renders once that answer is in the cache, up to `OPEN_WAIT_MS`: the row's mark and the
 * message (or the folder and its rows) are then committed together and painted in one frame,
 * where rendering the click at once painted the mark in one frame and the content a frame
 * later, and made the answer wait behind the click's own render. A later click replaces one
 * still waiting; a key pressed meanwhile runs it at once (the keys read what is open).
 */
export function useOpenWhenReady(): OpenWaiter["open"] {
  const [waiter] = useState(() => createOpenWaiter());
  useEffect(() => {
    const runNow = () => waiter.runNow();
    document.addEventListener("keydown", runNow, true);
    return () => {
      document.removeEventListener("keydown", runNow, true);
      waiter.drop();
    };
  }, [waiter]);
  return waiter.open;
}
