/**
 * A message brought in from a file (an .eml, one of an mbox's), before it is stored: whether it
 * is one at all, the date it was written (which the server keeps as its arrival, so an import
 * of old mail keeps its place in a list sorted by arrival), and its bytes made safe to keep.
 */

import { messageIdsIn } from "./header-values";

const latin1 = new TextDecoder("latin1");

/** Header fields a message's first lines may hold; one of these must be there. */
const MESSAGE_FIELDS =
  /^(?:from|date|subject|message-id|received|return-path|to|mime-version|delivered-to)$/i;

/** The header block's lines (up to the blank line, or the first 64 KiB), a byte-order mark aside. */
function headerLines(bytes: Uint8Array): string[] {
  let text = latin1.decode(bytes.subarray(0, 64 * 1024));
  if (text.startsWith("\u00ef\u00bb\u00bf")) text = text.slice(3);
  const end = text.search(/\r?\n\r?\n/);
  return (end === -1 ? text : text.slice(0, end)).split(/\r?\n/);
}

/**
 * Whether the bytes are a message: a header block of field lines (a name of printable
 * characters but ":", then ":"; RFC 5322 §2.2) and folded lines, with at least one field a
 * message has (From, Date, Subject…). Not a PDF, a picture, HTML, a vCard or a YAML file.
 */
export function startsAsMessage(bytes: Uint8Array): boolean {
  const lines = headerLines(bytes);
  if (lines.length === 0 || lines[0] === "") return false;
  let known = false;
  for (const [i, line] of lines.entries()) {
    if (i > 0 && /^[ \t]/.test(line)) continue;
    const name = /^([\x21-\x39\x3b-\x7e]+):/.exec(line)?.[1];
    if (name === undefined) return false;
    if (MESSAGE_FIELDS.test(name)) known = true;
  }
  return known;
}

/** The Date field of a message's header block as a time, or null without one a server can be
 * given (a year from 1970 to now). */
export function writtenAt(bytes: Uint8Array, now = Date.now()): Date | null {
  const block = headerLines(bytes)
    .join("\n")
    .replace(/\n[ \t]/g, " ");
  const value = /^date:[ \t]*(.*)$/im.exec(block)?.[1];
  if (!value) return null;
  const ms = Date.parse(value.replace(/\s*\([^)]*\)\s*$/, "").trim());
  return Number.isFinite(ms) && ms >= 0 && ms <= now + 86_400_000 ? new Date(ms) : null;
}

/**
 * An imported message as it is kept: its Authentication-Results fields renamed
 * (X-Imported-Authentication-Results), so that a file made to look checked by the user's own
 * mail server (whose verdicts the reading view believes) is not; its own DKIM signature can
 * still be checked. Only the message's header block is touched; every other byte is kept.
 */
export function withoutServerVerdicts(bytes: Uint8Array): Uint8Array {
  const text = latin1.decode(bytes.subarray(0, 64 * 1024));
  const end = text.search(/\r?\n\r?\n/);
  const head = end === -1 ? text : text.slice(0, end);
  if (!/^authentication-results[ \t]*:/im.test(head)) return bytes;
  const renamed = head.replace(/^(authentication-results[ \t]*:)/gim, "X-Imported-$1");
  const out = new Uint8Array(bytes.length + (renamed.length - head.length));
  for (let i = 0; i < renamed.length; i++) out[i] = renamed.charCodeAt(i);
  out.set(bytes.subarray(head.length), renamed.length);
  return out;
}

/** What makes two imported messages one: the same Message-ID (angle brackets and all) and the
 * same Date field, as written (or neither has one). */
export interface ImportIdentity {
  messageId: string;
  date: string | null;
}

/**
 * An imported message's identity, to leave out a copy the folder already holds (a file imported
 * twice, or again after an import stopped part-way): its Message-ID (the angle-bracketed part,
 * without a comment after it) and its Date as written (a comment at its end dropped, spaces
 * collapsed), not as a time, which another reader (a browser, the gateway in another time zone)
 * would read otherwise. The gateway reads its messages' headers with this same function. Null
 * without a Message-ID, or with one or a Date too long or with controls to ask a server about:
 * such a message is imported again.
 */
export function importIdentity(bytes: Uint8Array): ImportIdentity | null {
  const block = headerLines(bytes)
    .join("\n")
    .replace(/\n[ \t]/g, " ");
  const field = /^message-id:[ \t]*(.*)$/im.exec(block)?.[1];
  const messageId = field ? messageIdsIn(field).find((id) => id.length <= 250) : undefined;
  if (!messageId) return null;
  const written = /^date:[ \t]*(.*)$/im.exec(block)?.[1];
  const date = written
    ? written
        .replace(/\s*\([^)]*\)\s*$/, "")
        .replace(/\s+/g, " ")
        .trim()
    : "";
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (date.length > 200 || /[\x00-\x1f\x7f]/.test(date)) return null;
  return { messageId, date: date || null };
}

/** An identity as one string, to look copies up by (the page's and the gateway's alike). */
export function importIdentityKey(id: ImportIdentity): string {
  return `${id.messageId}\u0000${id.date ?? ""}`;
}
