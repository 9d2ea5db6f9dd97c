import {
  IMPORT_HEAD_BYTES,
  MboxReader,
  importKind,
  importedEml,
  importedFromMbox,
  type ImportedMessage,
} from "./mbox";
import { MAX_IMPORTED_MESSAGE_BYTES } from "./import-limits";
import type { ImportOutcome } from "./import-report";

/** How far an import is, in the file it is at: while it is counted (`total` null), the share
 * of it read (`read`, 0 to 1); then `done` of its `total` messages. */
export type ImportProgress = (progress: {
  file: string;
  done: number;
  total: number | null;
  read: number;
}) => void;

/** How much of a file is read at once: an mbox of gigabytes is read a piece at a time. */
const PIECE_BYTES = 4 * 1024 * 1024;

export interface ReadOptions {
  pieceBytes?: number;
  maxMessageBytes?: number;
  /** Hears of each message larger than maxMessageBytes, left out. */
  onTooLarge?: () => void;
  /** Hears how many of the file's bytes are read so far, after each piece. */
  onRead?: (bytes: number) => void;
}

/** A file's messages as imported, each as soon as it is read: an mbox's a piece at a time
 * (MboxReader; one Thunderbird marked expunged, or one larger than the limit, left out), an
 * .eml's read whole (importFiles has checked its size). */
export async function* messagesOf(
  file: Blob,
  kind: "mbox" | "eml",
  {
    pieceBytes = PIECE_BYTES,
    maxMessageBytes = MAX_IMPORTED_MESSAGE_BYTES,
    onTooLarge = () => undefined,
    onRead = () => undefined,
  }: ReadOptions = {},
): AsyncGenerator<ImportedMessage> {
  if (kind === "eml") {
    yield importedEml(new Uint8Array(await file.arrayBuffer()));
    return;
  }
  const reader = new MboxReader(maxMessageBytes);
  function* imported(raws: Array<Uint8Array | null>): Generator<ImportedMessage> {
    for (const raw of raws) {
      if (raw === null) onTooLarge();
      const message = raw && importedFromMbox(raw);
      if (message) yield message;
    }
  }
  for (let at = 0; at < file.size; at += pieceBytes) {
    const piece = new Uint8Array(await file.slice(at, at + pieceBytes).arrayBuffer());
    onRead(Math.min(file.size, at + pieceBytes));
    yield* imported(reader.push(piece));
  }
  yield* imported(reader.end());
}

/**
 * Import messages, for either protocol: each file read here a piece at a time (an mbox's
 * messages, or one .eml), so that a file of any size goes in without being held whole. An mbox
 * is read twice: once to count its messages (the progress says "120 of 1,200"), then again for
 * `put`, which stores them where the account keeps mail as they come, tells `stored` as they go
 * in (`onProgress` hears it, copies already there counted), and says how many went in, how many
 * the folder already held (left out), and what stopped it, if something did. A file that is not
 * mail, cannot be read, or is one message too large, is named and the next still goes; an mbox's
 * messages too large are left out and counted.
 */
export async function importFiles(
  files: readonly File[],
  put: (messages: AsyncIterable<ImportedMessage>, stored: (done: number) => void) => Promise<PutOutcome>,
  onProgress: ImportProgress = () => undefined,
): Promise<ImportOutcome[]> {
  const outcomes: ImportOutcome[] = [];
  for (const file of files) {
    let kind: "mbox" | "eml" | null;
    let total = 0;
    let tooLarge = 0;
    try {
      kind = importKind(new Uint8Array(await file.slice(0, IMPORT_HEAD_BYTES).arrayBuffer()));
      if (kind === "eml") {
        if (file.size > MAX_IMPORTED_MESSAGE_BYTES) tooLarge = 1;
        else total = 1;
      } else if (kind === "mbox") {
        // Counted, the progress told of the share read four times a second at most.
        let told = 0;
        onProgress({ file: file.name, done: 0, total: null, read: 0 });
        const onRead = (bytes: number) => {
          if (performance.now() - told < 250) return;
          told = performance.now();
          onProgress({ file: file.name, done: 0, total: null, read: bytes / file.size });
        };
        for await (const _ of messagesOf(file, kind, { onRead, onTooLarge: () => (tooLarge += 1) }))
          total += 1;
      }
    } catch {
      // Changed, moved or taken away meanwhile: nothing of it went in.
      outcomes.push({ file: file.name, problem: "unreadable" });
      continue;
    }
    if (kind === null) outcomes.push({ file: file.name, problem: "notMail" });
    else if (total === 0)
      outcomes.push({
        file: file.name,
        problem: tooLarge === 0 ? "empty" : kind === "eml" ? "tooLarge" : "allTooLarge",
      });
    else {
      onProgress({ file: file.name, done: 0, total, read: 1 });
      const stored = (done: number) => onProgress({ file: file.name, done, total, read: 1 });
      const result = await put(messagesOf(file, kind), stored);
      // Those the page left out are larger than any server takes too: one count.
      const leftOut = tooLarge + (result.tooLarge ?? 0);
      if (
        result.limitBytes !== undefined &&
        result.done === 0 &&
        !result.already &&
        result.error === undefined
      )
        outcomes.push({
          file: file.name,
          problem: kind === "eml" ? "tooLargeForServer" : "allTooLargeForServer",
          limitBytes: result.limitBytes,
        });
      else
        outcomes.push({ file: file.name, total, ...result, ...(leftOut > 0 ? { tooLarge: leftOut } : {}) });
    }
  }
  return outcomes;
}

/** What `put` made of a file's messages: how many went in, how many the folder held already,
 * how many were larger than the server takes (`limitBytes`), left out, and what stopped it. */
export interface PutOutcome {
  done: number;
  already?: number;
  tooLarge?: number;
  limitBytes?: number;
  error?: unknown;
}
