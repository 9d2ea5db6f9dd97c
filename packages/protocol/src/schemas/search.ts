import { z } from "zod";
import { folderPathSchema, messageSummarySchema } from "./mailbox";

/**
 * A search of an IMAP account, as the browser asks for it: the text the user typed (the
 * gateway parses it again with the same parser, so nothing but text crosses the wire), the
 * clock and locale the browser parsed it with, and the folder open in the UI.
 */
export const imapSearchInputSchema = z.object({
  text: z.string().max(2000),
  /** Epoch ms: older_than/newer_than count from the browser's clock. */
  now: z.number().int().nonnegative(),
  locale: z.string().max(40).optional(),
  /** The folder a query without in: searches. */
  currentFolder: folderPathSchema,
  /** Only these folders (a live refresh of one searched folder); the query's scope otherwise. */
  folders: z.array(folderPathSchema).max(1000).optional(),
  /** The user allows fuzzy matching (used only where the server has SEARCH=FUZZY). */
  fuzzy: z.boolean().default(false),
});
export type ImapSearchInput = z.input<typeof imapSearchInputSchema>;
export type ImapSearchRequest = z.output<typeof imapSearchInputSchema>;

/**
 * What a search streams: first the plan (which folders, whether the server's fuzzy matching
 * is on), then per folder its matches newest first, with their internal dates (epoch ms) when
 * several folders are searched so the page can merge them, then `done`. A folder that fails
 * says so and the search goes on with the next.
 */
export const imapSearchEventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("plan"),
    folders: z.array(z.string()),
    fuzzy: z.boolean(),
  }),
  z.object({
    type: z.literal("folder"),
    folder: z.string(),
    /** Newest first (descending UID: the folder's arrival order). */
    uids: z.array(z.number().int().positive()),
    /** Parallel to uids; empty when only one folder is searched. */
    dates: z.array(z.number()),
    /** How many folders have answered, this one included. */
    searched: z.number().int().nonnegative(),
  }),
  z.object({
    type: z.literal("folder-error"),
    folder: z.string(),
    code: z.string(),
    message: z.string(),
    searched: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal("done") }),
]);
export type ImapSearchEvent = z.infer<typeof imapSearchEventSchema>;

/** A window of search results: the rows for these (folder, uid) pairs, in the same order. */
export const searchRowsInputSchema = z.object({
  refs: z.array(z.object({ folder: folderPathSchema, uid: z.number().int().positive() })).max(200),
});
export const searchRowSchema = messageSummarySchema.extend({ folder: z.string() });
export type SearchRow = z.infer<typeof searchRowSchema>;
