/** The most of a message's source "Show original" shows as text; the rest is in the .eml file. */
export const SOURCE_CAP_BYTES = 1024 * 1024;

export interface SourceText {
  text: string;
  /** Bytes of the whole message. */
  total: number;
  /** Only the first `shown` bytes are in `text`. */
  truncated: boolean;
  shown: number;
}

/**
 * A message's raw bytes as text for reading, never for rendering. Mail is 7-bit by rule
 * (RFC 5322) and 8-bit parts are mostly UTF-8: undecodable bytes become U+FFFD instead of
 * failing. A NUL or other C0 control (except tab, CR, LF) is shown as its Unicode picture so
 * nothing invisible hides in the text.
 */
export function sourceText(bytes: Uint8Array, total: number, cap = SOURCE_CAP_BYTES): SourceText {
  const shown = Math.min(bytes.length, cap);
  const text = new TextDecoder("utf-8", { fatal: false })
    .decode(bytes.subarray(0, shown))
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) =>
      String.fromCharCode(0x2400 + c.charCodeAt(0)),
    )
    .replace(/\r\n/g, "\n");
  const whole = Math.max(total, bytes.length);
  return { text, total: whole, truncated: shown < whole, shown };
}
