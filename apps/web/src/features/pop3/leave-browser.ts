import { acquirePullLock } from "./pull-lock";
import type { Pop3Store } from "./pop3-store";

/** How signing out went for this browser's copy: `more-only-here` and `busy` removed nothing. */
export type LeaveOutcome = "left" | "more-only-here" | "busy";

/**
 * What signing out does to this browser's copy of the mail. First the pull running here stops
 * and is heard to the end (`stopPull`): one that reached DELE removed mail from the server, and
 * its messages now exist only here. Then, to remove the mail, it is counted again under the
 * pull lock (no tab's pull writes meanwhile) and removed only when no more messages exist only
 * here than the `shown` count the user chose with; more means the user did not see them, and
 * nothing is removed.
 */
export async function leaveBrowser(
  store: Pop3Store,
  {
    wipe,
    shown,
    stopPull,
    lock = acquirePullLock,
  }: {
    wipe: boolean;
    shown: number;
    stopPull: () => Promise<void>;
    lock?: (databaseName: string) => Promise<(() => void) | null>;
  },
): Promise<LeaveOutcome> {
  await stopPull();
  if (!wipe) return "left";
  const unlock = await lock(store.name);
  if (!unlock) return "busy";
  try {
    if ((await store.countOnlyHere()) > shown) return "more-only-here";
    await store.wipe();
    return "left";
  } finally {
    unlock();
  }
}
