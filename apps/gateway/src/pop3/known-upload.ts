import { MailError } from "@pismo/protocol/errors";
import type { Pop3KnownMessage } from "@pismo/protocol/pop3";

/** A known list larger than any maildrop a pull handles (LIST/UIDL are bounded below it). */
const MAX_KNOWN = 250_000;

/**
 * The messages a browser already holds, uploaded in pieces when the list is too long for one
 * WebSocket message (a store of 100,000 must still pull), then taken whole by the pull that
 * names it. One list at a time per session; a new id starts a new list.
 */
export class KnownUpload {
  private known: { id: string; entries: Map<string, Pop3KnownMessage> } | null = null;

  /** Adds a piece to the list `id`; returns how many entries it holds now. */
  add(id: string, entries: ReadonlyArray<readonly [string, Pop3KnownMessage]>): number {
    if (this.known?.id !== id) this.known = { id, entries: new Map() };
    const held = this.known.entries;
    for (const [uid, entry] of entries) held.set(uid, entry);
    if (held.size > MAX_KNOWN) {
      this.known = null;
      throw new MailError("BAD_INPUT", `A known list holds at most ${MAX_KNOWN} messages`);
    }
    return held.size;
  }

  /** The whole list `id`, once; an id that never arrived is refused, never read as "nothing known". */
  take(id: string): ReadonlyMap<string, Pop3KnownMessage> {
    const known = this.known;
    if (known?.id !== id)
      throw new MailError("BAD_INPUT", "The list of messages this browser holds did not arrive; check again");
    this.known = null;
    return known.entries;
  }

  clear(): void {
    this.known = null;
  }
}
