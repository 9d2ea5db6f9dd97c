// Charset resolution and decoding shared by the MIME parser and the IMAP body-part helper.
//
// TextDecoder (the WHATWG Encoding Standard) covers almost every charset mail uses, in the
// browser and in Node built with full ICU. What it lacks is UTF-7 (RFC 2152), which old
// Outlook and some mailing-list software still emit, and a few vendor spellings of labels
// it does know. Everything that still does not resolve is decoded on a best-effort basis
// and reported with a note, so a reader never sees mojibake without being told why.

import type { MimeNote } from "./view";

/** How a charset label was resolved. */
type Resolved = { kind: "utf-7" } | { kind: "decoder"; decoder: TextDecoder } | { kind: "unknown" };

// Vendor and historic spellings TextDecoder does not accept as written. Microsoft code
// pages map onto their WHATWG supersets (windows-31j is shift_jis, cp949 is euc-kr).
const ALIASES: ReadonlyMap<string, string> = new Map([
  ["cp932", "shift_jis"],
  ["ms932", "shift_jis"],
  ["shiftjis", "shift_jis"],
  ["sjis", "shift_jis"],
  ["cp936", "gbk"],
  ["ms936", "gbk"],
  ["cp949", "euc-kr"],
  ["ms949", "euc-kr"],
  ["uhc", "euc-kr"],
  ["cp950", "big5"],
  ["ms950", "big5"],
  ["big5hkscs", "big5"],
  ["cp20932", "euc-jp"],
  ["eucjp", "euc-jp"],
  ["euckr", "euc-kr"],
  ["cp50220", "iso-2022-jp"],
  ["cp50221", "iso-2022-jp"],
  ["cp50222", "iso-2022-jp"],
  ["iso2022jp", "iso-2022-jp"],
  ["cp28591", "iso-8859-1"],
  ["cp28592", "iso-8859-2"],
  ["cp20866", "koi8-r"],
  ["koi8r", "koi8-r"],
  ["koi8u", "koi8-u"],
  ["cp21866", "koi8-u"],
  ["cp65001", "utf-8"],
  ["utf8", "utf-8"],
  ["latin2", "iso-8859-2"],
  ["latin1", "iso-8859-1"],
  ["ascii", "us-ascii"],
  ["usascii", "us-ascii"],
  ["ansix341968", "us-ascii"],
  ["ucs2", "utf-16le"],
  ["utf16", "utf-16le"],
]);

const UTF7_LABELS = new Set(["utf-7", "utf7", "unicode-1-1-utf-7", "x-utf-7", "csunicode11utf7"]);

// Labels TextDecoder may accept that promise nothing: "replacement" decodes every input to
// a single U+FFFD (iso-2022-kr, hz-gb-2312), and these declare that the sender did not know.
const MEANINGLESS = new Set(["unknown-8bit", "x-unknown", "unknown", "default", "x-user-defined"]);

// Decoders are cached by label. Only labels that produced a decoder are cached, and the
// cache is capped, so a message inventing thousands of labels cannot grow it.
const decoderCache = new Map<string, TextDecoder>();
const DECODER_CACHE_MAX = 64;

function tryDecoder(label: string): TextDecoder | null {
  const cached = decoderCache.get(label);
  if (cached) return cached;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    return null;
  }
  if (decoder.encoding === "replacement") return null;
  if (decoderCache.size < DECODER_CACHE_MAX) decoderCache.set(label, decoder);
  return decoder;
}

/** Lower-cases and strips quotes, RFC 2231 language suffixes and stray whitespace. */
export function normalizeCharsetLabel(charset: string): string {
  let label = charset
    .trim()
    .toLowerCase()
    .replace(/^["']+|["']+$/g, "");
  // RFC 2231 section 5 allows "charset*language" in encoded words.
  const star = label.indexOf("*");
  if (star >= 0) label = label.slice(0, star);
  return label.trim();
}

function resolve(charset: string): Resolved {
  const label = normalizeCharsetLabel(charset);
  if (label === "" || MEANINGLESS.has(label)) return { kind: "unknown" };
  if (UTF7_LABELS.has(label)) return { kind: "utf-7" };
  const direct = tryDecoder(label);
  if (direct) return { kind: "decoder", decoder: direct };
  // Strip vendor prefixes ("x-", "cs") and separators, then map code pages.
  const squashed = label.replace(/^(?:x-ms-|x-|cs)/, "").replace(/[\s._-]+/g, "");
  const alias = ALIASES.get(squashed);
  if (alias) {
    const decoder = tryDecoder(alias);
    if (decoder) return { kind: "decoder", decoder };
  }
  if (squashed === "utf7") return { kind: "utf-7" };
  const codePage = /^(?:cp|windows|ms|ibm)(\d{3,5})$/.exec(squashed);
  if (codePage) {
    const decoder = tryDecoder(`windows-${codePage[1] ?? ""}`) ?? tryDecoder(`cp${codePage[1] ?? ""}`);
    if (decoder) return { kind: "decoder", decoder };
  }
  const iso = /^iso8859(\d{1,2})$/.exec(squashed);
  if (iso) {
    const decoder = tryDecoder(`iso-8859-${iso[1] ?? ""}`);
    if (decoder) return { kind: "decoder", decoder };
  }
  const squashedDecoder = tryDecoder(squashed);
  if (squashedDecoder) return { kind: "decoder", decoder: squashedDecoder };
  return { kind: "unknown" };
}

/** True when `charset` names an encoding this module can decode. */
export function isKnownCharset(charset: string): boolean {
  return resolve(charset).kind !== "unknown";
}

const BASE64_VALUES: ReadonlyMap<number, number> = new Map(
  [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].map((c, i) => [c.charCodeAt(0), i]),
);

/**
 * Decodes UTF-7 (RFC 2152). Direct characters pass through; "+" opens a run of modified
 * base64 (no padding) carrying UTF-16 code units, closed by any non-base64 byte, and a
 * closing "-" is absorbed. "+-" is a literal "+". Surrogate pairs come out as UTF-16
 * naturally because the runs carry UTF-16 code units.
 */
export function decodeUtf7(bytes: Uint8Array): string {
  const out: string[] = [];
  let units: number[] = [];
  let i = 0;
  const flushUnits = (): void => {
    // String.fromCharCode in chunks: a long run must not overflow the argument limit.
    for (let k = 0; k < units.length; k += 4096) out.push(String.fromCharCode(...units.slice(k, k + 4096)));
    units = [];
  };
  let direct = "";
  while (i < bytes.length) {
    const byte = bytes[i] ?? 0;
    if (byte !== 0x2b /* + */) {
      direct += String.fromCharCode(byte < 0x80 ? byte : 0xfffd);
      i++;
      if (direct.length > 4096) {
        out.push(direct);
        direct = "";
      }
      continue;
    }
    out.push(direct);
    direct = "";
    i++;
    if (bytes[i] === 0x2d /* - */) {
      out.push("+");
      i++;
      continue;
    }
    let bits = 0;
    let bitCount = 0;
    while (i < bytes.length) {
      const value = BASE64_VALUES.get(bytes[i] ?? 0);
      if (value === undefined) break;
      bits = ((bits << 6) | value) & 0xffffff;
      bitCount += 6;
      if (bitCount >= 16) {
        bitCount -= 16;
        units.push((bits >> bitCount) & 0xffff);
      }
      i++;
    }
    flushUnits();
    if (bytes[i] === 0x2d) i++;
  }
  out.push(direct);
  return out.join("");
}

const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });
const lenientUtf8 = new TextDecoder("utf-8");
const windows1252 = new TextDecoder("windows-1252");

/** Decodes strict UTF-8, or returns null when the bytes are not valid UTF-8. */
export function tryStrictUtf8(bytes: Uint8Array): string | null {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** The result of decoding a text part: the text, and a note when something was guessed. */
export interface DecodedText {
  text: string;
  note?: MimeNote;
}

/**
 * Decodes the bytes of a text part in the charset its Content-Type declares.
 *
 * - No charset: RFC 2045 says US-ASCII, but 8-bit bytes without a label are in practice
 *   UTF-8 or a Windows code page, so strict UTF-8 is tried first, then windows-1252.
 * - An unknown charset: the same guess, with an UNKNOWN_CHARSET note.
 * - Bytes the charset cannot represent become U+FFFD with a DECODING_ERRORS note.
 */
export function decodeTextPart(bytes: Uint8Array, charset: string | undefined): DecodedText {
  const label = charset === undefined ? "" : normalizeCharsetLabel(charset);
  if (label === "") {
    const utf8 = tryStrictUtf8(bytes);
    if (utf8 !== null) return { text: utf8 };
    return {
      text: windows1252.decode(bytes),
      note: {
        code: "CHARSET_GUESSED",
        detail: "No charset declared and the text is not UTF-8; shown as windows-1252.",
      },
    };
  }
  const resolved = resolve(label);
  if (resolved.kind === "utf-7") return { text: decodeUtf7(bytes) };
  if (resolved.kind === "unknown") {
    const utf8 = tryStrictUtf8(bytes);
    return {
      text: utf8 ?? windows1252.decode(bytes),
      note: {
        code: "UNKNOWN_CHARSET",
        detail: `Unknown charset "${label.slice(0, 64)}"; shown as ${utf8 === null ? "windows-1252" : "UTF-8"}.`,
        charset: label.slice(0, 64),
      },
    };
  }
  const text = resolved.decoder.decode(bytes);
  if (text.includes("\uFFFD")) {
    // A real U+FFFD in UTF-8 input is legal; only report bytes that did not decode.
    if (resolved.decoder.encoding === "utf-8" && tryStrictUtf8(bytes) !== null) return { text };
    return {
      text,
      note: {
        code: "DECODING_ERRORS",
        detail: `Some bytes are not valid ${resolved.decoder.encoding}; shown as \uFFFD.`,
        charset: resolved.decoder.encoding,
      },
    };
  }
  return { text };
}

/** Decodes with a lenient decoder for the label, falling back to UTF-8; never notes. */
export function decodeLenient(bytes: Uint8Array, charset: string): string {
  const resolved = resolve(charset);
  if (resolved.kind === "utf-7") return decodeUtf7(bytes);
  if (resolved.kind === "decoder") return resolved.decoder.decode(bytes);
  return lenientUtf8.decode(bytes);
}
