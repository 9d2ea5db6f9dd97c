import { MAX_SELECTION } from "@pismo/protocol/selection";
import type { useTRPCClient } from "@/trpc/client";
import { gatewayFetch } from "@/lib/gateway-http";
import { errorCodeOf, GatewayError } from "@/lib/errors";
import { imapMessageUrl } from "../message-tools/imap-source";
import { downloadMbox, type ExportProgress } from "../shared/mbox-download";
import type { MboxEntry } from "../shared/mbox";

type Client = ReturnType<typeof useTRPCClient>;

/** How many messages' rows (sender, date, flags) are asked for at once. */
const ROWS_AT_ONCE = 100;

/**
 * A server folder downloaded as one mbox file (the code comes with the click): the messages it
 * holds when the export starts (imap.uids: the newest MAX_SELECTION of a larger folder, and
 * `left` says how many older ones were not), each one's source fetched as it is written
 * (GET /api/message: BODY.PEEK[], so none is marked read), with its read, flagged and answered
 * state. A message removed meanwhile is left out; the folder renumbered meanwhile (another
 * UIDVALIDITY: its UIDs name other messages) stops the export with nothing downloaded, as does
 * any other failure.
 */
export async function exportImapFolder(
  client: Client,
  folder: { path: string; messages: number },
  fileName: string,
  onProgress: ExportProgress,
): Promise<{ exported: number; left: number }> {
  const ranges = await client.imap.uids.query({ folder: folder.path });
  const uids = ranges.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i));
  const exported = await downloadMbox(entries(client, folder.path, uids), uids.length, fileName, onProgress);
  return { exported, left: uids.length >= MAX_SELECTION ? Math.max(0, folder.messages - uids.length) : 0 };
}

async function* entries(client: Client, folder: string, uids: readonly number[]): AsyncGenerator<MboxEntry> {
  let uidValidity: string | null = null;
  for (let at = 0; at < uids.length; at += ROWS_AT_ONCE) {
    const refs = uids.slice(at, at + ROWS_AT_ONCE).map((uid) => ({ folder, uid }));
    for (const row of await client.imap.searchRows.query({ refs })) {
      uidValidity ??= row.uidValidity;
      if (row.uidValidity !== uidValidity)
        throw new GatewayError("FOLDER_CHANGED", `${folder} was renumbered during the export`);
      const raw = await source(client, folder, row.uid);
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

/** A message's bytes as the server keeps them, or null when it is gone (before its fetch, or
 * during it: the answer is then cut, and the message is looked for again). */
async function source(client: Client, folder: string, uid: number): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await (await gatewayFetch(imapMessageUrl(folder, uid))).arrayBuffer());
  } catch (error) {
    if (errorCodeOf(error) === "NOT_FOUND") return null;
    const still = await client.imap.searchRows.query({ refs: [{ folder, uid }] });
    if (still.length === 0) return null;
    throw error;
  }
}
