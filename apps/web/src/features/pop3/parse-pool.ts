import { parseMessage, type MessageView } from "@pismo/protocol/mime";
import { summarizePulled, type PulledSummary } from "./pulled-summary";

/** What the parsing Worker is asked: a pulled message's summary, or a message's whole view. */
export type ParseRequest =
  | { id: number; kind: "summary"; uid: string; raw: Uint8Array }
  | { id: number; kind: "view"; raw: Uint8Array };

type Unnumbered<R> = R extends unknown ? Omit<R, "id"> : never;

/**
 * Parses messages in a Worker when the browser has one (on the page's thread otherwise, as
 * under the unit tests). One Worker for the tab, made on first use; a Worker that fails to
 * start or errors is dropped and parsing goes on here.
 */
let worker: Worker | null | undefined;
let nextId = 0;
const waiting = new Map<number, { resolve(result: unknown): void; reject(e: Error): void }>();

function startWorker(): Worker | null {
  if (worker !== undefined) return worker;
  worker = null;
  if (typeof Worker === "undefined") return null;
  try {
    const w = new Worker(new URL("./parse-worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (event: MessageEvent<{ id: number; result?: unknown; error?: string }>) => {
      const { id, result, error } = event.data;
      const waiter = waiting.get(id);
      waiting.delete(id);
      if (result !== undefined) waiter?.resolve(result);
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

/** Sends one request to the Worker (`raw` is copied there, the caller keeps it); here without one. */
async function parseOff<T>(request: Unnumbered<ParseRequest>, here: () => Promise<T>): Promise<T> {
  const w = startWorker();
  if (!w) return here();
  const id = ++nextId;
  try {
    return await new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (result: unknown) => void, reject });
      w.postMessage({ ...request, id });
    });
  } catch {
    return here();
  }
}

/** The summary of one pulled message. */
export function summarize(uid: string, raw: Uint8Array): Promise<PulledSummary> {
  return parseOff({ kind: "summary", uid, raw }, () => summarizePulled(uid, raw));
}

/** A stored message's whole view, as the reading pane shows it. */
export function parseView(raw: Uint8Array): Promise<MessageView> {
  return parseOff({ kind: "view", raw }, () => parseMessage(raw));
}
