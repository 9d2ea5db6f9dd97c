import type { SearchNode, SearchQuery, SearchScope, SearchTextField } from "./query";
import { fold } from "./translit";
import { zonedDays } from "./time-zone";

/**
 * The same search language over the browser's own store (POP3 mail has no server to ask).
 * Text is compared folded (`fold`: case, diacritics and script do not matter, đ is "dj"), and
 * a word matches where a word of the message starts with it ("rac" finds "Račun", "ana" does
 * not find "Banana"), so results can follow the typing. A phrase matches the same way, as one
 * piece of text.
 */

export interface SearchAddress {
  readonly name?: string;
  readonly address: string;
}

/** What a message contributes to search; the store keeps it as mail arrives. */
export interface LocalSearchRecord extends LocalSearchMeta {
  readonly from: readonly SearchAddress[];
  readonly to: readonly SearchAddress[];
  readonly cc: readonly SearchAddress[];
  readonly subject: string;
  /** The body as plain text. */
  readonly body: string;
}

/** The conditions that are not text: cheap to keep for every message. */
export interface LocalSearchMeta {
  readonly id: string;
  readonly folder: string;
  /** Epoch ms. */
  readonly date: number;
  /** Bytes. */
  readonly size: number;
  readonly seen: boolean;
  readonly flagged: boolean;
  readonly hasAttachment: boolean;
}

type TextFieldName = Exclude<SearchTextField, "any">;
const textFields: readonly TextFieldName[] = ["from", "to", "cc", "subject", "body"];

/** A record with its text already folded, so a search as you type folds each message once. */
export interface FoldedRecord extends LocalSearchMeta {
  readonly text: Readonly<Record<TextFieldName, string>>;
}

export interface LocalMatchOptions {
  /** The folder open in the UI, searched when the query has no in:. */
  readonly currentFolder: string;
  /** Whether a record's folder is the one in:NAME names. @default folded names are equal */
  readonly inFolder?: (recordFolder: string, name: string) => boolean;
  /** The user's time zone (IANA), for before:/after: days: each message's day is its date
   * there, with its own offset (summer time or not). @default UTC */
  readonly timeZone?: string;
}

const DAY_MS = 86_400_000;

const utcDay = (time: number): number => Math.floor(time / DAY_MS) * DAY_MS;

/** Each instant's day in the user's time zone (UTC without one). */
export function dayIn(timeZone: string | undefined): (time: number) => number {
  return timeZone ? zonedDays(timeZone) : utcDay;
}

export function addressText(addresses: readonly SearchAddress[]): string {
  return addresses.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(", ");
}

export function foldRecord(record: LocalSearchRecord): FoldedRecord {
  return {
    id: record.id,
    folder: record.folder,
    date: record.date,
    size: record.size,
    seen: record.seen,
    flagged: record.flagged,
    hasAttachment: record.hasAttachment,
    text: {
      from: fold(addressText(record.from)),
      to: fold(addressText(record.to)),
      cc: fold(addressText(record.cc)),
      subject: fold(record.subject),
      body: fold(record.body),
    },
  };
}

const wordChar = /[\p{L}\p{N}]/u;

/** `needle` (folded) occurs in `haystack` (folded) where a word starts. */
export function containsAtWordStart(haystack: string, needle: string): boolean {
  if (needle === "") return true;
  const anywhere = !wordChar.test(needle.charAt(0));
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
    if (anywhere || i === 0 || !wordChar.test(haystack.charAt(i - 1))) return true;
  }
  return false;
}

export function scopeIncludes(
  scope: SearchScope,
  folder: string,
  options: Pick<LocalMatchOptions, "currentFolder" | "inFolder">,
): boolean {
  switch (scope.kind) {
    case "all":
      return true;
    case "current":
      return folder === options.currentFolder;
    case "folder":
      return options.inFolder ? options.inFolder(folder, scope.folder) : fold(folder) === fold(scope.folder);
  }
}

/**
 * Evaluates a condition; text conditions are answered by `text`, so the same evaluator serves
 * the plain matcher (folded text) and the index (term lookups).
 */
export function evaluateNode(
  node: SearchNode,
  meta: LocalSearchMeta,
  text: (node: Extract<SearchNode, { kind: "text" }>) => boolean,
  dayOf: (time: number) => number = utcDay,
): boolean {
  switch (node.kind) {
    case "text":
      return text(node);
    case "flag":
      return node.flag === "flagged" ? meta.flagged : node.flag === "read" ? meta.seen : !meta.seen;
    case "hasAttachment":
      return meta.hasAttachment;
    case "date": {
      const t = node.granularity === "day" ? dayOf(meta.date) : meta.date;
      return node.bound === "before" ? t < node.time : t >= node.time;
    }
    case "size":
      return node.bound === "larger" ? meta.size > node.bytes : meta.size < node.bytes;
    case "not":
      return !evaluateNode(node.node, meta, text, dayOf);
    case "and":
      return node.nodes.every((n) => evaluateNode(n, meta, text, dayOf));
    case "or":
      return node.nodes.some((n) => evaluateNode(n, meta, text, dayOf));
  }
}

/** Compiles a query once into a test over folded records (needles are folded here, once). */
export function createLocalMatcher(
  query: SearchQuery,
  options: LocalMatchOptions,
): (record: FoldedRecord) => boolean {
  const needles = new Map<SearchNode, string>();
  const needle = (node: Extract<SearchNode, { kind: "text" }>): string => {
    let folded = needles.get(node);
    if (folded === undefined) {
      folded = fold(node.value);
      needles.set(node, folded);
    }
    return folded;
  };
  const { root, scope } = query;
  const dayOf = dayIn(options.timeZone);
  return (record) => {
    if (!scopeIncludes(scope, record.folder, options)) return false;
    if (root === null) return true;
    return evaluateNode(
      root,
      record,
      (node) => {
        const n = needle(node);
        const fields = node.field === "any" ? textFields : [node.field];
        return fields.some((f) => containsAtWordStart(record.text[f], n));
      },
      dayOf,
    );
  };
}

/** One-off convenience: folds the record and tests it. */
export function matchesQuery(
  query: SearchQuery,
  record: LocalSearchRecord,
  options: LocalMatchOptions,
): boolean {
  return createLocalMatcher(query, options)(foldRecord(record));
}

/**
 * Splits text into the words a search looks for, unfolded: runs of letters and digits, plus
 * each whole address or dotted name ("ana@primer.rs", "primer.rs") so it can be searched as
 * typed. Punctuation around a whole is not part of it: "@primer.rs" looks for "primer.rs".
 */
export function tokenizeForSearch(text: string): string[] {
  return tokenize(text, false);
}

/**
 * At most this many tails of one whole are indexed (its shortest): an address has a few
 * words, and a long dotted run (a version, a hex dump) would otherwise grow the index by the
 * square of its length.
 */
export const MAX_TAILS = 8;

/**
 * The terms an index keeps for a text, unfolded: `tokenizeForSearch`'s, plus each tail of a
 * whole that starts at one of its inner words ("petrovic@primer.rs" and "primer.rs" of
 * "ana.petrovic@primer.rs"), so a query for the whole's end finds it, as the plain matcher
 * (which finds text where any word starts) and IMAP's substring SEARCH do. A tail starts at a
 * word, never at the punctuation before it, as a query's whole does ("@primer.rs" is looked
 * for as "primer.rs"). Only wholes (with "@" or ".") have tails, and only their last
 * `MAX_TAILS`; a tail of one word is that word, kept already.
 *
 * Changing what this keeps changes what saved segments hold: bump `TEXT_SEGMENT_FORMAT`
 * (local-index.ts) so those built before are indexed again.
 */
export function tokenizeForIndex(text: string): string[] {
  return tokenize(text, true);
}

const innerWord = /[\p{L}\p{N}\p{M}]+/gu;

function tokenize(text: string, tails: boolean): string[] {
  const tokens: string[] = [];
  for (const chunk of text.split(/[^\p{L}\p{N}\p{M}@._+-]+/u)) {
    const words = chunk.split(/[^\p{L}\p{N}\p{M}]+/u).filter((w) => w !== "");
    const whole = chunk.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
    if (words.length > 1 && /[@.]/.test(whole)) {
      tokens.push(whole);
      if (tails && words.length > 2) {
        // Where each word of the whole starts; the first is the whole, the last a word.
        const starts = [...whole.matchAll(innerWord)].map((m) => m.index);
        for (let i = Math.max(1, starts.length - 1 - MAX_TAILS); i < starts.length - 1; i++)
          tokens.push(whole.slice(starts[i]));
      }
    }
    tokens.push(...words);
  }
  return tokens;
}

/** The folded, distinct terms of a record's text, ready for a full-text index. */
export function tokensForIndex(record: LocalSearchRecord): string[] {
  const text = [
    addressText(record.from),
    addressText(record.to),
    addressText(record.cc),
    record.subject,
    record.body,
  ].join("\n");
  return [...new Set(tokenizeForIndex(text).map(fold))].filter((t) => t !== "");
}
