import type { useTRPCClient } from "@/trpc/client";
import { uploadFile } from "../compose/upload";
import { importedMessages, MAX_IMPORT_BYTES } from "../pop3/mbox";

/** What one imported file became: how many of its messages went in, and why the rest did not. */
export type ImapImportOutcome =
  | { file: string; done: number; total: number; error?: unknown }
  | { file: string; problem: "tooLarge" | "notMail" | "empty" };

/**
 * Import messages into an IMAP folder: each file read here (an mbox's messages, or one .eml),
 * each message uploaded and APPENDed by the gateway (compose.importMessage), one at a time, so
 * the session's upload bounds hold whatever the file's size. A message the server refuses
 * stops that file (its messages before it stay imported) and is said; the next file still goes.
 */
export async function importIntoFolder(
  client: ReturnType<typeof useTRPCClient>,
  folder: string,
  files: readonly File[],
  onMessage: (done: number) => void = () => undefined,
): Promise<ImapImportOutcome[]> {
  const outcomes: ImapImportOutcome[] = [];
  let imported = 0;
  for (const file of files) {
    if (file.size > MAX_IMPORT_BYTES) {
      outcomes.push({ file: file.name, problem: "tooLarge" });
      continue;
    }
    const messages = importedMessages(new Uint8Array(await file.arrayBuffer()));
    if (messages === null) outcomes.push({ file: file.name, problem: "notMail" });
    else if (messages.length === 0) outcomes.push({ file: file.name, problem: "empty" });
    else {
      let done = 0;
      try {
        for (const message of messages) {
          const upload = await uploadFile(
            new File([message as BlobPart], "imported.eml", { type: "message/rfc822" }),
            () => undefined,
            new AbortController().signal,
          );
          await client.compose.importMessage.mutate({ folder, uploadId: upload.id });
          done += 1;
          onMessage((imported += 1));
        }
        outcomes.push({ file: file.name, done, total: messages.length });
      } catch (error) {
        outcomes.push({ file: file.name, done, total: messages.length, error });
      }
    }
  }
  return outcomes;
}
