/**
 * Pismo's search language, parsed once here and used by both protocols: the gateway compiles
 * the result to IMAP SEARCH (imap-compile.ts), the browser evaluates it against its POP3 store
 * (local-match.ts, local-index.ts).
 *
 *   words                 match any of from, to, cc, subject, body (all words must match)
 *   "a phrase"            the words together, in that order
 *   from: to: cc: subject: body:    the value in that field; `from:"Ana Petrović"`
 *   has:attachment  is:unread  is:read  is:flagged
 *   before:DATE           strictly before that day; after:DATE is that day or later. DATE is
 *                         ISO (2026-11-30, 2026/11/30) or as the user's locale writes it
 *                         (en-US 11/30/2026; sr, en-GB 30.11.2026, 30.11.2026., 30/11/2026)
 *   older_than:7d newer_than:2w     relative to now; units d, w, m (months), y
 *   larger:5M smaller:200K          bytes, or K/M/G (1024-based), decimals allowed: 1.5M
 *   in:FOLDER  in:"Računi/2026"  in:all    where to search (default: the current folder)
 *   -term  -from:x  -(a b)          NOT
 *   a OR b                          OR; AND (juxtaposition) binds tighter; ( ) group
 *
 * An unknown operator ("foo:bar", "10:30", "https://x") is an ordinary word. A known operator
 * with a bad value is an error with its position, so the UI can underline it as it is typed;
 * parsing never throws.
 */

import { Parser, finish } from "./query-parser";
import type { ParseSearchOptions, ParseSearchResult, SearchQuery } from "./query-syntax";
import { ParseFailure, tokenize } from "./query-tokens";

export { isOperator, operatorValues, searchErrorCodes, searchOperators, textOperators } from "./query-syntax";
export type {
  ParseSearchOptions,
  ParseSearchResult,
  SearchError,
  SearchErrorCode,
  SearchFlag,
  SearchNode,
  SearchOperator,
  SearchQuery,
  SearchScope,
  SearchTextField,
} from "./query-syntax";
export { dateExample, parseAge, parseDay, parseSize } from "./query-values";

/** Parses a search box's text. Never throws: a mistake comes back with its position. */
export function parseSearchQuery(input: string, options: ParseSearchOptions): ParseSearchResult {
  const now = typeof options.now === "number" ? options.now : options.now.getTime();
  try {
    const tokens = tokenize(input);
    const root = new Parser(tokens, now, options.locale).parseAll();
    return { ok: true, query: finish(root) };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: e.error };
    throw e;
  }
}

/** True when the query has no condition and searches the current folder: show the folder. */
export function isEmptyQuery(query: SearchQuery): boolean {
  return query.root === null && query.scope.kind === "current";
}
