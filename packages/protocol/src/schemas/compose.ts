import { z } from "zod";
import { addressSchema } from "./address";
import { messageRefSchema } from "./mailbox";
import { MAX_RECEIPT_ADDRESSES } from "../receipts/request";

/** A draft as it crosses the wire, to be saved or sent. */

/** A plain addr-spec (RFC 5322 §3.4.1) without quoting or comments; UTF-8 is fine (RFC 6531).
 * The gateway checks outgoing addresses with this same rule. */
export const emailAddressPattern = /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+$/;

/** Addresses as typed: at most 100 recipients per field; no CR/LF anywhere (header injection). */
const noLineBreaks = (s: string) => !/[\r\n]/.test(s);
export const recipientSchema = addressSchema.extend({
  name: z.string().max(200).refine(noLineBreaks, "no line breaks"),
  address: z.string().trim().max(320).regex(emailAddressPattern, "not an email address"),
});

/** A Content-ID's value without its angle brackets: printable ASCII, no spaces or brackets. */
export const contentIdSchema = z
  .string()
  .min(1)
  .max(250)
  .regex(/^[\x21-\x3b\x3d\x3f-\x7e]+$/, "not a Content-ID");

/** Whether a message's Content-ID can go out again as one (others' parts go as plain files). */
export function isContentId(value: string | null | undefined): value is string {
  return typeof value === "string" && contentIdSchema.safeParse(value).success;
}

export const draftAttachmentSchema = z.discriminatedUnion("kind", [
  /** Uploaded to the gateway (POST /api/upload), referenced by id. */
  z.object({
    kind: z.literal("upload"),
    id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
    filename: z.string().min(1).max(255).refine(noLineBreaks),
    contentType: z.string().max(200),
    size: z.number().int().nonnegative(),
    /** As for "forward": a picture of the HTML (a POP3 message's, uploaded from this browser). */
    contentId: contentIdSchema.optional(),
  }),
  /** A part of a message on the IMAP server, or (`part` "") the whole message, attached as
   * message/rfc822 (Forward as attachment): forwarded without passing through the browser. */
  z.object({
    kind: z.literal("forward"),
    folder: z.string().min(1),
    uid: z.number().int().positive(),
    part: z.string().regex(/^(\d+(\.\d+)*)?$/),
    filename: z.string().min(1).max(255).refine(noLineBreaks),
    contentType: z.string().max(200),
    size: z.number().int().nonnegative(),
    /** An image the HTML shows by `cid:` (RFC 2392), without its angle brackets: it goes
     * beside the HTML under the same Content-ID (multipart/related), so a forwarded message's
     * pictures stay in its text. */
    contentId: contentIdSchema.optional(),
  }),
]);
export type DraftAttachment = z.infer<typeof draftAttachmentSchema>;

/** What a mail program keeps of a message beside its bytes, which an import carries over (an
 * mbox's Status fields): read, flagged, answered. */
export const importedStateSchema = z.object({
  seen: z.boolean(),
  flagged: z.boolean(),
  answered: z.boolean(),
});
export type ImportedState = z.infer<typeof importedStateSchema>;

export const draftSchema = z.object({
  to: z.array(recipientSchema).max(100),
  cc: z.array(recipientSchema).max(100),
  bcc: z.array(recipientSchema).max(100),
  subject: z.string().max(998).refine(noLineBreaks, "no line breaks"),
  text: z.string().max(5_000_000),
  /** Rich text; a plain-text alternative is always sent too. Null in plain-text mode. */
  html: z.string().max(10_000_000).nullable(),
  inReplyTo: z.string().max(998).refine(noLineBreaks).nullable(),
  references: z.array(z.string().max(998).refine(noLineBreaks)).max(100),
  attachments: z.array(draftAttachmentSchema).max(100),
  /** The identity sent as (display name and address); absent: the account's own address.
   * The SMTP server decides whether the user may send as it. */
  from: recipientSchema.optional(),
  /** Reply-To of that identity (RFC 5322 §3.6.2). */
  replyTo: z.array(recipientSchema).max(10).optional(),
  /** The message a reply answers, kept in a saved draft (X-Draft-Info) so that sending it later
   * still marks that message \Answered; never written into a message sent. */
  answering: messageRefSchema.nullable().optional(),
  /** Ask for a read receipt (Disposition-Notification-To, to the sender's own address). */
  requestReceipt: z.boolean().optional(),
  /** The compose window's own id (random, one per window): the gateway keeps the last copy each
   * window saved in Drafts, and removes it with the next save or the send, also when the browser
   * never heard of it (a save whose answer the connection lost). Never written into a message.
   * Absent (an older page): only the draft the page names is replaced. */
  composeId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
});
export type Draft = z.infer<typeof draftSchema>;

/** What the page asks the gateway to send: the request as the reader saw it, and about which message. */
export const receiptSendSchema = z.object({
  /** Where the message asked the receipt to go (Disposition-Notification-To). */
  to: z
    .array(z.string().trim().max(320).regex(emailAddressPattern, "not an email address"))
    .min(1)
    .max(MAX_RECEIPT_ADDRESSES),
  /** The identity the message was read as; absent: the account's own address. */
  from: recipientSchema.optional(),
  /** The original's subject, as the reader saw it (decoded). */
  subject: z.string().max(998),
  /** The original's Message-ID, with its angle brackets; null when it had none. */
  originalMessageId: z
    .string()
    .max(998)
    .regex(/^<[^<>\s]+>$/, "not a Message-ID")
    .nullable(),
  /** The language of the receipt's text: the reader's. */
  language: z.enum(["en", "sr"]),
});
export type ReceiptSend = z.infer<typeof receiptSendSchema>;
