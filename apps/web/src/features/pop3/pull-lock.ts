/**
 * One pull at a time per account in this browser: a Web Lock named after the account's
 * database, held from reading the known list until the pull ends. Two tabs of one account
 * share its store; pulling from both at once would upload two known lists and store the same
 * messages twice. Without the Web Locks API (an old browser) the pull goes on unguarded, and
 * the gateway still refuses a second pull of the same session (BUSY).
 */

/** What this module needs of `navigator.locks`. */
export interface LockManagerLike {
  request(
    name: string,
    options: { ifAvailable: boolean },
    callback: (lock: unknown) => Promise<void> | void,
  ): Promise<unknown>;
}

/** Resolves with the function that lets go of the lock, or null when another tab holds it. */
export function acquirePullLock(
  databaseName: string,
  locks: LockManagerLike | undefined = typeof navigator === "undefined"
    ? undefined
    : (navigator as { locks?: LockManagerLike }).locks,
): Promise<(() => void) | null> {
  if (!locks || typeof locks.request !== "function") return Promise.resolve(() => undefined);
  return new Promise((resolve) => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let answered = false;
    locks
      .request(`pismo-pop3-pull:${databaseName}`, { ifAvailable: true }, (lock) => {
        answered = true;
        if (lock === null) {
          resolve(null);
          return;
        }
        resolve(release);
        return held;
      })
      .catch(() => {
        // The lock could not be asked for at all (a sandboxed frame): pull unguarded.
        if (!answered) resolve(() => undefined);
      });
  });
}
