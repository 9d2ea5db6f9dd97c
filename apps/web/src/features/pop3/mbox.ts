/**
 * mbox export (the "mboxrd" variant, RFC 4155 and the qmail man page): each message starts
 * with a `From ` line, lines inside that start with ">*From " get one more ">", so reading
 * the file back restores every byte. CRLF becomes LF, as mbox files on disk have it.
 */

export interface MboxEntry {
  raw: Uint8Array;
  /** Envelope sender for the separator line; MAILER-DAEMON when unknown. */
  fromAddress: string;
  /** Epoch ms for the separator line. */
  date: number;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** asctime(3) in UTC, as the separator line wants it: "Mon Jan  2 15:04:05 2006". */
export function asctime(ms: number): string {
  const d = new Date(Number.isFinite(ms) ? ms : 0);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
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

export function toMbox(entries: readonly MboxEntry[]): Uint8Array {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const entry of entries) {
    const sender = entry.fromAddress.replace(/\s+/g, "") || "MAILER-DAEMON";
    chunks.push(enc.encode(`From ${sender} ${asctime(entry.date)}\n`));
    const raw = entry.raw;
    let start = 0;
    while (start < raw.length) {
      let end = raw.indexOf(0x0a, start);
      const next = end === -1 ? raw.length : end + 1;
      if (end === -1) end = raw.length;
      const lineEnd = end > start && raw[end - 1] === 0x0d ? end - 1 : end;
      if (isFromLine(raw, start, lineEnd)) chunks.push(enc.encode(">"));
      chunks.push(raw.subarray(start, lineEnd), enc.encode("\n"));
      start = next;
    }
    // A blank line ends each message.
    chunks.push(enc.encode("\n"));
  }
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
