// A byte-level pass over the raw message before postal-mime sees it. postal-mime decodes
// every header line as UTF-8, which turns raw 8-bit headers (RFC 5322 forbids them, yet
// old clients write Subject and filenames in their local code page) into U+FFFD. This pass
// finds each header block (the message's and every MIME part's), re-encodes lines that are
// not UTF-8 from the message's legacy charset to UTF-8, trims oversized header blocks, and
// cuts the message after MimeLimits.maxParts parts so pathological messages cannot make
// the parser build millions of nodes.

import { decodeLenient, isKnownCharset, normalizeCharsetLabel, tryStrictUtf8 } from "./charset";
import type { MimeLimits } from "./limits";
import type { MimeNote } from "./view";

const latin1 = new TextDecoder("latin1");
const utf8Encoder = new TextEncoder();

/** The raw bytes as postal-mime should see them, and what was changed on the way. */
export interface PreparedRaw {
  bytes: Uint8Array;
  notes: MimeNote[];
}

// Fields that decide how a part's body is read: kept even past the header size limit.
const ESSENTIAL_FIELD = /^(?:content-[a-z-]+|mime-version)\s*:/i;
// A boundary stack deeper than this is abuse; the parser's own depth limit applies anyway.
const MAX_TRACKED_BOUNDARIES = 256;

function paramOf(field: string, name: string): string | null {
  const match = new RegExp(`[;\\s]${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, "i").exec(field);
  if (!match) return null;
  return match[1] ?? match[2] ?? null;
}

/**
 * The legacy charset raw 8-bit header bytes are most likely in: the first non-UTF-8
 * charset any part declares (senders write headers in the code page of their body),
 * else windows-1252, the superset of ISO-8859-1 that browsers use for undeclared text.
 */
function guessHeaderCharset(bytes: Uint8Array): string {
  const head = latin1.decode(bytes.subarray(0, 64 * 1024));
  const pattern = /charset\s*=\s*"?([A-Za-z0-9_.:-]+)/gi;
  for (let match = pattern.exec(head); match; match = pattern.exec(head)) {
    const label = normalizeCharsetLabel(match[1] ?? "");
    if (!/^(?:utf-?8|us-ascii|ascii)$/.test(label) && isKnownCharset(label)) return label;
  }
  return "windows-1252";
}

function hasHighByte(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte >= 0x80) return true;
  return false;
}

const lenientUtf8 = new TextDecoder("utf-8");

/** Valid multi-byte UTF-8 sequences clearly outnumber the invalid bytes. */
function mostlyUtf8(bytes: Uint8Array): boolean {
  const text = lenientUtf8.decode(bytes);
  let valid = 0;
  let broken = 0;
  for (const char of text) {
    if (char === "\uFFFD") broken++;
    else if ((char.codePointAt(0) ?? 0) >= 0x80) valid++;
  }
  return valid >= 4 * broken && valid > 0;
}

/** Index just past the blank line that ends the top-level header block, or -1. */
export function findHeaderEnd(bytes: Uint8Array): number {
  let pos = 0;
  while (pos < bytes.length) {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) return -1;
    const lineLength = nl - pos - (nl > pos && bytes[nl - 1] === 0x0d ? 1 : 0);
    if (lineLength === 0) return nl + 1;
    pos = nl + 1;
  }
  return -1;
}

export function prepareRaw(input: Uint8Array, limits: MimeLimits): PreparedRaw {
  const notes: MimeNote[] = [];
  const chunks: Uint8Array[] = [];
  let copyFrom = 0;
  let changed = false;
  let fallbackCharset: string | null = null;
  let noted8bit = false;
  let notedHeaderSize = false;
  let notedBrokenUtf8 = false;

  const boundaries: string[] = [];
  let parts = 1;
  let state: "header" | "body" = "header";
  let blockStart = 0;
  let pos = 0;
  let cutAt = -1;

  const flushBlock = (blockEnd: number): void => {
    const block = input.subarray(blockStart, blockEnd);
    // Group physical lines into fields (RFC 5322 2.2.3: a line starting with WSP continues).
    const fields: Array<[number, number]> = [];
    let p = 0;
    while (p < block.length) {
      const nl = block.indexOf(0x0a, p);
      const end = nl < 0 ? block.length : nl + 1;
      const first = block[p];
      const last = fields[fields.length - 1];
      if (last && (first === 0x20 || first === 0x09)) last[1] = end;
      else fields.push([p, end]);
      p = end;
    }
    for (const [start, end] of fields) {
      if (end - start > 12 && (block[start] === 0x43 || block[start] === 0x63)) {
        const text = latin1.decode(block.subarray(start, Math.min(end, start + 4096)));
        if (/^content-type\s*:/i.test(text) && /multipart\//i.test(text)) {
          const boundary = paramOf(text.replace(/\r?\n[ \t]/g, " "), "boundary");
          if (boundary && boundaries.length < MAX_TRACKED_BOUNDARIES) boundaries.push(boundary);
        }
      }
    }
    const oversized = block.length > limits.maxHeaderBytes;
    const has8bit = hasHighByte(block);
    if (!oversized && !has8bit) return;

    const out: Uint8Array[] = [];
    let kept = 0;
    for (const [start, end] of fields) {
      let field = block.subarray(start, end);
      if (oversized && kept + field.length > limits.maxHeaderBytes) {
        const name = latin1.decode(field.subarray(0, 64));
        if (!ESSENTIAL_FIELD.test(name)) continue;
      }
      kept += field.length;
      if (hasHighByte(field) && tryStrictUtf8(field) === null) {
        if (mostlyUtf8(field)) {
          // UTF-8 with a few broken bytes (a sender that cut a name mid-character) is
          // still UTF-8; postal-mime shows the broken bytes as U+FFFD.
          if (!notedBrokenUtf8) {
            notedBrokenUtf8 = true;
            notes.push({
              code: "DECODING_ERRORS",
              detail: "Some header bytes are not valid UTF-8; shown as \uFFFD.",
            });
          }
          out.push(field);
          continue;
        }
        fallbackCharset ??= guessHeaderCharset(input);
        field = utf8Encoder.encode(decodeLenient(field, fallbackCharset));
        if (!noted8bit) {
          noted8bit = true;
          notes.push({
            code: "RAW_8BIT_HEADER",
            detail: `Some header lines were raw 8-bit text, not encoded words; read as ${fallbackCharset}.`,
          });
        }
      }
      out.push(field);
    }
    if (oversized && !notedHeaderSize) {
      notedHeaderSize = true;
      notes.push({
        code: "HEADER_TOO_LARGE",
        detail: `A header block of ${block.length} bytes exceeds ${limits.maxHeaderBytes}; extra fields were dropped.`,
      });
    }
    chunks.push(input.subarray(copyFrom, blockStart), ...out);
    copyFrom = blockEnd;
    changed = true;
  };

  while (pos < input.length) {
    const nl = input.indexOf(0x0a, pos);
    const lineEnd = nl < 0 ? input.length : nl + 1;
    let contentEnd = nl < 0 ? input.length : nl;
    if (contentEnd > pos && input[contentEnd - 1] === 0x0d) contentEnd--;
    if (state === "header") {
      if (contentEnd === pos) {
        flushBlock(pos);
        state = "body";
      }
    } else if (boundaries.length > 0 && input[pos] === 0x2d && input[pos + 1] === 0x2d) {
      const line = latin1.decode(input.subarray(pos + 2, Math.min(contentEnd, pos + 2 + 200)));
      for (let b = boundaries.length - 1; b >= 0; b--) {
        const boundary = boundaries[b] ?? "";
        if (!line.startsWith(boundary)) continue;
        const rest = line.slice(boundary.length).trim();
        if (rest === "--") {
          boundaries.length = b;
        } else if (rest === "") {
          boundaries.length = b + 1;
          parts++;
          if (parts > limits.maxParts) cutAt = pos;
          state = "header";
          blockStart = lineEnd;
        } else {
          continue;
        }
        break;
      }
      if (cutAt >= 0) break;
    }
    pos = lineEnd;
  }
  if (state === "header" && cutAt < 0) flushBlock(input.length);

  if (cutAt >= 0) {
    notes.push({
      code: "TOO_MANY_PARTS",
      detail: `The message has more than ${limits.maxParts} parts; the rest were not read.`,
    });
  }
  if (!changed && cutAt < 0) return { bytes: input, notes };
  chunks.push(input.subarray(copyFrom, cutAt >= 0 ? cutAt : input.length));
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { bytes, notes };
}
