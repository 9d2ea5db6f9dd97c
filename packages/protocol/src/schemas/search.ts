import { z } from "zod";
import { folderPathSchema, messageSummarySchema, uidValiditySchema } from "./mailbox";
import { SEARCH_FIRST_ROWS } from "./search-limits";

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
  /** The browser's time zone (IANA): before:/after: days start at its midnight where the
   * server can search by the instant (WITHIN). */
  timeZone: z.string().max(64).optional(),
  /** The folder a query without in: searches. */
  currentFolder: folderPathSchema,
  /** Only these folders (a live refresh of one searched folder); the query's scope otherwise. */
  folders: z.array(folderPathSchema).max(1000).optional(),
  /** The names the UI shows for folders whose name it translates (special-use ones), which
   * in: may use as well as the server's names. */
  folderLabels: z
    .array(z.object({ path: folderPathSchema, label: z.string().max(200) }))
    .max(50)
    .optional(),
  /** The user allows fuzzy matching (used only where the server has SEARCH=FUZZY). */
  fuzzy: z.boolean().default(false),
});
export type ImapSearchInput = z.input<typeof imapSearchInputSchema>;
export type ImapSearchRequest = z.output<typeof imapSearchInputSchema>;

/**
 * A search result's list row: a folder's row, with the folder it is in and the folder's
 * UIDVALIDITY as the row was read (`String(mailbox.uidValidity)`, as `ListWindow` has it): an
 * action on search results names it, not the one the folder's cached list windows were fetched
 * with, which may be of the folder made again since (RFC 9051 §2.3.1.1).
 */
export const searchRowSchema = messageSummarySchema.extend({
  folder: z.string(),
  uidValidity: uidValiditySchema,
});
export type SearchRow = z.infer<typeof searchRowSchema>;

export { SEARCH_FIRST_ROWS } from "./search-limits";

/**
 * What a search streams: first the plan (which folders, whether the server's fuzzy matching
 * is on), then per folder its matches newest first, with their internal dates (epoch ms) when
 * several folders are searched so the page can merge them, then `done`. A folder that fails
 * says so and the search goes on with the next.
 *
 * The first folder's answer brings the list rows of its first `SEARCH_FIRST_ROWS` matches
 * (each once), so the page paints its first window without asking. A large folder searched
 * by a scan (no text in the query) is searched newest part first: each part that matched is
 * announced as `partial` (the folder's matches so far, newest first, with their rows), and
 * the folder's `folder` event, which replaces them, carries the complete answer, exactly as a
 * search of the whole folder at once.
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
    /** The folder's UIDVALIDITY the uids were searched under (every part of it). */
    uidValidity: uidValiditySchema,
    /** Parallel to uids; empty when only one folder is searched. */
    dates: z.array(z.number()),
    /** How many folders have answered, this one included. */
    searched: z.number().int().nonnegative(),
    /** List rows of matches among the first SEARCH_FIRST_ROWS not sent before (first folder only). */
    rows: z.array(searchRowSchema).max(SEARCH_FIRST_ROWS).optional(),
  }),
  z.object({
    type: z.literal("partial"),
    folder: z.string(),
    /** The matches found so far (the newest messages searched first), newest first. */
    uids: z.array(z.number().int().positive()),
    /** The folder's UIDVALIDITY the uids were searched under. */
    uidValidity: uidValiditySchema,
    /** Parallel to uids; empty when only one folder is searched. */
    dates: z.array(z.number()),
    /** List rows of matches among the folder's first SEARCH_FIRST_ROWS not sent before. */
    rows: z.array(searchRowSchema).max(SEARCH_FIRST_ROWS),
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
