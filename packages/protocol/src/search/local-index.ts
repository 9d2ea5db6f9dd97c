import MiniSearch from "minisearch";
import type { AsPlainObject, Options } from "minisearch";
import { addressText, dayIn, evaluateNode, scopeIncludes, tokenizeForSearch } from "./local-match";
import type { LocalMatchOptions, LocalSearchMeta, LocalSearchRecord } from "./local-match";
import type { SearchNode, SearchQuery } from "./query";
import { fold } from "./translit";

/**
 * A full-text index of the POP3 store, kept as mail is stored, so a search as you type does
 * not read every body. MiniSearch keeps the terms; terms are folded (`fold`) on the way in and
 * on the way out, so "sasa" finds "Saša" and "pismo" finds "писмо"; each query word is a
 * prefix ("rac" finds "račun"), as in the plain matcher.
 *
 * The index answers the text conditions; the rest (flags, dates, sizes, folder) comes from
 * the metadata the caller passes to `search`, which stays current without re-indexing when a
 * message is read or flagged. A phrase is answered as all of its words in the field, not
 * their order: the index keeps no positions.
 *
 * Pure and synchronous; run it in a Worker when the store is large.
 */

interface IndexedDocument {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly cc: string;
  readonly subject: string;
  readonly body: string;
}

const fields = ["from", "to", "cc", "subject", "body"] as const;

const miniSearchOptions: Options<IndexedDocument> = {
  idField: "id",
  fields: [...fields],
  tokenize: (text) => tokenizeForSearch(text),
  processTerm: (term) => {
    const folded = fold(term);
    return folded === "" ? null : folded;
  },
};

export class LocalSearchIndex {
  private constructor(private readonly mini: MiniSearch<IndexedDocument>) {}

  static create(): LocalSearchIndex {
    return new LocalSearchIndex(new MiniSearch(miniSearchOptions));
  }

  /** Restores an index saved with `toJSON` (e.g. from IndexedDB). */
  static fromJSON(saved: AsPlainObject): LocalSearchIndex {
    return new LocalSearchIndex(MiniSearch.loadJS(saved, miniSearchOptions));
  }

  /** Adds a message, or replaces it if its id is already indexed. */
  add(record: LocalSearchRecord): void {
    const doc: IndexedDocument = {
      id: record.id,
      from: addressText(record.from),
      to: addressText(record.to),
      cc: addressText(record.cc),
      subject: record.subject,
      body: record.body,
    };
    if (this.mini.has(record.id)) this.mini.replace(doc);
    else this.mini.add(doc);
  }

  remove(id: string): void {
    if (this.mini.has(id)) this.mini.discard(id);
  }

  has(id: string): boolean {
    return this.mini.has(id);
  }

  get size(): number {
    return this.mini.documentCount;
  }

  /** Ids of the messages whose field (or any field) has every word of the text, as prefixes. */
  textMatches(node: Extract<SearchNode, { kind: "text" }>): ReadonlySet<string> {
    const results = this.mini.search(node.value, {
      fields: node.field === "any" ? [...fields] : [node.field],
      prefix: true,
      combineWith: "AND",
    });
    return new Set(results.map((r) => String(r.id)));
  }

  /**
   * The ids among `messages` that match the query, newest first. `messages` is the metadata
   * of every stored message (the universe NOT and the scope work over).
   */
  search(query: SearchQuery, messages: Iterable<LocalSearchMeta>, options: LocalMatchOptions): string[] {
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

  /** A plain object to save; `LocalSearchIndex.fromJSON` reads it back. */
  toJSON(): AsPlainObject {
    return this.mini.toJSON();
  }
}
