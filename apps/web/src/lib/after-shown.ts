import { useCallback, useRef } from "react";

interface BackgroundScheduler {
  postTask(fn: () => void, options: { priority: "background" }): Promise<unknown>;
}

/**
 * Runs `fn` after the frame being committed, as a background task (the Prioritized Task
 * Scheduling API): behind the frame's own follow-up tasks and any input that came meanwhile,
 * not ahead of them as a timer queued in the frame would be. Not `requestIdleCallback`: in
 * Chromium it left the work for 300 ms and more after a key, past its own timeout. Where there is
 * no `scheduler.postTask`, a timer. Returns its cancel.
 */
export function afterPaint(fn: () => void): () => void {
  // Cancelled by a flag rather than the task's AbortSignal: aborting costs ~0.1 ms, and most
  // cancels come from effects cleaned up long after their task ran.
  let state: "waiting" | "ran" | "cancelled" = "waiting";
  const run = () => {
    if (state !== "waiting") return;
    state = "ran";
    fn();
  };
  const frame = requestAnimationFrame(() => {
    if (state !== "waiting") return;
    const scheduler = (globalThis as { scheduler?: BackgroundScheduler }).scheduler;
    if (typeof scheduler?.postTask === "function")
      scheduler.postTask(run, { priority: "background" }).catch(() => undefined);
    else setTimeout(run, 0);
  });
  return () => {
    if (state !== "waiting") return;
    cancelAnimationFrame(frame);
    state = "cancelled";
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
