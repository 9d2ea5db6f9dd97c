import { summarizePulled, type PulledSummary } from "./pulled-summary";

/**
 * Parses pulled messages in a Worker when the browser has one (on the page's thread
 * otherwise, as under the unit tests). One Worker for the tab, made on first use; a Worker
 * that fails to start or errors is dropped and parsing goes on here.
 */
let worker: Worker | null | undefined;
let nextId = 0;
const waiting = new Map<number, { resolve(s: PulledSummary): void; reject(e: Error): void }>();

function startWorker(): Worker | null {
  if (worker !== undefined) return worker;
  worker = null;
  if (typeof Worker === "undefined") return null;
  try {
    const w = new Worker(new URL("./parse-worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (event: MessageEvent<{ id: number; summary?: PulledSummary; error?: string }>) => {
      const { id, summary, error } = event.data;
      const waiter = waiting.get(id);
      waiting.delete(id);
      if (summary) waiter?.resolve(summary);
      else waiter?.reject(new Error(error ?? "parse failed"));
    };
    w.onerror = () => {
      // Parse what was waiting here instead, and every later message too.
      worker = null;
      w.terminate();
      for (const waiter of waiting.values()) waiter.reject(new Error("the parsing Worker stopped"));
      waiting.clear();
    };
    worker = w;
  } catch {
    worker = null;
  }
  return worker;
}

/** The summary of one pulled message; `raw` is copied to the Worker, the caller keeps it. */
export async function summarize(uid: string, raw: Uint8Array): Promise<PulledSummary> {
  const w = startWorker();
  if (!w) return summarizePulled(uid, raw);
  const id = ++nextId;
  try {
    return await new Promise<PulledSummary>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      w.postMessage({ id, uid, raw });
    });
  } catch {
    return summarizePulled(uid, raw);
  }
}
