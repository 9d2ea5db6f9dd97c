import { z } from "zod";
import { mailErrorCodes } from "../errors";
import { folderPathSchema, messageRefsSchema } from "../schemas/mailbox";

/**
 * The everyday actions that can be undone: move, delete, archive, report spam / not spam.
 * Each answers where the messages went and, where the server said it (UIDPLUS COPYUID,
 * RFC 4315), their UIDs in the target folder, so that Undo can move them back.
 */

/** The junk keywords of RFC 5788's registry: `$Junk` and `$NotJunk`. */
export const junkKeywordSchema = z.enum(["$Junk", "$NotJunk"]);
export type JunkKeyword = z.infer<typeof junkKeywordSchema>;

export const mailActionRequestSchema = z.discriminatedUnion("kind", [
  messageRefsSchema.extend({
    kind: z.literal("move"),
    to: folderPathSchema,
    /** Undo of a spam report takes back the keyword it set. */
    clearKeyword: junkKeywordSchema.optional(),
  }),
  /** To Trash; in Trash (or without one) for good. */
  messageRefsSchema.extend({ kind: z.literal("delete") }),
  /** To the \Archive folder (RFC 6154), created as "Archive" when the server has none. */
  messageRefsSchema.extend({ kind: z.literal("archive") }),
  /** spam: to \Junk with `$Junk`; not spam: to the Inbox with `$NotJunk`. */
  messageRefsSchema.extend({ kind: z.literal("spam"), spam: z.boolean() }),
]);
export type MailActionRequest = z.infer<typeof mailActionRequestSchema>;

/**
 * Why a large action stopped part-way: a large one goes in steps, and a step failed. What the
 * steps before it did stays done.
 */
export const stoppedSchema = z.object({ code: z.enum(mailErrorCodes), message: z.string() });
export type Stopped = z.infer<typeof stoppedSchema>;

export const mailActionResultSchema = z.object({
  /** Where the messages are now; null when they were deleted for good. */
  to: folderPathSchema.nullable(),
  /** Each message's UID in `to`, or null where the server did not say (no UIDPLUS). */
  moved: z.array(
    z.object({ uid: z.number().int().positive(), newUid: z.number().int().positive().nullable() }),
  ),
  /** The keyword set on the messages, if the server keeps keywords. */
  keyword: junkKeywordSchema.nullable(),
  /** True when the target folder did not exist and was created. */
  created: z.boolean(),
  /**
   * Set when the action stopped part-way: then `moved` lists only the messages it did move or
   * delete (Undo takes those back); the others stayed where they were, for the reason given.
   */
  stopped: stoppedSchema.optional(),
});
export type MailActionResult = z.infer<typeof mailActionResultSchema>;

/** Emptying a folder (Trash, Junk): how many it deleted for good, and why it stopped, if it did. */
export const emptyFolderResultSchema = z.object({
  /** The messages the folder held when emptying began. */
  total: z.number().int().nonnegative(),
  deleted: z.number().int().nonnegative(),
  stopped: stoppedSchema.optional(),
});
export type EmptyFolderResult = z.infer<typeof emptyFolderResultSchema>;
