import type { MboxEntry } from "../shared/mbox";
import type { Pop3Store, StoredMessage } from "./pop3-store";

/** Messages of this browser as an mbox export's entries, each read from the store as it is
 * written (one without its bytes here is left out), with its read and flagged state (this
 * browser keeps no "answered"). */
export async function* mboxEntries(
  store: Pop3Store,
  rows: readonly StoredMessage[],
): AsyncGenerator<MboxEntry> {
  for (const m of rows) {
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
