/**
 * How often and how recently the user wrote to (or read from) an address, as one number: an
 * exponentially decaying counter. Each use adds its weight to the score after the old score
 * has decayed for the time since the last use, so ten uses last year count for less than two
 * last week, and two uses today for more than one. Only the score and the time of the last
 * use need storing; the value at any later moment follows from them.
 */

/** A use is worth half as much after this long. */
export const FRECENCY_HALF_LIFE_MS = 30 * 24 * 60 * 60 * 1000;

/** Writing to someone says more about who the user will write to next than reading from them. */
export const USE_WEIGHT = { sent: 1, read: 0.5 } as const;
export type UseKind = keyof typeof USE_WEIGHT;

export interface FrecencyState {
  /** The decayed score as it was at `last`. */
  score: number;
  /** When the address was last used (ms since the epoch). */
  last: number;
  /** How many uses in all (shown to the user; not part of the ranking). */
  count: number;
}

function decay(ms: number): number {
  // A clock set back (another device, a wrong clock) must not make old uses grow.
  return Math.pow(0.5, Math.max(0, ms) / FRECENCY_HALF_LIFE_MS);
}

/** The score at `now`. */
export function frecency(state: FrecencyState | undefined, now: number): number {
  if (!state) return 0;
  return state.score * decay(now - state.last);
}

/** The state after one more use at `now`. */
export function recordUse(state: FrecencyState | undefined, kind: UseKind, now: number): FrecencyState {
  const weight = USE_WEIGHT[kind];
  if (!state) return { score: weight, last: now, count: 1 };
  const last = Math.max(state.last, now);
  return { score: frecency(state, last) + weight, last, count: state.count + 1 };
}
