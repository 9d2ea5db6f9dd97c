// The message view: what the UI shows for one message, whichever way it arrived (IMAP
// parts fetched by the gateway, or POP3 bytes parsed in the browser).

import { z } from "zod";
import { addressSchema } from "./address";

/**
 * Why a message is shown differently from what its sender wrote. The UI shows every note
 * next to the message, so nothing is guessed or dropped silently.
 */
export const mimeNoteCodeSchema = z.enum([
  /** A charset label no decoder knows; the text was decoded as UTF-8 or windows-1252. */
  "UNKNOWN_CHARSET",
  /** No charset was declared and the bytes were not UTF-8; windows-1252 was assumed. */
  "CHARSET_GUESSED",
  /** Some bytes were not valid in the declared charset and show as U+FFFD. */
  "DECODING_ERRORS",
  /** Header lines carried raw 8-bit bytes (not RFC 2047 encoded words) in a legacy charset. */
  "RAW_8BIT_HEADER",
  /** The body text was longer than MimeLimits.maxBodyChars and was cut. */
  "TRUNCATED_BODY",
  /** The raw message was larger than MimeLimits.maxRawBytes; only its headers were read. */
  "TOO_LARGE",
  /** More parts than MimeLimits.maxParts; the rest were not read. */
  "TOO_MANY_PARTS",
  /** Parts nested deeper than MimeLimits.maxDepth; the deeper ones were not read. */
  "TOO_DEEP",
  /** A header block larger than MimeLimits.maxHeaderBytes; the excess fields were dropped. */
  "HEADER_TOO_LARGE",
  /** The message could not be parsed as MIME; what could be salvaged is shown. */
  "MALFORMED",
]);
export type MimeNoteCode = z.infer<typeof mimeNoteCodeSchema>;

export const mimeNoteSchema = z.object({
  code: mimeNoteCodeSchema,
  /** For developers and logs (English); the UI says the note in its own words by its code. */
  detail: z.string(),
  /** The charset label the note is about (UNKNOWN_CHARSET, DECODING_ERRORS), to be named. */
  charset: z.string().max(64).optional(),
});
export type MimeNote = z.infer<typeof mimeNoteSchema>;

export const attachmentViewSchema = z.object({
  /** Part path in IMAP BODYSTRUCTURE numbering ("1", "2.1"); stable for the same bytes. */
  id: z.string(),
  /** Decoded from RFC 2231 parameters or RFC 2047 encoded words; null when the part names none. */
  filename: z.string().nullable(),
  mimeType: z.string(),
  /** Decoded size in bytes. */
  size: z.number().int().nonnegative(),
  disposition: z.enum(["attachment", "inline"]),
  /** Content-ID without the angle brackets, for resolving `cid:` references. */
  contentId: z.string().nullable(),
  /** message/rfc822 (or message/global): open it with parseAttachedMessage. */
  isMessage: z.boolean(),
});
export type AttachmentView = z.infer<typeof attachmentViewSchema>;

export const messageViewSchema = z.object({
  messageId: z.string().nullable(),
  subject: z.string().nullable(),
  from: addressSchema.nullable(),
  sender: addressSchema.nullable(),
  replyTo: z.array(addressSchema),
  to: z.array(addressSchema),
  cc: z.array(addressSchema),
  bcc: z.array(addressSchema),
  /** ISO 8601 in UTC; the UI formats it in the user's time zone. Null when missing or unparseable. */
  date: z.string().nullable(),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  /** The plain-text body; null when the message has only HTML (or no body). */
  text: z.string().nullable(),
  /** The HTML body, UNSANITIZED: pass it through the html policy before showing it. */
  html: z.string().nullable(),
  attachments: z.array(attachmentViewSchema),
  notes: z.array(mimeNoteSchema),
});
export type MessageView = z.infer<typeof messageViewSchema>;
