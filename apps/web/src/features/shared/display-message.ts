import type { Address, MimeNote, MimeNoteCode } from "@pismo/protocol/schemas";
import type { Unsubscribe } from "@pismo/protocol/trust";
import type { SenderTrustView } from "./sender-trust";

/**
 * One message as the reading view shows it, whichever protocol brought it: IMAP's
 * MessageDetail (imap/imap-display.ts) and POP3's stored row plus parsed bytes
 * (pop3/pop3-display.ts) each have one pure adapter to this shape, and the view's parts
 * (toolbar, header, notes, attachments, body) only read this.
 */
export interface DisplayMessage {
  subject: string;
  from: Address | null;
  /** Shown when no parsed From is at hand (a POP3 message before its bytes are parsed). */
  fromText: string;
  to: Address[];
  cc: Address[];
  /** Only the sender's own copies have one (a message in Sent or Drafts). */
  bcc: Address[];
  date: string | null;
  seen: boolean;
  flagged: boolean;
  /** Null while the body is still being read. */
  body: DisplayBody | null;
  /** Set when the text was decoded with a guessed charset: the labels no decoder knows (none:
   * the message declared no charset and is not UTF-8). */
  charsetNote: CharsetNote | null;
  /** The body was longer than the limit and was cut. */
  truncated: boolean;
  /** What else was wrong with the message (broken structure, a limit reached): each is said. */
  problems: MimeNoteCode[];
  /** The chips under the header: every part except the images the HTML body shows itself. */
  attachments: DisplayAttachment[];
  /** Images an HTML body refers to with `cid:` URLs (RFC 2392), loaded only when referred to. */
  inlineImages: DisplayAttachment[];
  /** Who really sent it (verdict and warnings); absent where nothing was checked. */
  sender?: SenderTrustView;
  /** How to leave the list it came from (List-Unsubscribe); not offered in Junk. */
  unsubscribe?: Unsubscribe | null;
}

export interface DisplayBody {
  kind: "html" | "text" | "none";
  content: string;
}

export interface DisplayAttachment {
  /** The part's path in IMAP BODYSTRUCTURE numbering ("2", "1.2"): how each protocol fetches it. */
  id: string;
  filename: string | null;
  mimeType: string;
  size: number;
  /** Content-ID without angle brackets. */
  contentId: string | null;
  inline: boolean;
  /** message/rfc822: can be opened as a message of its own. */
  isMessage: boolean;
}

/**
 * Splits a message's parts into the chips to show and the images the body refers to by
 * `cid:`. An inline part the HTML shows is not offered again as a chip.
 */
export function splitAttachments(
  parts: readonly DisplayAttachment[],
  body: DisplayBody | null,
): Pick<DisplayMessage, "attachments" | "inlineImages"> {
  const shownInBody = (a: DisplayAttachment) =>
    a.inline &&
    a.contentId !== null &&
    a.contentId !== "" &&
    body?.kind === "html" &&
    body.content.includes(`cid:${a.contentId}`);
  return {
    attachments: parts.filter((a) => !shownInBody(a)),
    inlineImages: parts.filter((a) => a.contentId && a.mimeType.startsWith("image/")),
  };
}

/** The display name, or the address when there is none; "" for no sender. */
export function senderName(from: Address | null): string {
  return from ? from.name || from.address : "";
}

export interface CharsetNote {
  unknown: string[];
}

/** What a parse noted, as the message's notes show it (MessageNotes), each in the user's
 * words: the charset guessed (naming the labels not known), the body cut, and the problems. */
export function notesShown(
  notes: readonly MimeNote[],
): Pick<DisplayMessage, "charsetNote" | "truncated" | "problems"> {
  const charset = notes.filter((n) => n.code === "UNKNOWN_CHARSET" || n.code === "CHARSET_GUESSED");
  return {
    charsetNote:
      charset.length > 0
        ? {
            unknown: [
              ...new Set(
                charset.flatMap((n) => (n.code === "UNKNOWN_CHARSET" && n.charset ? [n.charset] : [])),
              ),
            ],
          }
        : null,
    truncated: notes.some((n) => n.code === "TRUNCATED_BODY"),
    problems: problemCodes(notes),
  };
}

/** Notes that have a line of their own (the charset and the cut are said by their own fields). */
export function problemCodes(notes: readonly MimeNote[]): MimeNoteCode[] {
  const own = new Set<MimeNoteCode>(["UNKNOWN_CHARSET", "CHARSET_GUESSED", "TRUNCATED_BODY"]);
  return [...new Set(notes.map((n) => n.code).filter((c) => !own.has(c)))];
}

/**
 * Unsubscribe is not offered in Junk: for mail one never asked for, it tells the sender that the
 * address reads its mail (Report spam is the way there, as Gmail advises).
 */
export function unsubscribeShown(u: Unsubscribe | null | undefined, inJunk: boolean): Unsubscribe | null {
  return inJunk ? null : (u ?? null);
}

const OWN_OR_JUNK = new Set(["junk", "sent", "drafts"]);

/**
 * A read receipt is asked about where mail from others is read, once: not after it was
 * answered (here or on another device), not in Junk (a receipt tells a spammer the address is
 * read), not in Sent or Drafts (the reader's own mail, which asks the others).
 */
export function receiptAsked(
  receipt: { to: string[]; elsewhere: boolean; answered?: boolean } | null | undefined,
  /** The folder's special use: IMAP's SPECIAL-USE, or a POP3 folder's id (the same words). */
  folderUse: string | null | undefined,
): { to: string[]; elsewhere: boolean } | null {
  if (!receipt || receipt.answered || OWN_OR_JUNK.has(folderUse ?? "")) return null;
  return { to: receipt.to, elsewhere: receipt.elsewhere };
}

const IMAGE_EXTENSIONS: Readonly<Record<string, string>> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
  "image/avif": "avif",
  "image/bmp": "bmp",
};

/**
 * A picture a message being written may show in the app's own document (the editor, from a
 * blob: copy): the raster types, which run nothing. An SVG (a document, with script) or any
 * other type goes as a plain file.
 */
export function isPictureType(mimeType: string): boolean {
  return mimeType.toLowerCase() in IMAGE_EXTENSIONS;
}

/** The name a picture of a message's text goes by when it has none (mostly): image-2.png. */
export function pictureFileName(part: string, mimeType: string): string {
  const extension = IMAGE_EXTENSIONS[mimeType];
  return extension ? `image-${part}.${extension}` : `attachment-${part}`;
}
