import { z } from "zod";
import { addressSchema } from "./address";
import { mimeNoteSchema } from "./message-view";
import { senderTrustSchema } from "./trust";
import { MAX_SELECTION } from "../selection";

export const specialUses = ["inbox", "drafts", "sent", "archive", "junk", "trash"] as const;
export const specialUseSchema = z.enum(specialUses);
export type SpecialUse = z.infer<typeof specialUseSchema>;

/** A folder on the IMAP server (RFC 9051 LIST with SPECIAL-USE, RFC 6154, and STATUS). */
export const folderSchema = z.object({
  /** The server's path, as the server names it (UTF-8; imapflow decodes modified UTF-7). */
  path: z.string(),
  /** The last segment, for display. */
  name: z.string(),
  delimiter: z.string(),
  parentPath: z.string(),
  specialUse: specialUseSchema.nullable(),
  subscribed: z.boolean(),
  /** \Noselect folders only hold other folders. */
  selectable: z.boolean(),
  messages: z.number().int().nonnegative(),
  unseen: z.number().int().nonnegative(),
});
export type Folder = z.infer<typeof folderSchema>;

export const folderPathSchema = z.string().min(1).max(1000);
export const folderNameSchema = z
  .string()
  .trim()
  .min(1, "A folder needs a name")
  .max(200)
  // % and * are LIST wildcards (RFC 9051 §6.3.9); control characters have no place in a name.
  .refine(
    (name) => ![...name].some((c) => c.charCodeAt(0) < 0x20 || c === "\u007f" || c === "%" || c === "*"),
    "A folder name cannot contain control characters, % or *",
  );

/** One row of the message list: only what the list shows (one FETCH of ENVELOPE, FLAGS,
 * RFC822.SIZE and BODYSTRUCTURE for the attachment mark). */
export const messageSummarySchema = z.object({
  uid: z.number().int().positive(),
  subject: z.string(),
  from: addressSchema.nullable(),
  to: z.array(addressSchema),
  date: z.string().nullable(),
  size: z.number().int().nonnegative(),
  seen: z.boolean(),
  flagged: z.boolean(),
  answered: z.boolean(),
  hasAttachment: z.boolean(),
});
export type MessageSummary = z.infer<typeof messageSummarySchema>;

export const sortKeys = ["arrival", "date", "size"] as const;
export const listSortSchema = z.enum(sortKeys);
export type ListSort = z.infer<typeof listSortSchema>;

export const listWindowInputSchema = z.object({
  folder: folderPathSchema,
  /** 0 is the first row (the newest, or the largest when sorting by size). */
  offset: z.number().int().nonnegative(),
  limit: z.number().int().min(1).max(200).default(50),
  sort: listSortSchema.default("arrival"),
});
export type ListWindowInput = z.input<typeof listWindowInputSchema>;

export const listWindowSchema = z.object({
  folder: z.string(),
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  /** Changes when the server renumbers UIDs (RFC 9051 UIDVALIDITY): drop every cached row. */
  uidValidity: z.string(),
  messages: z.array(messageSummarySchema),
});
export type ListWindow = z.infer<typeof listWindowSchema>;

export const messageRefSchema = z.object({ folder: folderPathSchema, uid: z.number().int().positive() });
export type MessageRef = z.infer<typeof messageRefSchema>;
/**
 * The folder's UIDVALIDITY as the list the UIDs were read from said it (`ListWindow`): UIDs name
 * messages only together with it (RFC 9051 §2.3.1.1). A folder deleted and made again elsewhere
 * gives the same UIDs to other messages; an action that names it is refused there
 * (FOLDER_CHANGED) instead of reaching them. Absent (an older page, a UID known from elsewhere):
 * not checked.
 */
export const uidValiditySchema = z.string().min(1).max(40);
export const messageRefsSchema = z.object({
  folder: folderPathSchema,
  uids: z.array(z.number().int().positive()).min(1).max(MAX_SELECTION),
  uidValidity: uidValiditySchema.optional(),
});
export type MessageRefs = z.infer<typeof messageRefsSchema>;

/** Every UID of a folder as runs of consecutive UIDs, [first, last], ascending. */
export const uidRangesSchema = z.array(z.tuple([z.number().int().positive(), z.number().int().positive()]));
export type UidRanges = z.infer<typeof uidRangesSchema>;

export const attachmentInfoSchema = z.object({
  part: z.string(),
  filename: z.string(),
  mimeType: z.string(),
  size: z.number().int().nonnegative(),
  contentId: z.string().nullable(),
  inline: z.boolean(),
  isMessage: z.boolean(),
});
export type AttachmentInfo = z.infer<typeof attachmentInfoSchema>;

/** The ways List-Unsubscribe offers to leave a list (trust/list-unsubscribe.ts's Unsubscribe). */
export const unsubscribeSchema = z.object({
  mailto: z
    .object({
      address: z.string().max(320),
      subject: z.string().max(1000).nullable(),
      body: z.string().max(1000).nullable(),
    })
    .nullable(),
  web: z.string().max(2048).nullable(),
});

/** An opened message: its headers, the one body part shown, and the list of the others. */
export const messageDetailSchema = z.object({
  folder: z.string(),
  uid: z.number().int().positive(),
  messageId: z.string().nullable(),
  subject: z.string(),
  from: addressSchema.nullable(),
  replyTo: z.array(addressSchema),
  to: z.array(addressSchema),
  cc: z.array(addressSchema),
  /** Present in the sender's own copies (Sent, Drafts): a draft reopened keeps its Bcc. */
  bcc: z.array(addressSchema).default([]),
  date: z.string().nullable(),
  inReplyTo: z.string().nullable(),
  /** The References header (RFC 5322 §3.6.4), for threading a reply. */
  references: z.array(z.string()).default([]),
  size: z.number().int().nonnegative(),
  seen: z.boolean(),
  flagged: z.boolean(),
  body: z.object({
    kind: z.enum(["html", "text", "none"]),
    content: z.string(),
    /** Set when the part's text was not decoded as declared: its charset unknown or absent
     * (a best guess), or bytes not valid in it. */
    charsetNote: mimeNoteSchema.nullable(),
    truncated: z.boolean(),
  }),
  attachments: z.array(attachmentInfoSchema),
  /** Why the message is shown differently from how it was sent (a multipart without a
   * boundary shown as plain text); the view shows each detail next to the message. */
  notes: z.array(mimeNoteSchema).optional(),
  /** Who really sent it: the server's verdict, whether Pismo can check it, the list headers. */
  sender: senderTrustSchema.optional(),
  /** How to leave the list it came from (List-Unsubscribe), when it says. */
  unsubscribe: unsubscribeSchema.nullable().optional(),
  /** A read receipt it asks for (receipts/request.ts's ReceiptRequest), and whether it was
   * answered already, here or on another device ($MDNSent, RFC 3503). */
  receipt: z
    .object({ to: z.array(z.string().max(320)).max(3), elsewhere: z.boolean(), answered: z.boolean() })
    .nullable()
    .optional(),
  /** A draft's: the message it answers (X-Draft-Info), to be marked \Answered when it is sent. */
  answering: messageRefSchema.nullable().optional(),
});
export type MessageDetail = z.infer<typeof messageDetailSchema>;

export const quotaSchema = z.object({
  usedBytes: z.number().nonnegative(),
  limitBytes: z.number().positive(),
});
export type Quota = z.infer<typeof quotaSchema>;

/** What the server pushes to every open browser of a session. */
export const mailEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("folders") }),
  z.object({ type: z.literal("counts"), folder: z.string(), messages: z.number(), unseen: z.number() }),
  z.object({ type: z.literal("exists"), folder: z.string(), total: z.number() }),
  z.object({
    type: z.literal("flags"),
    folder: z.string(),
    uid: z.number(),
    seen: z.boolean(),
    flagged: z.boolean(),
    answered: z.boolean(),
  }),
  z.object({ type: z.literal("expunge"), folder: z.string(), uid: z.number().nullable() }),
  /** A Pismo page of the same account (on any gateway) changed the folder's messages or flags:
   * refetch what shows it. */
  z.object({ type: z.literal("changed"), folder: z.string() }),
  z.object({ type: z.literal("quota"), quota: quotaSchema.nullable() }),
  z.object({ type: z.literal("connection"), state: z.enum(["live", "reconnecting"]) }),
  z.object({ type: z.literal("session-ended"), reason: z.enum(["SESSION_EXPIRED", "NOT_SIGNED_IN"]) }),
]);
export type MailEvent = z.infer<typeof mailEventSchema>;
