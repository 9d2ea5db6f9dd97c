// The top-level header block of a raw message as an ordered list of fields, topmost first.
// Order matters for trust: each server on the way adds its fields above the ones it
// received, so the fields the user's own server added are the topmost ones.

import { findHeaderEnd } from "../mime/raw-headers";

/** One header field, unfolded (RFC 5322 §2.2.3), its value not decoded (encoded-words stay). */
export interface HeaderField {
  /** The field name as written ("Authentication-Results"); compare case-insensitively. */
  name: string;
  value: string;
}

/** More header bytes than this are not read: a real header block is a few KB, 200 KB is abuse. */
export const MAX_TRUST_HEADER_BYTES = 256 * 1024;

const utf8 = new TextDecoder("utf-8");

/**
 * Read the top-level header fields of a raw RFC 5322 message (bytes or text). Raw 8-bit
 * bytes are read as UTF-8 (RFC 6532 headers); lines without a colon are skipped.
 */
export function readHeaderFields(raw: Uint8Array | string, maxBytes = MAX_TRUST_HEADER_BYTES): HeaderField[] {
  let text: string;
  if (typeof raw === "string") {
    const end = raw.search(/\r?\n\r?\n/);
    text = (end < 0 ? raw : raw.slice(0, end)).slice(0, maxBytes);
  } else {
    const end = findHeaderEnd(raw);
    text = utf8.decode(raw.subarray(0, Math.min(end < 0 ? raw.length : end, maxBytes)));
  }
  const fields: HeaderField[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]/.test(line)) {
      const last = fields[fields.length - 1];
      if (last) last.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) continue;
    fields.push({ name, value: line.slice(colon + 1).trim() });
  }
  return fields;
}

/** Every value of a field, topmost first. */
export function fieldValues(headers: readonly HeaderField[], name: string): string[] {
  const wanted = name.toLowerCase();
  return headers.filter((field) => field.name.toLowerCase() === wanted).map((field) => field.value);
}

/** The topmost value of a field, or null. */
export function firstFieldValue(headers: readonly HeaderField[], name: string): string | null {
  return fieldValues(headers, name)[0] ?? null;
}
