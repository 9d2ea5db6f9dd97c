import { z } from "zod";
import { folderPathSchema, messageSummarySchema } from "./mailbox";

/** One message of a conversation as the list and the reading view's collapsed lines show it. */
export const conversationMessageSchema = messageSummarySchema.extend({
  /** The folder it is in: the viewed one, or the user's Sent or Drafts. */
  folder: z.string(),
  /** Depth in the reply tree (0 for the root and for messages under a missing root). */
  depth: z.number().int().nonnegative(),
});
export type ConversationMessage = z.infer<typeof conversationMessageSchema>;

export const conversationParticipantSchema = z.object({
  name: z.string(),
  address: z.string(),
  /** The signed-in user: the list says "me" in the user's language. */
  me: z.boolean(),
});

/** One row of the conversation list: a whole thread, across folders but never Trash or Junk. */
export const conversationSchema = z.object({
  /** Stable while messages come and go (the thread's root). */
  key: z.string(),
  subject: z.string(),
  /** Every message in thread order, with the user's own from Sent and Drafts. */
  messages: z.array(conversationMessageSchema),
  /** UIDs of those in the viewed folder: what moving, deleting or marking the row acts on. */
  folderUids: z.array(z.number().int().positive()),
  /** The newest message's date. */
  date: z.string().nullable(),
  participants: z.array(conversationParticipantSchema),
  count: z.number().int().nonnegative(),
  unread: z.number().int().nonnegative(),
  flagged: z.boolean(),
  hasAttachment: z.boolean(),
  size: z.number().int().nonnegative(),
});
export type Conversation = z.infer<typeof conversationSchema>;

export const conversationWindowInputSchema = z.object({
  folder: folderPathSchema,
  /** 0 is the conversation with the newest arrival. */
  offset: z.number().int().nonnegative(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type ConversationWindowInput = z.input<typeof conversationWindowInputSchema>;

export const conversationWindowSchema = z.object({
  folder: z.string(),
  /** Conversations in the folder. */
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  uidValidity: z.string(),
  /**
   * Who threaded: the server (THREAD=REFERENCES, RFC 5256), the gateway (JWZ over the folder's
   * envelopes), or nobody (a folder too large to thread without the server: one message a row).
   */
  threading: z.enum(["server", "gateway", "none"]),
  rows: z.array(conversationSchema),
});
export type ConversationWindow = z.infer<typeof conversationWindowSchema>;
