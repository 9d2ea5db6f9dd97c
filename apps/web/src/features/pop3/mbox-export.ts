import { downloadBlob } from "@/lib/download";
import { mboxMessage } from "../shared/mbox";
import { mailStateOf } from "./message-row";
import type { Pop3Store, StoredMessage } from "./pop3-store";

/**
 * Messages of this browser downloaded as one mbox file, with their read and flagged state. Each
 * is read from the store and written as mbox text one at a time, and handed to the browser as a
 * Blob of its own, so that an export of gigabytes is never held whole in the page's memory (the
 * browser keeps large blobs on disk). `onProgress` hears how many are written, ten times a
 * second at most, from none to all.
 */
export async function downloadMbox(
  store: Pop3Store,
  rows: readonly StoredMessage[],
  fileName: string,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<void> {
  const parts: Blob[] = [];
  onProgress(0, rows.length);
  let told = performance.now();
  for (const [i, m] of rows.entries()) {
    if (performance.now() - told >= 100) {
      told = performance.now();
      onProgress(i, rows.length);
    }
    const raw = await store.raw(m.uid);
    if (raw)
      parts.push(
        new Blob([
          mboxMessage({
            raw,
            fromAddress: m.fromAddress,
            date: m.sortKey,
            state: mailStateOf(m),
          }) as BlobPart,
        ]),
      );
  }
  onProgress(rows.length, rows.length);
  downloadBlob(parts, "application/mbox", fileName);
}
