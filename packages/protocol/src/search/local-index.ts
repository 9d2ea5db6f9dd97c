import {
  addressText,
  dayIn,
  evaluateNode,
  scopeIncludes,
  tokenizeForIndex,
  tokenizeForSearch,
} from "./local-match";
import type { LocalMatchOptions, LocalSearchMeta, LocalSearchRecord } from "./local-match";
import type { SearchNode, SearchQuery } from "./query";
import { fold } from "./translit";

/**
 * A full-text index of the POP3 store, kept as mail is stored, so a search as you type does
 * not read every body. Terms are folded (`fold`) on the way in and on the way out, so "sasa"
 * finds "Saša" and "pismo" finds "писмо"; each query word is a prefix ("rac" finds "račun"),
 * as in the plain matcher.
 *
 * The index answers the text conditions; the rest (flags, dates, sizes, folder) comes from
 * the metadata the caller passes to `search`, which stays current without re-indexing when a
 * message is read or flagged. A phrase is answered as all of its words in the field, not
 * their order: the index keeps no positions.
 *
 * It is held in segments of up to `SEGMENT_MESSAGES` messages, each a sorted list of its
 * terms and, for each, the messages that have it, packed in one string and typed arrays (a
 * few bytes a term and a message, where an index of objects took hundreds: in MiniSearch,
 * 12,000 messages of 3 kB of text took 15 s and 150 MB in a browser, and 12,000 of 20 kB ran
 * out of a 4 GB heap in Node).
 * New messages go to an open segment; a full one is closed (`takeClosed`) for the caller to
 * save, and `create(saved)` reads saved segments back as they are, with no text read again.
 * A segment is stamped with the `TEXT_SEGMENT_FORMAT` it was built with; one of another
 * (`isCurrent` says no) lacks terms queries now look for, and its messages must be indexed
 * again from their text rather than read back.
 * A message indexed again (its text changed) is answered from its newest copy only.
 *
 * Pure and synchronous.
 */

/** The text of a message the index reads: a `LocalSearchRecord` without its metadata. */
export type LocalSearchText = Pick<LocalSearchRecord, "id" | "from" | "to" | "cc" | "subject" | "body">;

/**
 * A closed segment: structured-clonable (IndexedDB keeps it as it is). Term `k` is
 * `terms.slice(termStarts[k], termStarts[k + 1])`, its field's letter first; the messages
 * that have it are `ids[postings[i]]` for `i` from `postingStarts[k]` to `postingStarts[k + 1]`.
 */
export interface TextSegment {
  /** The `TEXT_SEGMENT_FORMAT` it was built with (segments saved before there was one have none). */
  readonly format: number;
  readonly ids: readonly string[];
  readonly terms: string;
  readonly termStarts: Uint32Array;
  readonly postingStarts: Uint32Array;
  readonly postings: Uint16Array;
}

/**
 * Which terms a segment keeps for a text; bumped whenever they change (`tokenizeForIndex`,
 * `fold`), so segments saved before are known (`LocalSearchIndex.isCurrent`) and built again
 * instead of silently missing what a query now finds.
 * - 1 (no `format` saved): words, and each whole address or dotted name.
 * - 2: also the tails of those ("primer.rs" of "ana@primer.rs").
 */
export const TEXT_SEGMENT_FORMAT = 2;

/** At most 65,536, so a message's place in its segment fits a `Uint16Array`. */
export const SEGMENT_MESSAGES = 2_000;

type Field = "from" | "to" | "cc" | "subject" | "body";
const fields: readonly Field[] = ["from", "to", "cc", "subject", "body"];
/** Each term is kept after its field's letter, so one sorted list serves every field. */
const fieldLetter: Readonly<Record<Field, string>> = { from: "f", to: "t", cc: "c", subject: "s", body: "b" };

/**
 * The folded, distinct terms of a text: those a query looks for, or (`forIndex`) those the
 * index keeps, which add the tails of addresses and dotted names (`tokenizeForIndex`).
 */
function termsOf(text: string, folded: Map<string, string>, forIndex = false): Set<string> {
  const terms = new Set<string>();
  for (const token of forIndex ? tokenizeForIndex(text) : tokenizeForSearch(text)) {
    let term = folded.get(token);
    if (term === undefined) {
      term = fold(token);
      folded.set(token, term);
    }
    if (term !== "") terms.add(term);
  }
  return terms;
}

function fieldText(text: LocalSearchText, field: Field): string {
  return field === "subject" || field === "body" ? text[field] : addressText(text[field]);
}

/** The open segment: terms gathered as messages come, sorted when it is searched or closed. */
class OpenSegment {
  readonly ids: string[] = [];
  private readonly postings = new Map<string, number[]>();
  private sorted: string[] | null = null;
  /** Token -> folded term, shared by every message of the segment (fold is the costly part). */
  private readonly folded = new Map<string, string>();

  /** Adds a message; returns its place in the segment. */
  add(text: LocalSearchText): number {
    const at = this.ids.length;
    this.ids.push(text.id);
    for (const field of fields) {
      const letter = fieldLetter[field];
      for (const term of termsOf(fieldText(text, field), this.folded, true)) {
        const key = letter + term;
        const list = this.postings.get(key);
        if (list) list.push(at);
        else {
          this.postings.set(key, [at]);
          this.sorted = null;
        }
      }
    }
    return at;
  }

  get size(): number {
    return this.ids.length;
  }

  /** The messages with a term starting with `prefix` (field letter first). */
  collect(prefix: string, into: (at: number) => void): void {
    this.sorted ??= [...this.postings.keys()].sort();
    const keys = this.sorted;
    for (let k = lowerBound(keys.length, (i) => keys[i]!, prefix); k < keys.length; k++) {
      const key = keys[k]!;
      if (!key.startsWith(prefix)) break;
      for (const at of this.postings.get(key)!) into(at);
    }
  }

  close(): TextSegment {
    const keys = [...this.postings.keys()].sort();
    const termStarts = new Uint32Array(keys.length + 1);
    const postingStarts = new Uint32Array(keys.length + 1);
    let chars = 0;
    let count = 0;
    keys.forEach((key, k) => {
      termStarts[k] = chars;
      postingStarts[k] = count;
      chars += key.length;
      count += this.postings.get(key)!.length;
    });
    termStarts[keys.length] = chars;
    postingStarts[keys.length] = count;
    const postings = new Uint16Array(count);
    keys.forEach((key, k) => postings.set(this.postings.get(key)!, postingStarts[k]!));
    return {
      format: TEXT_SEGMENT_FORMAT,
      ids: [...this.ids],
      terms: keys.join(""),
      termStarts,
      postingStarts,
      postings,
    };
  }
}

/** The first place whose key is not below `target`, of `length` sorted keys. */
function lowerBound(length: number, keyAt: (i: number) => string, target: string): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyAt(mid) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function collectClosed(segment: TextSegment, prefix: string, into: (at: number) => void): void {
  const { terms, termStarts, postingStarts, postings } = segment;
  const count = termStarts.length - 1;
  const keyAt = (k: number) => terms.slice(termStarts[k], termStarts[k + 1]);
  for (let k = lowerBound(count, keyAt, prefix); k < count; k++) {
    if (!terms.startsWith(prefix, termStarts[k])) break;
    for (let i = postingStarts[k]!; i < postingStarts[k + 1]!; i++) into(postings[i]!);
  }
}

export class LocalSearchIndex {
  private readonly closed: TextSegment[];
  private open = new OpenSegment();
  /** Closed segments not yet taken by the caller to save. */
  private readonly toSave: TextSegment[] = [];
  /** Each indexed message's newest copy: its segment's number times 65,536, plus its place. */
  private readonly owner = new Map<string, number>();
  /** Token -> folded term for queries. */
  private readonly folded = new Map<string, string>();

  private constructor(saved: readonly TextSegment[]) {
    this.closed = [...saved];
    this.closed.forEach((segment, s) => segment.ids.forEach((id, at) => this.owner.set(id, s * 65_536 + at)));
  }

  /**
   * An index of the saved segments (oldest first; a later copy of a message wins). Each must be
   * current (`isCurrent`): the caller indexes the messages of the others again from their text.
   */
  static create(saved: readonly TextSegment[] = []): LocalSearchIndex {
    return new LocalSearchIndex(saved);
  }

  /** Whether a saved segment holds the terms this version keeps (`TEXT_SEGMENT_FORMAT`). */
  static isCurrent(segment: Omit<TextSegment, "format"> & { readonly format?: number }): boolean {
    return segment.format === TEXT_SEGMENT_FORMAT;
  }

  /** Adds a message, or replaces it if its id is already indexed. */
  add(text: LocalSearchText): void {
    const at = this.open.add(text);
    this.owner.set(text.id, this.closed.length * 65_536 + at);
    if (this.open.size >= SEGMENT_MESSAGES) {
      const segment = this.open.close();
      this.closed.push(segment);
      this.toSave.push(segment);
      this.open = new OpenSegment();
    }
  }

  /** The segments closed since the last call, for the caller to save (oldest first). */
  takeClosed(): TextSegment[] {
    return this.toSave.splice(0);
  }

  /** The messages of the open segment, which a saved copy of the index does not hold. */
  get unsaved(): readonly string[] {
    return this.open.ids;
  }

  remove(id: string): void {
    this.owner.delete(id);
  }

  /** How many closed segments it holds (saved ones first, in the order given to `create`). */
  get closedCount(): number {
    return this.closed.length;
  }

  /**
   * The messages closed segment `s` answers for (their newest copy is there), and how many it
   * holds in all: a segment mostly superseded or removed is worth writing anew.
   */
  answeredBy(s: number): { ids: string[]; held: number } {
    const segment = this.closed[s];
    if (!segment) return { ids: [], held: 0 };
    const ids = segment.ids.filter((id, at) => this.owner.get(id) === s * 65_536 + at);
    return { ids, held: segment.ids.length };
  }

  has(id: string): boolean {
    return this.owner.has(id);
  }

  get size(): number {
    return this.owner.size;
  }

  /** Ids of the messages whose field (or any field) has every word of the text, as prefixes. */
  textMatches(node: Extract<SearchNode, { kind: "text" }>): ReadonlySet<string> {
    const words = termsOf(node.value, this.folded);
    const letters = node.field === "any" ? fields.map((f) => fieldLetter[f]) : [fieldLetter[node.field]];
    let result: Set<string> | null = null;
    for (const word of words) {
      const found = new Set<string>();
      const segments = [...this.closed, this.open];
      segments.forEach((segment, s) => {
        const ids = segment.ids;
        const into = (at: number) => {
          const id = ids[at]!;
          if (this.owner.get(id) === s * 65_536 + at && (result === null || result.has(id))) found.add(id);
        };
        for (const letter of letters) {
          if (segment instanceof OpenSegment) segment.collect(letter + word, into);
          else collectClosed(segment, letter + word, into);
        }
      });
      result = found;
      if (result.size === 0) break;
    }
    // No word (the text was only punctuation): nothing to find, as a word nobody wrote.
    return result ?? new Set();
  }

  /**
   * The ids among `messages` that match the query, newest first. `messages` is the metadata
   * of every stored message (the universe NOT and the scope work over). `beside` are indexes
   * of messages this one does not hold, searched with it (drafts, whose text changes as they
   * are written; messages kept apart, never saved).
   */
  search(
    query: SearchQuery,
    messages: Iterable<LocalSearchMeta>,
    options: LocalMatchOptions,
    beside: readonly LocalSearchIndex[] = [],
  ): string[] {
    const cache = new Map<SearchNode, ReadonlySet<string>>();
    const dayOf = dayIn(options.timeZone);
    const hits: LocalSearchMeta[] = [];
    for (const meta of messages) {
      if (!scopeIncludes(query.scope, meta.folder, options)) continue;
      const ok =
        query.root === null ||
        evaluateNode(
          query.root,
          meta,
          (node) => {
            let ids = cache.get(node);
            if (ids === undefined) {
              ids = this.textMatches(node);
              for (const other of beside) ids = new Set([...ids, ...other.textMatches(node)]);
              cache.set(node, ids);
            }
            return ids.has(meta.id);
          },
          dayOf,
        );
      if (ok) hits.push(meta);
    }
    return hits.sort((a, b) => b.date - a.date).map((m) => m.id);
  }
}
