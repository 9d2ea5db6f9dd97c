import type { StoredMessage } from "./pop3-database";

/**
 * Whether a message a pull brought under a unique-id is the one a row here already holds,
 * although that row was counted as removed from the server. Some servers answer QUIT +OK and
 * keep the messages (or fail to commit the deletions): the next listing gives the same
 * unique-ids and sizes, and the same message must not be stored a second time. A server that
 * gave the unique-id to another message (RFC 1939 section 7 allows reuse once the old one was
 * deleted) must still have it stored beside the old one, so the size alone does not say it.
 *
 * The same message: the same LIST size, and either the same header block byte for byte (its
 * Received trail, Message-ID and Date: what the server delivered) or, when the bytes differ
 * or are not here, the same Message-ID and the same Date. Taking another message for the old
 * one would acknowledge it unstored and let the gateway delete it, so a message with neither
 * is stored again (a copy too many, nothing lost).
 */
export function sameMessage(
  row: Pick<StoredMessage, "size" | "messageId" | "date">,
  rowRaw: Uint8Array | null,
  pulled: { size: number; raw: Uint8Array; messageId?: string | null | undefined; date: string | null },
): boolean {
  if (row.size !== pulled.size) return false;
  if (
    row.messageId != null &&
    row.messageId === pulled.messageId &&
    row.date !== null &&
    row.date === pulled.date
  )
    return true;
  return rowRaw !== null && sameBytes(headerBlock(rowRaw), headerBlock(pulled.raw));
}

/** The header block and the empty line after it (all of it for a message without a body, or
 * for what TOP n 0 brought of a headers-only one). */
export function headerBlock(raw: Uint8Array): Uint8Array {
  for (let i = 0; i + 1 < raw.length; i += 1) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a) return raw.subarray(0, i + 2);
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return raw.subarray(0, i + 3);
  }
  return raw;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
