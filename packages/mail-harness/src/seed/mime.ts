import iconv from "iconv-lite";
import { fnv1a } from "./prng";

/** Body and header charsets the generator produces; the 8-bit ones are what Serbian mail still arrives in. */
export type Charset = "utf-8" | "windows-1250" | "iso-8859-2" | "us-ascii";
export type TransferEncoding = "7bit" | "8bit" | "quoted-printable" | "base64";

export interface Address {
  name?: string;
  address: string;
}

export interface Attachment {
  filename: string;
  contentType: string;
  content: Uint8Array | string;
  /** Marks the part `inline`; with `contentId` it goes into multipart/related next to the HTML. */
  inline?: boolean;
  /** Without angle brackets; referenced from HTML as `cid:<contentId>`. */
  contentId?: string;
}

export interface BuildMessageOptions {
  from: string | Address;
  to: string | Address | Array<string | Address>;
  cc?: string | Address | Array<string | Address>;
  subject: string;
  text?: string;
  html?: string;
  /** Charset of the text bodies and of encoded-word headers. @default "utf-8" */
  charset?: Charset;
  /** RFC 2047 encoding for non-ASCII headers. @default "B" */
  headerEncoding?: "B" | "Q";
  /** Transfer encoding of the text bodies; pure-ASCII bodies always go out as 7bit. @default "quoted-printable" */
  transferEncoding?: TransferEncoding;
  attachments?: Attachment[];
  /** @default 2026-01-01T00:00:00Z, so that output stays deterministic */
  date?: Date;
  /** Without angle brackets. Derived from the content when absent. */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  /** Extra raw headers, appended as given (must already be ASCII). */
  headers?: Record<string, string>;
}

const CRLF = "\r\n";
const DEFAULT_DATE = new Date(Date.UTC(2026, 0, 1));
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const pad2 = (n: number): string => String(n).padStart(2, "0");

/** RFC 5322 date-time in UTC. */
export function formatRfc5322Date(date: Date): string {
  return (
    `${DAYS[date.getUTCDay()]}, ${pad2(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())} +0000`
  );
}

// eslint-disable-next-line no-control-regex
const isAscii = (text: string): boolean => /^[\x00-\x7f]*$/.test(text);

export function encodeText(text: string, charset: Charset): Buffer {
  if (charset === "utf-8" || charset === "us-ascii") return Buffer.from(text, "utf8");
  return iconv.encode(text, charset);
}

/**
 * RFC 2047 encoded words, split on character boundaries so that each word stays within
 * the 75-character limit and no multi-byte sequence is cut in half (RFC 2047 section 5).
 */
export function encodeWord(text: string, charset: Charset = "utf-8", encoding: "B" | "Q" = "B"): string {
  if (isAscii(text)) return text;
  const cs = charset === "us-ascii" ? "utf-8" : charset;
  const prefix = `=?${cs.toUpperCase()}?${encoding}?`;
  const budget = 75 - prefix.length - 2;
  const words: string[] = [];
  let bytesInWord: number[] = [];
  let qWord = "";
  for (const ch of text) {
    const bytes = encodeText(ch, cs);
    if (encoding === "B") {
      if (Math.ceil((bytesInWord.length + bytes.length) / 3) * 4 > budget && bytesInWord.length > 0) {
        words.push(Buffer.from(bytesInWord).toString("base64"));
        bytesInWord = [];
      }
      bytesInWord.push(...bytes);
    } else {
      const piece = qEncodeBytes(bytes);
      if (qWord.length + piece.length > budget && qWord.length > 0) {
        words.push(qWord);
        qWord = "";
      }
      qWord += piece;
    }
  }
  if (bytesInWord.length > 0) words.push(Buffer.from(bytesInWord).toString("base64"));
  if (qWord.length > 0) words.push(qWord);
  // Folding whitespace between encoded words is dropped by decoders (RFC 2047 section 6.2).
  return words.map((w) => `${prefix}${w}?=`).join(CRLF + " ");
}

function qEncodeBytes(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) {
    if (b === 0x20) out += "_";
    else if (
      (b >= 0x30 && b <= 0x39) ||
      (b >= 0x41 && b <= 0x5a) ||
      (b >= 0x61 && b <= 0x7a) ||
      b === 0x21 ||
      b === 0x2a ||
      b === 0x2b ||
      b === 0x2d ||
      b === 0x2f
    ) {
      out += String.fromCharCode(b);
    } else out += "=" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

export function formatAddress(
  addr: string | Address,
  charset: Charset = "utf-8",
  encoding: "B" | "Q" = "B",
): string {
  if (typeof addr === "string") {
    if (isAscii(addr)) return addr;
    // "Šef <sef@firma.rs>" as a plain string: its name is encoded as the object form's is (written
    // raw, the header block's latin1 bytes turned "Š" into "`").
    const named = /^\s*"?(.*?)"?\s*<([\x21-\x7e]+)>\s*$/.exec(addr);
    if (!named) throw new Error(`buildMessage: address "${addr}" is not ASCII; give it as { name, address }`);
    return formatAddress({ name: named[1] ?? "", address: named[2] ?? "" }, charset, encoding);
  }
  if (!isAscii(addr.address))
    throw new Error(
      `buildMessage: address "${addr.address}" is not ASCII (an SMTPUTF8 address is not built here)`,
    );
  if (!addr.name) return addr.address;
  const name = isAscii(addr.name)
    ? /^[\w !#$%&'*+\-/=?^`{|}~]*$/.test(addr.name)
      ? addr.name
      : `"${addr.name.replace(/["\\]/g, "\\$&")}"`
    : encodeWord(addr.name, charset, encoding);
  return `${name} <${addr.address}>`;
}

const addressList = (v: string | Address | Array<string | Address>, cs: Charset, enc: "B" | "Q"): string =>
  (Array.isArray(v) ? v : [v]).map((a) => formatAddress(a, cs, enc)).join("," + CRLF + " ");

/** Base64 wrapped at 76 columns (RFC 2045 section 6.8). */
export function base64Lines(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join(CRLF);
}

/** Quoted-printable over bytes (RFC 2045 section 6.7): soft breaks at 76, trailing blanks encoded, line breaks kept as CRLF. */
export function quotedPrintable(bytes: Uint8Array): string {
  const out: string[] = [];
  let line = "";
  const flushSoft = (): void => {
    out.push(line + "=");
    line = "";
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b === 0x0d && bytes[i + 1] === 0x0a) continue;
    if (b === 0x0a) {
      out.push(encodeTrailingBlank(line));
      line = "";
      continue;
    }
    const literal = (b >= 33 && b <= 126 && b !== 61) || b === 0x20 || b === 0x09;
    // A leading "." would be dot-stuffed by POP3/SMTP; encoding it keeps raw bytes identical end to end.
    const token =
      literal && !(line.length === 0 && b === 0x2e)
        ? String.fromCharCode(b)
        : "=" + b.toString(16).toUpperCase().padStart(2, "0");
    if (line.length + token.length > 75) flushSoft();
    line += token;
  }
  out.push(encodeTrailingBlank(line));
  return out.join(CRLF);
}

function encodeTrailingBlank(line: string): string {
  const last = line.at(-1);
  if (last === " ") return line.slice(0, -1) + "=20";
  if (last === "\t") return line.slice(0, -1) + "=09";
  return line;
}

/** Filename parameters: RFC 2231 `filename*` for non-ASCII plus an RFC 2047 `name=` fallback that older clients read. */
function fileParams(param: "filename" | "name", filename: string): string {
  if (isAscii(filename)) return `${param}="${filename.replace(/["\\]/g, "\\$&")}"`;
  if (param === "name") return `name="${encodeWord(filename, "utf-8", "B").replace(/\r\n /g, " ")}"`;
  const encoded = Array.from(Buffer.from(filename, "utf8")).map((b) =>
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    b === 0x2e ||
    b === 0x2d ||
    b === 0x5f
      ? String.fromCharCode(b)
      : "%" + b.toString(16).toUpperCase().padStart(2, "0"),
  );
  // Continuations (RFC 2231 section 3) keep header lines short for long names.
  const chunks: string[] = [];
  let cur = "";
  for (const token of encoded) {
    if (cur.length + token.length > 60) {
      chunks.push(cur);
      cur = "";
    }
    cur += token;
  }
  chunks.push(cur);
  if (chunks.length === 1) return `filename*=UTF-8''${chunks[0]}`;
  return chunks.map((c, i) => `filename*${i}*=${i === 0 ? "UTF-8''" : ""}${c}`).join(";" + CRLF + " ");
}

interface Part {
  headers: string[];
  body: Uint8Array | string;
}

function textPart(text: string, subtype: "plain" | "html", charset: Charset, te: TransferEncoding): Part {
  const normalized = text.replace(/\r?\n/g, CRLF);
  if (isAscii(normalized)) {
    return {
      headers: [
        `Content-Type: text/${subtype}; charset=${charset === "us-ascii" ? "us-ascii" : charset}`,
        "Content-Transfer-Encoding: 7bit",
      ],
      body: normalized,
    };
  }
  const bytes = encodeText(normalized, charset);
  const body =
    te === "base64" ? base64Lines(bytes) : te === "quoted-printable" ? quotedPrintable(bytes) : bytes;
  return {
    headers: [
      `Content-Type: text/${subtype}; charset=${charset}`,
      `Content-Transfer-Encoding: ${te === "7bit" ? "8bit" : te}`,
    ],
    body,
  };
}

function attachmentPart(a: Attachment): Part {
  const bytes = typeof a.content === "string" ? Buffer.from(a.content, "utf8") : a.content;
  const headers = [
    `Content-Type: ${a.contentType}; ${fileParams("name", a.filename)}`,
    `Content-Disposition: ${a.inline ? "inline" : "attachment"}; ${fileParams("filename", a.filename)}`,
    "Content-Transfer-Encoding: base64",
  ];
  if (a.contentId) headers.push(`Content-ID: <${a.contentId}>`);
  return { headers, body: base64Lines(bytes) };
}

function multipart(subtype: string, parts: Part[], boundary: string): Part {
  const chunks: Array<Uint8Array | string> = [`This is a multi-part message in MIME format.${CRLF}`];
  for (const p of parts) {
    chunks.push(`--${boundary}${CRLF}${p.headers.join(CRLF)}${CRLF}${CRLF}`, p.body, CRLF);
  }
  chunks.push(`--${boundary}--${CRLF}`);
  return {
    headers: [`Content-Type: multipart/${subtype};${CRLF} boundary="${boundary}"`],
    body: concat(chunks),
  };
}

function concat(chunks: Array<Uint8Array | string>): Buffer {
  return Buffer.concat(chunks.map((c) => (typeof c === "string" ? Buffer.from(c, "latin1") : c)));
}

/**
 * One RFC 5322 message as bytes with CRLF line ends, deterministic for the same options.
 * Headers are pure ASCII (RFC 2047/2231); bodies are in `charset`.
 */
export function buildMessage(opts: BuildMessageOptions): Uint8Array {
  const charset = opts.charset ?? "utf-8";
  const hEnc = opts.headerEncoding ?? "B";
  const te = opts.transferEncoding ?? "quoted-printable";
  const date = opts.date ?? DEFAULT_DATE;
  const seed = fnv1a(
    `${opts.subject}|${date.toISOString()}|${JSON.stringify(opts.from)}|${(opts.text ?? "").slice(0, 64)}`,
  );
  const messageId = opts.messageId ?? `${seed}.${date.getTime().toString(36)}@pismo.test`;

  const textParts: Part[] = [];
  if (opts.text !== undefined || opts.html === undefined)
    textParts.push(textPart(opts.text ?? "", "plain", charset, te));
  let htmlPart: Part | undefined;
  if (opts.html !== undefined) htmlPart = textPart(opts.html, "html", charset, te);

  const attachments = opts.attachments ?? [];
  const related = attachments.filter((a) => a.contentId !== undefined && a.inline);
  const mixed = attachments.filter((a) => !(a.contentId !== undefined && a.inline));
  let boundaryN = 0;
  const boundary = (): string => `=_pismo_${seed}_${boundaryN++}`;

  if (htmlPart && related.length > 0)
    htmlPart = multipart("related", [htmlPart, ...related.map(attachmentPart)], boundary());
  const bodyParts = htmlPart ? [...textParts, htmlPart] : textParts;
  let root: Part =
    bodyParts.length > 1 ? multipart("alternative", bodyParts, boundary()) : (bodyParts[0] as Part);
  if (mixed.length > 0) root = multipart("mixed", [root, ...mixed.map(attachmentPart)], boundary());

  const headers = [
    `From: ${addressList(opts.from, charset, hEnc)}`,
    `To: ${addressList(opts.to, charset, hEnc)}`,
  ];
  if (opts.cc !== undefined) headers.push(`Cc: ${addressList(opts.cc, charset, hEnc)}`);
  headers.push(
    `Subject: ${encodeWord(opts.subject, charset, hEnc)}`,
    `Date: ${formatRfc5322Date(date)}`,
    `Message-ID: <${messageId}>`,
  );
  if (opts.inReplyTo) headers.push(`In-Reply-To: <${opts.inReplyTo}>`);
  if (opts.references && opts.references.length > 0)
    headers.push(`References: ${opts.references.map((r) => `<${r}>`).join(CRLF + " ")}`);
  for (const [k, v] of Object.entries(opts.headers ?? {})) {
    if (!isAscii(k + v))
      throw new Error(`buildMessage: header ${k} is not ASCII; encode it first (encodeWord)`);
    headers.push(`${k}: ${v}`);
  }
  headers.push("MIME-Version: 1.0", ...root.headers);
  return concat([headers.join(CRLF) + CRLF + CRLF, root.body]);
}
