import { downloadBlob } from "@/lib/download";
import { mboxMessage, type MboxEntry } from "./mbox";

/** How far an export is: `done` of its `total` messages written. */
export type ExportProgress = (done: number, total: number) => void;

/**
 * Messages downloaded as one mbox file, with their read, flagged and answered state, for either
 * protocol (`entries`: this browser's store, or the server's folder through the gateway). Each
 * is written as mbox text as it comes and handed to the browser as a Blob of its own, so that an
 * export of gigabytes is never held whole in the page's memory (the browser keeps large blobs on
 * disk). Returns how many were written; `onProgress` hears how many are, ten times a second at
 * most, from none to all `total`.
 */
export async function downloadMbox(
  entries: AsyncIterable<MboxEntry>,
  total: number,
  fileName: string,
  onProgress: ExportProgress = () => undefined,
): Promise<number> {
  const parts: Blob[] = [];
  onProgress(0, total);
  let told = performance.now();
  for await (const entry of entries) {
    parts.push(new Blob([mboxMessage(entry) as BlobPart]));
    if (performance.now() - told < 100) continue;
    told = performance.now();
    onProgress(parts.length, total);
  }
  onProgress(total, total);
  downloadBlob(parts, "application/mbox", fileName);
  return parts.length;
}
