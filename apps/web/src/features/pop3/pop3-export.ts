import type { MboxEntry } from "../shared/mbox";
import type { Pop3Store, StoredMessage } from "./pop3-store";

/** Messages of this browser as an mbox export's entries, each read from the store as it is
 * written (one without its bytes here is left out), with its read and flagged state (this
 * browser keeps no "answered"). A message pulled with only its headers is left out too: in a
 * file it would read as a whole message with an empty body (see leftOutOfExport). */
export async function* mboxEntries(
  store: Pop3Store,
  rows: readonly StoredMessage[],
): AsyncGenerator<MboxEntry> {
  for (const m of rows) {
    if (m.headersOnly) continue;
    const raw = await store.raw(m.uid);
    if (raw)
      yield {
        raw,
        fromAddress: m.fromAddress,
        date: m.sortKey,
        state: { seen: m.seen, flagged: m.flagged, answered: false },
      };
  }
}

/** How many of the rows an export leaves out because only their headers are here (their body
 * was left on the server): the user is told, so no one takes the file for all of them. */
export function leftOutOfExport(rows: readonly StoredMessage[]): number {
  return rows.filter((m) => m.headersOnly).length;
}
