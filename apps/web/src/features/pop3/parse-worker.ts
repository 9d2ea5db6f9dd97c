/// <reference lib="webworker" />
import { MemoryBlob } from "@pismo/protocol/mime";
import { summarizePulled } from "./pulled-summary";

/**
 * Parses pulled messages off the page's thread: MIME parsing is most of what storing a pull
 * costs the browser, and here it runs beside the page (and its IndexedDB writes) instead of
 * in front of them. Answers each request with its id.
 *
 * This Worker does nothing but parse, so postal-mime gets a Blob that joins each part's bytes
 * in memory (MemoryBlob): Chromium's own Blob goes through the browser process and cost two
 * thirds of each parse.
 */
(globalThis as { Blob: unknown }).Blob = MemoryBlob;

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<{ id: number; uid: string; raw: Uint8Array }>) => {
  const { id, uid, raw } = event.data;
  summarizePulled(uid, raw).then(
    (summary) => scope.postMessage({ id, summary }),
    (error: unknown) =>
      scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
};
