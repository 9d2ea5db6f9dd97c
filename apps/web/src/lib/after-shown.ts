import { useCallback, useRef } from "react";
import { whenIdle } from "./when-idle";

/**
 * Runs `fn` after the frame being committed, in the page's first idle moment (50 ms at most):
 * behind the frame's own follow-up tasks and any input that came meanwhile, not ahead of them
 * as a timer would be. Returns its cancel.
 */
function afterPaint(fn: () => void): () => void {
  let cancelIdle: (() => void) | undefined;
  const frame = requestAnimationFrame(() => {
    cancelIdle = whenIdle(fn, { timeoutMs: 50, fallbackMs: 0 });
  });
  return () => {
    cancelAnimationFrame(frame);
    cancelIdle?.();
  };
}

export interface AfterShown {
  /** Called by what shows the content once it is on the page (a frame's load, a commit). */
  shown: () => void;
  /**
   * Runs `fn` after the content has been shown and that frame painted; returns its cancel.
   * Work that can wait (marking read, fetching ahead) goes here, so that it neither delays the
   * content's own frame nor takes the main thread while the content is being laid out.
   */
  afterShown: (fn: () => void) => () => void;
}

/**
 * A gate for follow-up work that must not compete with showing something: an HTML body's
 * frame loads in tasks of its own after React commits it, so "after the commit's paint" is
 * still before the body is on screen. The gate opens once, on the first `shown`.
 */
export function useAfterShown(): AfterShown {
  const state = useRef<{ open: boolean; waiting: Set<() => void> }>({ open: false, waiting: new Set() });
  const shown = useCallback(() => {
    const s = state.current;
    if (s.open) return;
    s.open = true;
    for (const run of s.waiting) run();
    s.waiting.clear();
  }, []);
  const afterShown = useCallback((fn: () => void) => {
    const s = state.current;
    let cancelPaint: (() => void) | undefined;
    const run = () => {
      cancelPaint = afterPaint(fn);
    };
    if (s.open) run();
    else s.waiting.add(run);
    return () => {
      s.waiting.delete(run);
      cancelPaint?.();
    };
  }, []);
  return { shown, afterShown };
}
