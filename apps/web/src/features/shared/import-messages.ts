import {
  IMPORT_HEAD_BYTES,
  MboxReader,
  importKind,
  importedEml,
  importedFromMbox,
  type ImportedMessage,
} from "./mbox";
import type { ImportOutcome } from "./import-report";

/** The largest .eml Import messages reads (one message, read whole into the page; an mbox is
 * read a piece at a time, whatever its size). */
const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

/** How far an import is: `done` of the `total` messages of the file it is at; `total` null
 * while the file is being counted. */
export type ImportProgress = (progress: { file: string; done: number; total: number | null }) => void;

/** How much of a file is read at once: an mbox of gigabytes is read a piece at a time. */
const PIECE_BYTES = 4 * 1024 * 1024;

/** A file's bytes, `size` at a time. */
async function* piecesOf(file: Blob, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < file.size; at += size)
    yield new Uint8Array(await file.slice(at, at + size).arrayBuffer());
}

/** A file's messages as imported, each as soon as it is read: an mbox's a piece at a time
 * (MboxReader; one Thunderbird marked expunged left out), an .eml's one read whole. */
export async function* messagesOf(
  file: Blob,
  kind: "mbox" | "eml",
  pieceBytes = PIECE_BYTES,
): AsyncGenerator<ImportedMessage> {
  if (kind === "eml") {
    yield importedEml(new Uint8Array(await file.arrayBuffer()));
    return;
  }
  const reader = new MboxReader();
  for await (const piece of piecesOf(file, pieceBytes))
    for (const raw of reader.push(piece)) {
      const message = importedFromMbox(raw);
      if (message) yield message;
    }
  for (const raw of reader.end()) {
    const message = importedFromMbox(raw);
    if (message) yield message;
  }
}

/**
 * Import messages, for either protocol: each file read here a piece at a time (an mbox's
 * messages, or one .eml), so that a file of any size goes in without being held whole. It is
 * read twice: once to count its messages (the progress says "120 of 1,200"), then again for
 * `put`, which stores them where the account keeps mail as they come, tells `stored` as they go
 * in (`onProgress` hears it, copies already there counted), and says how many went in, how many
 * the folder already held (left out), and what stopped it, if something did. A file that is not
 * mail, or an .eml too large, is named and the next still goes.
 */
export async function importFiles(
  files: readonly File[],
  put: (
    messages: AsyncIterable<ImportedMessage>,
    stored: (done: number) => void,
  ) => Promise<{ done: number; already?: number; error?: unknown }>,
  onProgress: ImportProgress = () => undefined,
): Promise<ImportOutcome[]> {
  const outcomes: ImportOutcome[] = [];
  for (const file of files) {
    const kind = importKind(new Uint8Array(await file.slice(0, IMPORT_HEAD_BYTES).arrayBuffer()));
    if (kind === null) {
      outcomes.push({ file: file.name, problem: "notMail" });
      continue;
    }
    if (kind === "eml" && file.size > MAX_IMPORT_BYTES) {
      outcomes.push({ file: file.name, problem: "tooLarge", limit: MAX_IMPORT_BYTES });
      continue;
    }
    onProgress({ file: file.name, done: 0, total: null });
    let total = 0;
    for await (const _ of messagesOf(file, kind)) total += 1;
    if (total === 0) {
      outcomes.push({ file: file.name, problem: "empty" });
      continue;
    }
    onProgress({ file: file.name, done: 0, total });
    const stored = (done: number) => onProgress({ file: file.name, done, total });
    outcomes.push({ file: file.name, total, ...(await put(messagesOf(file, kind), stored)) });
  }
  return outcomes;
}
