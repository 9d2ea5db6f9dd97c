import { hostname } from "node:os";

/**
 * Modified UTF-7 (RFC 3501 section 5.1.3): what Dovecot's Maildir++ layout uses for
 * non-ASCII folder names on disk, so "Računi" is stored as "Ra&AQ0-uni".
 */
export function encodeModifiedUtf7(name: string): string {
  let out = "";
  let pending: number[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    const bytes = Buffer.alloc(pending.length * 2);
    pending.forEach((u, i) => bytes.writeUInt16BE(u, i * 2));
    out += "&" + bytes.toString("base64").replace(/=+$/, "").replace(/\//g, ",") + "-";
    pending = [];
  };
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) {
      flush();
      out += c === 0x26 ? "&-" : name[i];
    } else pending.push(c);
  }
  flush();
  return out;
}

/**
 * Directory of a folder inside a Maildir++ root with "/" as the IMAP separator:
 * INBOX is the root itself, "Računi/2026" is ".Ra&AQ0-uni.2026".
 */
export function folderDirName(folder: string): string {
  if (folder.toUpperCase() === "INBOX") return "";
  return "." + folder.split("/").map(encodeModifiedUtf7).join(".");
}

const MAILDIR_FLAG_LETTERS: Record<string, string> = {
  "\\Draft": "D",
  "\\Flagged": "F",
  "\\Answered": "R",
  "\\Seen": "S",
  "\\Deleted": "T",
};

/** Maildir info letters, which must be in ASCII order (maildir spec). Unknown keywords are dropped. */
export function maildirFlags(flags: readonly string[]): string {
  return [...new Set(flags.map((f) => MAILDIR_FLAG_LETTERS[f]).filter((l): l is string => l !== undefined))]
    .sort()
    .join("");
}

/** RFC 822 size with every bare LF counted as CRLF: Dovecot's virtual size, the W= field. */
export function virtualSize(raw: Uint8Array): number {
  let extra = 0;
  for (let i = 0; i < raw.length; i++) if (raw[i] === 0x0a && (i === 0 || raw[i - 1] !== 0x0d)) extra++;
  return raw.length + extra;
}

// The host part must not contain "/" or ":" (maildir spec); Dovecot encodes them the same way.
const HOST = hostname().replace(/\//g, "\\057").replace(/:/g, "\\072");

/**
 * Dovecot's maildir base name `<time>.M<usecs>P<pid>Q<n>.<host>,S=<size>,W=<vsize>`.
 * Dovecot orders new files by the leading time when assigning UIDs, and trusts S= and W=
 * so it need not read the file to answer RFC822.SIZE or quota questions.
 */
export function maildirBaseName(date: Date, seq: number, size: number, vsize: number): string {
  const secs = Math.floor(date.getTime() / 1000);
  return `${secs}.M${seq % 1_000_000}P${process.pid}Q${seq}.${HOST},S=${size},W=${vsize}`;
}
