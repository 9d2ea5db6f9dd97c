/**
 * Runs `fn` in the browser's next idle moment, or after `timeoutMs` at the latest; where there
 * is no `requestIdleCallback`, after `fallbackMs`. Returns its cancel. For work that can wait
 * for what the user is looking at to be painted (code to load ahead, a process to start).
 */
export function whenIdle(
  fn: () => void,
  { timeoutMs, fallbackMs }: { timeoutMs: number; fallbackMs: number },
) {
  if (typeof window.requestIdleCallback !== "function") {
    const timer = window.setTimeout(fn, fallbackMs);
    return () => window.clearTimeout(timer);
  }
  const id = window.requestIdleCallback(fn, { timeout: timeoutMs });
  return () => window.cancelIdleCallback(id);
}
