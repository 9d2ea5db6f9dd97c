import { importedMessages, type ImportedMessage } from "./mbox";
import { MAX_IMPORT_BYTES, type ImportOutcome } from "./import-report";

/** How far an import is: `done` of the `total` messages of the file it is at. */
export type ImportProgress = (progress: { file: string; done: number; total: number }) => void;

/**
 * Import messages, for either protocol: each file read here (an mbox's messages, or one .eml)
 * and handed to `put`, which stores them where the account keeps mail, tells `stored` as they
 * go in (`onProgress` hears it, copies already there counted), and says how many went in, how
 * many the folder already held (left out), and what stopped it, if something did. A file that is not mail, or too large, is named and the next still goes.
 */
export async function importFiles(
  files: readonly File[],
  put: (
    messages: ImportedMessage[],
    stored: (done: number) => void,
  ) => Promise<{ done: number; already?: number; error?: unknown }>,
  onProgress: ImportProgress = () => undefined,
): Promise<ImportOutcome[]> {
  const outcomes: ImportOutcome[] = [];
  for (const file of files) {
    if (file.size > MAX_IMPORT_BYTES) {
      outcomes.push({ file: file.name, problem: "tooLarge" });
      continue;
    }
    const messages = importedMessages(new Uint8Array(await file.arrayBuffer()));
    if (messages === null) outcomes.push({ file: file.name, problem: "notMail" });
    else if (messages.length === 0) outcomes.push({ file: file.name, problem: "empty" });
    else {
      const total = messages.length;
      onProgress({ file: file.name, done: 0, total });
      const stored = (done: number) => onProgress({ file: file.name, done, total });
      outcomes.push({ file: file.name, total, ...(await put(messages, stored)) });
    }
  }
  return outcomes;
}
