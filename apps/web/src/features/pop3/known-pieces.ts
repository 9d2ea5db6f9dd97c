import type { Pop3KnownEntry } from "@pismo/protocol/pop3";

/** Known entries per upload: about 0.5 MB of JSON, well within one WebSocket message. */
export const KNOWN_PIECE = 5_000;

/**
 * The gateway held fewer entries of the list than this browser sent: a piece was lost (the
 * list was pushed out by other uploads of the session). A pull on what arrived would plan most
 * held messages as new and download them again, so the pull ends here instead.
 */
export class KnownListIncompleteError extends Error {
  override readonly name = "KnownListIncompleteError";
  constructor(
    readonly sent: number,
    readonly held: number,
  ) {
    super(`The gateway holds ${held} of the ${sent} known messages sent`);
  }
}

/**
 * Uploads a long known list in pieces under `knownId` and checks, after each piece, that the
 * gateway holds exactly as many entries as were sent (one per unique-id: the gateway keys
 * them by it, so duplicates are sent once).
 */
export async function uploadKnown(
  known: readonly Pop3KnownEntry[],
  add: (piece: Pop3KnownEntry[]) => Promise<number>,
): Promise<void> {
  const byUid = new Map<string, Pop3KnownEntry>();
  for (const entry of known) byUid.set(entry.uid, entry);
  const entries = [...byUid.values()];
  for (let i = 0; i < entries.length; i += KNOWN_PIECE) {
    const piece = entries.slice(i, i + KNOWN_PIECE);
    const sent = i + piece.length;
    const held = await add(piece);
    if (held !== sent) throw new KnownListIncompleteError(sent, held);
  }
}
