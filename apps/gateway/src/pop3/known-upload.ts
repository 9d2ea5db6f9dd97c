import { MailError } from "@pismo/protocol/errors";
import type { Pop3KnownMessage } from "@pismo/protocol/pop3";

/** A known list larger than any maildrop a pull handles (LIST/UIDL are bounded below it). */
const MAX_KNOWN = 250_000;
/** Lists being uploaded at once in one session (two tabs, a retry after a cut). */
const MAX_LISTS = 4;

/**
 * The messages a browser already holds, uploaded in pieces when the list is too long for one
 * WebSocket message (a store of 100,000 must still pull), then taken whole by the pull that
 * names it. Each list is kept under its own id, so two tabs of one session uploading at the
 * same time never mix or reset each other's pieces; only a few are kept, and a list pushed
 * out by newer ones is gone as a whole (its next piece starts it again, so the count the
 * browser is told shows it, and taking it is refused).
 */
export class KnownUpload {
  /** By id, oldest first (a Map keeps insertion order). */
  private readonly lists = new Map<string, Map<string, Pop3KnownMessage>>();

  /** Adds a piece to the list `id`; returns how many entries the list `id` holds now. */
  add(id: string, entries: ReadonlyArray<readonly [string, Pop3KnownMessage]>): number {
    let held = this.lists.get(id);
    if (!held) {
      while (this.lists.size >= MAX_LISTS) {
        const [oldest] = this.lists.keys();
        if (oldest === undefined) break;
        this.lists.delete(oldest);
      }
      held = new Map();
      this.lists.set(id, held);
    }
    for (const [uid, entry] of entries) held.set(uid, entry);
    if (held.size > MAX_KNOWN) {
      this.lists.delete(id);
      throw new MailError("BAD_INPUT", `A known list holds at most ${MAX_KNOWN} messages`);
    }
    // All lists together are bounded too: older ones go first.
    let total = 0;
    for (const list of this.lists.values()) total += list.size;
    for (const [other, list] of this.lists) {
      if (total <= MAX_KNOWN) break;
      if (other === id) continue;
      total -= list.size;
      this.lists.delete(other);
    }
    return held.size;
  }

  /** The whole list `id`, once; an id that never arrived is refused, never read as "nothing known". */
  take(id: string): ReadonlyMap<string, Pop3KnownMessage> {
    const known = this.lists.get(id);
    if (!known)
      throw new MailError("BAD_INPUT", "The list of messages this browser holds did not arrive; check again");
    this.lists.delete(id);
    return known;
  }

  clear(): void {
    this.lists.clear();
  }
}
