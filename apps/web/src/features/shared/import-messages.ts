import { importedMessages, type ImportedMessage } from "./mbox";
import { MAX_IMPORT_BYTES, type ImportOutcome } from "./import-report";

/**
 * Import messages, for either protocol: each file read here (an mbox's messages, or one .eml)
 * and handed to `put`, which stores them where the account keeps mail and says how many went
 * in (and what stopped it, if something did). A file that is not mail, or too large, is named
 * and the next still goes.
 */
export async function importFiles(
  files: readonly File[],
  put: (messages: ImportedMessage[]) => Promise<{ done: number; error?: unknown }>,
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
    else outcomes.push({ file: file.name, total: messages.length, ...(await put(messages)) });
  }
  return outcomes;
}
