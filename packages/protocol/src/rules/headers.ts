/**
 * The values of one header field from a raw header block, unfolded (RFC 5322 2.2.3) and with
 * encoded words decoded (RFC 2047), which is what a Sieve `header` test compares (RFC 5228
 * 5.7). Pure; for the rules that run outside the server.
 */

/**
 * The header block of a raw message as one character per byte. Not TextDecoder("latin1"):
 * browsers read that label as windows-1252 (0x8C is "Œ", U+0152), which spoiled the UTF-8
 * bytes of a header such as "Č" (C4 8C) before they could be read as UTF-8. Only the header
 * block is read, not a body of megabytes.
 */
function headerBlockOf(bytes: Uint8Array): string {
  let end = bytes.length;
  for (let i = 0; i + 1 < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (bytes[i + 1] === 0x0a || (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a)) {
      end = i;
      break;
    }
  }
  let text = "";
  for (let i = 0; i < end; i += 8192)
    text += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 8192)));
  return text;
}

function decodeWord(charset: string, encoding: string, text: string): string | null {
  let bytes: Uint8Array;
  if (encoding.toUpperCase() === "B") {
    try {
      bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    } catch {
      return null;
    }
  } else {
    const out: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === "_") out.push(0x20);
      else if (ch === "=" && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
        out.push(parseInt(text.slice(i + 1, i + 3), 16));
        i += 2;
      } else out.push(ch.charCodeAt(0) & 0xff);
    }
    bytes = Uint8Array.from(out);
  }
  try {
    return new TextDecoder(charset.replace(/\*.*$/, "")).decode(bytes);
  } catch {
    return null;
  }
}

export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?)/g, "$1")
    .replace(/=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g, (whole, charset: string, enc: string, text: string) => {
      return decodeWord(charset, enc, text) ?? whole;
    });
}

/** Every value of `name` (case-insensitive) in a header block given as bytes or text. */
export function headerValues(headers: Uint8Array | string, name: string): string[] {
  const text = typeof headers === "string" ? headers : headerBlockOf(headers);
  const end = text.search(/\r?\n\r?\n/);
  const block = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]/g, " ");
  const wanted = name.toLowerCase();
  const out: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0 || line.slice(0, colon).trim().toLowerCase() !== wanted) continue;
    const raw = line.slice(colon + 1).trim();
    // 8-bit header bytes are most often UTF-8 (RFC 6532); fall back to Latin-1 as read. Text
    // given as a string with characters beyond a byte is decoded already.
    let value = raw;
    try {
      if (![...raw].some((c) => c.charCodeAt(0) > 0xff))
        value = new TextDecoder("utf-8", { fatal: true }).decode(
          Uint8Array.from(raw, (c) => c.charCodeAt(0)),
        );
    } catch {
      value = raw;
    }
    out.push(decodeEncodedWords(value));
  }
  return out;
}
