import type { useTRPCClient } from "@/trpc/client";
import { gatewayFetch } from "@/lib/gateway-http";
import { errorCodeOf } from "@/lib/errors";
import { imapMessageUrl } from "../message-tools/imap-source";
import { downloadMbox, type ExportProgress } from "../shared/mbox-download";
import type { MboxEntry } from "../shared/mbox";

type Client = ReturnType<typeof useTRPCClient>;

/** How many messages' rows (sender, date, flags) are asked for at once. */
const ROWS_AT_ONCE = 100;

/**
 * A server folder downloaded as one mbox file (the code comes with the click): the messages it
 * holds when the export starts (imap.uids), each one's source fetched as it is written
 * (GET /api/message: BODY.PEEK[], so none is marked read), with its read, flagged and answered
 * state. A message removed meanwhile is left out; any other failure stops the export, said.
 */
export async function exportImapFolder(
  client: Client,
  folder: string,
  fileName: string,
  onProgress: ExportProgress,
): Promise<void> {
  const ranges = await client.imap.uids.query({ folder });
  const uids = ranges.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i));
  await downloadMbox(entries(client, folder, uids), uids.length, fileName, onProgress);
}

async function* entries(client: Client, folder: string, uids: readonly number[]): AsyncGenerator<MboxEntry> {
  for (let at = 0; at < uids.length; at += ROWS_AT_ONCE) {
    const refs = uids.slice(at, at + ROWS_AT_ONCE).map((uid) => ({ folder, uid }));
    for (const row of await client.imap.searchRows.query({ refs })) {
      const raw = await source(folder, row.uid);
      if (raw === null) continue;
      const date = row.date ? Date.parse(row.date) : NaN;
      yield {
        raw,
        fromAddress: row.from?.address ?? "",
        date: Number.isFinite(date) ? date : 0,
        state: { seen: row.seen, flagged: row.flagged, answered: row.answered },
      };
    }
  }
}

/** A message's bytes as the server keeps them, or null when it is gone. */
async function source(folder: string, uid: number): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await (await gatewayFetch(imapMessageUrl(folder, uid))).arrayBuffer());
  } catch (error) {
    if (errorCodeOf(error) === "NOT_FOUND") return null;
    throw error;
  }
}
