/**
 * Reconnect delays: quick first tries, then exponential up to a ceiling, with jitter so that
 * many sessions dropped by one server restart do not reconnect in lockstep. Pure: the caller
 * owns the timers.
 */
export function backoffDelayMs(
  attempt: number,
  random: () => number = Math.random,
  opts: { baseMs?: number; maxMs?: number } = {},
): number {
  const base = opts.baseMs ?? 250;
  const max = opts.maxMs ?? 30_000;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
