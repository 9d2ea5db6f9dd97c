// The subpath: the reading view that names .eml files carries no MIME parser for it.
import { startsAsMessage } from "@pismo/protocol/mime/imported";
import type { ImportedState } from "@pismo/protocol/schemas";

/**
 * mbox export (the "mboxrd" variant, RFC 4155 and the qmail man page): each message starts
 * with a `From ` line, lines inside that start with ">*From " get one more ">", so reading
 * the file back restores every byte. CRLF becomes LF, as mbox files on disk have it.
 */

/** What a mail program keeps of a message beside its bytes, which an mbox carries in header
 * fields of its own (Status and X-Status, as mutt and Dovecot write them). */
export type MailState = ImportedState;

export interface MboxEntry {
  raw: Uint8Array;
  /** Envelope sender for the separator line; MAILER-DAEMON when unknown. */
  fromAddress: string;
  /** Epoch ms for the separator line. */
  date: number;
  /** Written as Status and X-Status fields before the message's own, so that an import reads
   * it back (importedMessages) and the message's bytes come back as they were. */
  state?: MailState;
}

/** One message of a file to import: its bytes without the mbox's own fields, and the state
 * those fields gave (null: none; the importer's default, read, applies). */
export interface ImportedMessage {
  raw: Uint8Array;
  state: MailState | null;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** asctime(3) in UTC, as the separator line wants it: "Mon Jan  2 15:04:05 2006". */
export function asctime(ms: number): string {
  const d = new Date(Number.isFinite(ms) ? ms : 0);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** Each line of the bytes, without its line end (LF or CRLF), and where the next one starts. */
function* linesOf(bytes: Uint8Array): Generator<{ line: Uint8Array; next: number }> {
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    const next = end === -1 ? bytes.length : end + 1;
    if (end === -1) end = bytes.length;
    yield { line: bytes.subarray(start, end > start && bytes[end - 1] === 0x0d ? end - 1 : end), next };
    start = next;
  }
}

function isFromLine(raw: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end && raw[i] === 0x3e) i += 1; // '>'
  return (
    end - i >= 5 &&
    raw[i] === 0x46 &&
    raw[i + 1] === 0x72 &&
    raw[i + 2] === 0x6f &&
    raw[i + 3] === 0x6d &&
    raw[i + 4] === 0x20
  ); // "From "
}

/** One message of an mbox file (an export is these one after another): its separator line,
 * its state fields, its lines with ">From " quoted, and the blank line that ends it. */
export function mboxMessage(entry: MboxEntry): Uint8Array {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const sender = entry.fromAddress.replace(/\s+/g, "") || "MAILER-DAEMON";
  chunks.push(enc.encode(`From ${sender} ${asctime(entry.date)}\n`));
  // Its own state fields (a server's, a sender's) give way to the ones written here.
  const raw = entry.state ? splitStateFields(entry.raw).raw : entry.raw;
  if (entry.state) chunks.push(enc.encode(stateFields(entry.state)));
  const quote = enc.encode(">");
  const newline = enc.encode("\n");
  for (const { line } of linesOf(raw)) {
    if (isFromLine(line, 0, line.length)) chunks.push(quote);
    chunks.push(line, newline);
  }
  // A blank line ends each message.
  chunks.push(newline);
  return joined(chunks);
}

function joined(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A file name for a message's .eml: its subject without characters file systems refuse, nor
 * controls (C0, DEL, C1; an attachment's name with one is refused by the gateway) or the
 * direction marks that make "fdp.exe" look like "exe.pdf". */
export function emlFileName(subject: string, uid: string): string {
  const base = subject
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 80);
  return `${base || uid}.eml`;
}

/** A message's bytes as an .eml file (message/rfc822) named by its subject: what a forward as
 * attachment of this browser's copy uploads. */
export function emlFile(raw: Uint8Array, subject: string, id: string): File {
  return new File([raw as BlobPart], emlFileName(subject, id), { type: "message/rfc822" });
}

/** Whether a line (without its line end) starts with "From ", the mbox separator. */
function startsWithFrom(line: Uint8Array): boolean {
  return (
    line.length >= 5 &&
    line[0] === 0x46 &&
    line[1] === 0x72 &&
    line[2] === 0x6f &&
    line[3] === 0x6d &&
    line[4] === 0x20
  );
}

/** The lines as one message, each ended by CRLF, as messages are stored. */
function joinCrlf(lines: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(lines.reduce((n, l) => n + l.length + 2, 0));
  let at = 0;
  for (const line of lines) {
    out.set(line, at);
    out[at + line.length] = 0x0d;
    out[at + line.length + 1] = 0x0a;
    at += line.length + 2;
  }
  return out;
}

/** A header field's line: a name of printable characters but ":", then ":" (RFC 5322 §2.2). */
const FIELD_LINE = /^[\x21-\x39\x3b-\x7e]+:/;
/** A separator as mbox writers write it: "From sender asctime", a zone before the year or not. */
const FROM_LINE = /^From \S+\s+\w{3}\s+\w{3}\s+\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?\s+(?:\S+\s+)?\d{4}\s*$/;
const latin1 = new TextDecoder("latin1");

/** The line that starts at `at` (without its line end), as text. */
function lineAt(file: Uint8Array, at: number): string {
  const end = file.indexOf(0x0a, at);
  return latin1
    .decode(file.subarray(at, Math.min(end === -1 ? file.length : end, at + 1000)))
    .replace(/\r$/, "");
}

const CRLF = new Uint8Array([0x0d, 0x0a]);

/** A message's bytes gathered a line at a time, copied into blocks (not one object per line,
 * which for a message of many megabytes would be millions). */
class MessageBytes {
  private static readonly BLOCK = 1024 * 1024;
  private blocks: Uint8Array[] = [];
  private block: Uint8Array = new Uint8Array(MessageBytes.BLOCK);
  private at = 0;
  length = 0;

  add(bytes: Uint8Array): void {
    for (let from = 0; from < bytes.length;) {
      if (this.at === this.block.length) {
        this.blocks.push(this.block);
        this.block = new Uint8Array(MessageBytes.BLOCK);
        this.at = 0;
      }
      const n = Math.min(bytes.length - from, this.block.length - this.at);
      this.block.set(bytes.subarray(from, from + n), this.at);
      this.at += n;
      from += n;
    }
    this.length += bytes.length;
  }

  /** The bytes gathered, as one array; the builder starts again, empty. */
  take(): Uint8Array {
    const out = joined([...this.blocks, this.block.subarray(0, this.at)]);
    this.clear();
    return out;
  }

  clear(): void {
    // Its first block is kept for the next message; the others go.
    this.block = this.blocks[0] ?? this.block;
    this.blocks = [];
    this.at = 0;
    this.length = 0;
  }
}

/**
 * An mbox file read back a piece at a time (`push` each piece, then `end`), so that a file of
 * gigabytes is never held whole: its messages, with CRLF line ends, each as soon as the next
 * separator is read. A message starts at a `From ` line followed by a header field, at the start
 * of the file, after a blank line, or written as a separator is ("From sender date"); so a
 * body's unescaped "From " (older writers leave them) stays text. A line ">From " (or
 * ">>From ", mboxrd) loses one ">", and the blank line before each separator is the file's, not
 * the message's. What mboxMessage writes comes back byte for byte, its line ends aside. A
 * message larger than `maxMessageBytes` is not held: it comes back as null, so what is held is
 * bounded by that and a piece, whatever the file.
 */
export class MboxReader {
  /** The message being read, or null before the first separator. */
  private message: MessageBytes | null = null;
  /** Its blank lines not added yet: the last one before a separator is the file's. */
  private blanks = 0;
  /** Whether it is larger than the limit (what was read of it is dropped). */
  private tooLarge = false;
  private previousBlank = true;
  /** Whether the file's leading blank lines (CR or LF) are behind. */
  private started = false;
  /** The bytes not read yet: the last whole line (a separator is known by the line after it)
   * and what follows it, in the pieces they came in. */
  private rest: Uint8Array[] = [];
  private restBytes = 0;
  /** Whether the line being read is longer than the limit: its bytes are dropped to its end. */
  private dropping = false;
  private builder = new MessageBytes();

  constructor(private readonly maxMessageBytes = Number.POSITIVE_INFINITY) {}

  /** The next piece of the file; the messages it ended (null: one larger than the limit). */
  push(piece: Uint8Array): Array<Uint8Array | null> {
    if (!this.started) {
      let start = 0;
      while (start < piece.length && (piece[start] === 0x0a || piece[start] === 0x0d)) start += 1;
      if (start === piece.length) return [];
      this.started = true;
      piece = piece.subarray(start);
    }
    if (this.dropping) {
      const end = piece.indexOf(0x0a);
      if (end === -1) return [];
      this.dropping = false;
      piece = piece.subarray(end + 1);
    }
    this.rest.push(piece);
    this.restBytes += piece.length;
    if (piece.indexOf(0x0a) === -1) {
      // No line ends here: the pieces wait, unless the line is longer than a message may be.
      return this.restBytes > this.maxMessageBytes ? this.dropLine() : [];
    }
    const bytes = this.rest.length === 1 ? piece : joined(this.rest);
    const lastEnd = bytes.lastIndexOf(0x0a);
    // The last whole line waits for the one after it.
    const lastStart = lastEnd <= 0 ? 0 : bytes.lastIndexOf(0x0a, lastEnd - 1) + 1;
    this.rest = [bytes.slice(lastStart)];
    this.restBytes = bytes.length - lastStart;
    return this.read(bytes.subarray(0, lastStart), bytes);
  }

  /** The file's end: the messages left. */
  end(): Array<Uint8Array | null> {
    const rest = joined(this.rest);
    const messages = this.read(rest, rest);
    this.rest = [];
    this.restBytes = 0;
    this.finish(messages);
    this.message = null;
    return messages;
  }

  /** A line longer than a message may be: the whole lines before it are read, it is dropped
   * to its end, and the message it is in is too large. */
  private dropLine(): Array<Uint8Array | null> {
    const bytes = joined(this.rest);
    const tail = bytes.lastIndexOf(0x0a) + 1;
    const messages = this.read(bytes.subarray(0, tail), bytes);
    this.rest = [];
    this.restBytes = 0;
    this.dropping = true;
    this.previousBlank = false;
    this.markTooLarge();
    return messages;
  }

  private markTooLarge(): void {
    if (this.message === null) return;
    this.tooLarge = true;
    this.message.clear();
    this.blanks = 0;
  }

  /** The lines of `bytes` (which start `ahead`, where the line after the last is read). */
  private read(bytes: Uint8Array, ahead: Uint8Array): Array<Uint8Array | null> {
    const messages: Array<Uint8Array | null> = [];
    for (const { line, next } of linesOf(bytes)) {
      if (
        startsWithFrom(line) &&
        FIELD_LINE.test(lineAt(ahead, next)) &&
        (this.previousBlank || FROM_LINE.test(latin1.decode(line)))
      ) {
        this.finish(messages);
        this.message = this.builder;
        this.blanks = 0;
        this.tooLarge = false;
      } else if (this.message !== null && !this.tooLarge) {
        if (line.length === 0) this.blanks += 1;
        else {
          for (; this.blanks > 0; this.blanks -= 1) this.message.add(CRLF);
          this.message.add(line[0] === 0x3e && isFromLine(line, 0, line.length) ? line.subarray(1) : line);
          this.message.add(CRLF);
        }
        if (this.message.length + 2 * this.blanks > this.maxMessageBytes) this.markTooLarge();
      }
      this.previousBlank = line.length === 0;
    }
    return messages;
  }

  /** The message being read, ended: its bytes without the file's blank line, or null. */
  private finish(messages: Array<Uint8Array | null>): void {
    if (this.message === null) return;
    if (this.tooLarge) {
      messages.push(null);
      return;
    }
    for (let blanks = this.blanks - 1; blanks > 0; blanks -= 1) this.message.add(CRLF);
    messages.push(this.message.take());
  }
}

/** A message with CRLF line ends, as messages are stored and servers take them (RFC 9051). */
function crlf(bytes: Uint8Array): Uint8Array {
  const out = new MessageBytes();
  for (const { line } of linesOf(bytes)) {
    out.add(line);
    out.add(CRLF);
  }
  return out.take();
}

/** A message's state as the fields mutt and Dovecot's mbox write: Status R (read; O, "old",
 * is not read), X-Status A (answered) and F (flagged). */
function stateFields(state: MailState): string {
  const x = `${state.answered ? "A" : ""}${state.flagged ? "F" : ""}`;
  return `Status: ${state.seen ? "RO" : "O"}\n${x ? `X-Status: ${x}\n` : ""}`;
}

/** The header fields mbox programs keep a message's state in, not the message's own. */
const STATE_FIELD = /^(status|x-status|x-mozilla-status|x-mozilla-status2|x-mozilla-keys)[ \t]*:(.*)$/i;
/** The fields Thunderbird writes at the top of each message of its mbox, before the message's own. */
const THUNDERBIRD_FIRST = /^(x-account-key|x-uidl|x-mozilla-[a-z0-9-]+)[ \t]*:/i;
/** Thunderbird's X-Mozilla-Status bits: read, replied, marked (flagged), expunged. */
const MOZILLA = { read: 0x1, replied: 0x2, marked: 0x4, expunged: 0x8 } as const;

/** The longest header block read for state fields; what follows is taken as the body. */
const MAX_HEADER_BYTES = 64 * 1024;

/**
 * A message without the header fields mail programs keep its state in (STATE_FIELD), each
 * field's first value (what mboxMessage writes comes first), and whether X-Mozilla-Status stood
 * among the fields Thunderbird writes first (`mozillaFirst`: X-Account-Key, X-UIDL, X-Mozilla-*,
 * before any other). The header ends at its blank line, at a line that is no field (a message
 * with no blank line keeps its body), or after MAX_HEADER_BYTES.
 */
function splitStateFields(raw: Uint8Array): {
  raw: Uint8Array;
  fields: Map<string, string>;
  mozillaFirst: boolean;
} {
  const fields = new Map<string, string>();
  const kept: Uint8Array[] = [];
  let leading = true;
  let mozillaFirst = false;
  // The state field being read (its folded lines go with it), else null; `again`: a later
  // copy of one already read, dropped without its value.
  let dropping: string | null = null;
  let again = false;
  // Where the body starts (the line that ends the header): it is kept as it is.
  let body = raw.length;
  let start = 0;
  for (const { line, next } of linesOf(raw)) {
    const folded = line[0] === 0x20 || line[0] === 0x09;
    const text = latin1.decode(line.subarray(0, 200));
    if (line.length === 0 || next > MAX_HEADER_BYTES || (!folded && !FIELD_LINE.test(text))) {
      body = start;
      break;
    }
    start = next;
    if (folded) {
      if (dropping === null) kept.push(line);
      else if (!again) fields.set(dropping, `${fields.get(dropping) ?? ""} ${text}`);
      continue;
    }
    const field = STATE_FIELD.exec(text);
    dropping = field ? (field[1] ?? "").toLowerCase() : null;
    leading &&= THUNDERBIRD_FIRST.test(text);
    if (leading && dropping === "x-mozilla-status") mozillaFirst = true;
    if (dropping === null) {
      kept.push(line);
      continue;
    }
    again = fields.has(dropping);
    if (!again) fields.set(dropping, field?.[2] ?? "");
  }
  return {
    raw: fields.size > 0 ? joined([joinCrlf(kept), raw.subarray(body)]) : raw,
    fields,
    mozillaFirst,
  };
}

/**
 * A message of an mbox (or an .eml saved by a mail program) without the header fields its
 * program kept its state in, and that state: Thunderbird's X-Mozilla-Status when it has one (its
 * flags are the newest), else Status and X-Status (no R: unread, as mutt and Dovecot read it).
 * Null for a message of an mbox (`fromMbox`: one MboxReader read) that Thunderbird marked
 * expunged, where it wrote that field, among the fields it writes first: its mbox keeps deleted
 * mail until it is compacted, and an import must not bring it back. Not for a field further
 * down, which a sender can write, nor in an .eml, which the user chose. What mboxMessage wrote
 * comes back as it was before.
 */
export function withoutStateFields(raw: Uint8Array, { fromMbox = false } = {}): ImportedMessage | null {
  const { raw: message, fields, mozillaFirst } = splitStateFields(raw);
  if (fields.size === 0) return { raw, state: null };
  const mozillaText = (fields.get("x-mozilla-status") ?? "").trim();
  const mozilla = /^[0-9a-f]{1,4}$/i.test(mozillaText) ? parseInt(mozillaText, 16) : null;
  if (mozilla !== null) {
    if (mozilla & MOZILLA.expunged && fromMbox && mozillaFirst) return null;
    return {
      raw: message,
      state: {
        seen: (mozilla & MOZILLA.read) !== 0,
        flagged: (mozilla & MOZILLA.marked) !== 0,
        answered: (mozilla & MOZILLA.replied) !== 0,
      },
    };
  }
  const status = fields.get("status")?.trim() ?? null;
  const xStatus = fields.get("x-status")?.trim() ?? null;
  if (status === null && xStatus === null) return { raw: message, state: null };
  return {
    raw: message,
    state: {
      seen: status?.includes("R") ?? false,
      flagged: xStatus?.includes("F") ?? false,
      answered: xStatus?.includes("A") ?? false,
    },
  };
}

/** The bytes without the blank lines a file may start with. */
function fromFirstLine(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length && (bytes[start] === 0x0a || bytes[start] === 0x0d)) start += 1;
  return bytes.subarray(start);
}

/** How many of a file's first bytes importKind reads. */
export const IMPORT_HEAD_BYTES = 64 * 1024;

/** What a file to import is, from its first bytes (IMPORT_HEAD_BYTES): an mbox (its first line
 * a "From " separator), one message (.eml: a header of message fields), or neither (null). */
export function importKind(head: Uint8Array): "mbox" | "eml" | null {
  const first = fromFirstLine(head);
  if (startsWithFrom(first)) return "mbox";
  return startsAsMessage(first) ? "eml" : null;
}

/** One message of an mbox (MboxReader) as imported (withoutStateFields): null when
 * Thunderbird marked it expunged. */
export function importedFromMbox(raw: Uint8Array): ImportedMessage | null {
  return withoutStateFields(raw, { fromMbox: true });
}

/** An .eml file's message as imported: CRLF line ends, without its state fields. */
export function importedEml(file: Uint8Array): ImportedMessage {
  return withoutStateFields(crlf(fromFirstLine(file)))!;
}
