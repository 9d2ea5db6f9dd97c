/**
 * A file name a message can carry out again: an attachment forwarded from another message
 * keeps the name its sender gave it, which may be anything (a name that decodes to CR/LF, a
 * thousand characters). The draft allows 255 characters without line breaks
 * (draftAttachmentSchema) and the gateway refuses the other control characters, so such a name
 * as it is would make every save and Send of the forward fail.
 */

/** The draft schema's bound on a file name. Counted here in UTF-16 units (a string's length),
 * never fewer than its characters, so the name fits however the bound is counted. */
export const MAX_ATTACHMENT_NAME = 255;

// An extension worth keeping when a name is shortened: a few letters and digits after the last
// dot ("pdf", "tar.gz"'s "gz", "docx"), not a sentence after a dot.
const EXTENSION = /\.[\p{L}\p{N}_-]{1,16}$/u;

// C0 controls (TAB, CR and LF too), DEL, the C1 controls, and the bidirectional overrides and
// isolates that make "invoice\u202Efdp.exe" read as "invoiceexe.pdf".
// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g;

/** The first `max` UTF-16 units of `text`, never half of a surrogate pair. */
function cut(text: string, max: number): string {
  let out = "";
  for (const char of text) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out;
}

/**
 * `name` as an attachment may be named in a draft: each run of control characters becomes a
 * space, the ends are trimmed, and a name too long is shortened at its end, its extension kept
 * (so the file still opens with the right program). "" when nothing is left: the caller names
 * the file itself.
 */
export function safeAttachmentName(name: string): string {
  const clean = name.replace(UNSAFE, " ").trim();
  if (clean.length <= MAX_ATTACHMENT_NAME) return clean;
  const extension = EXTENSION.exec(clean)?.[0] ?? "";
  const base = cut(clean.slice(0, clean.length - extension.length), MAX_ATTACHMENT_NAME - extension.length);
  return `${base.trimEnd()}${extension}`;
}
