/**
 * A message brought in from a file (an .eml, one of an mbox's), before it is stored: whether it
 * is one at all, and the date it was written, which the server keeps as its arrival (an import
 * of old mail keeps its place in a list sorted by arrival).
 */

/** Whether the bytes start as a message does: a header field (a name of printable characters
 * but ":", then ":"; RFC 5322 §2.2), not a PDF, a picture or HTML. */
export function startsAsMessage(bytes: Uint8Array): boolean {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1000));
  return /^[\x21-\x39\x3b-\x7e]+:/.test(head);
}

/** The Date field of a message's header block as a time, or null without a valid one. */
export function writtenAt(bytes: Uint8Array): Date | null {
  const text = new TextDecoder("latin1").decode(bytes.subarray(0, 64 * 1024));
  const end = text.search(/\r?\n\r?\n/);
  const block = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]/g, " ");
  const value = /^date:[ \t]*(.*)$/im.exec(block)?.[1];
  if (!value) return null;
  const ms = Date.parse(value.replace(/\s*\([^)]*\)\s*$/, "").trim());
  return Number.isFinite(ms) ? new Date(ms) : null;
}
