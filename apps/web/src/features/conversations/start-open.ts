/**
 * The messages of a conversation that start open: the unread ones and the last. The list asks
 * for their bodies when a conversation is pressed, before the thread renders. A module of its
 * own: the list's chunk, loaded before the first rows, must not bring the thread's (and the
 * reading view's) code with it.
 */
export function startOpen<T extends { seen: boolean }>(items: readonly T[]): T[] {
  const last = items[items.length - 1];
  return items.filter((m) => !m.seen || m === last);
}
