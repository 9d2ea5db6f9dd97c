/// <reference lib="webworker" />
import { MemoryBlob, parseMessage } from "@pismo/protocol/mime";
import { summarizePulled } from "./pulled-summary";
import type { ParseRequest } from "./parse-pool";

/**
 * Parses stored and pulled messages off the page's thread: MIME parsing is most of what storing
 * a pull costs the browser, and here it runs beside the page (and its IndexedDB writes) instead
 * of in front of them. Answers each request with its id: a pulled message's summary, or the
 * whole view of a message about to be read.
 *
 * This Worker does nothing but parse, so postal-mime gets a Blob that joins each part's bytes
 * in memory (MemoryBlob): Chromium's own Blob goes through the browser process and cost two
 * thirds of each parse.
 */
(globalThis as { Blob: unknown }).Blob = MemoryBlob;

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<ParseRequest>) => {
  const request = event.data;
  const work: Promise<unknown> =
    request.kind === "view" ? parseMessage(request.raw) : summarizePulled(request.uid, request.raw);
  work.then(
    (result) => scope.postMessage({ id: request.id, result }),
    (error: unknown) =>
      scope.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
  );
};
