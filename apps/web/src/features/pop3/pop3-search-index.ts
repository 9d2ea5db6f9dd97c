import { Dexie, type IntervalTree, type ObservabilitySet, type Table } from "dexie";
import { parseMessage } from "@pismo/protocol/mime";
import type { MessageView } from "@pismo/protocol/mime";
import { LocalSearchIndex, SEGMENT_MESSAGES, fold } from "@pismo/protocol/search";
import type { LocalSearchMeta, LocalSearchText, SearchQuery, TextSegment } from "@pismo/protocol/search";
import { DRAFTS, type Pop3Database, type StoredMessage } from "./pop3-database";
import { textOf, type SearchText } from "./pulled-summary";

export { bodyText } from "./pulled-summary";

/**
 * A closed segment of the index, as IndexedDB keeps it: one saved by an older version may lack
 * its `format` (see `LocalSearchIndex.isCurrent`).
 */
type SavedSegment = Omit<TextSegment, "format"> & { format?: number; id?: number };
const isCurrent = (segment: SavedSegment): segment is SavedSegment & TextSegment =>
  LocalSearchIndex.isCurrent(segment);

/**
 * A message's text as noted at `seq`: a row of `pending` (no saved segment holds that text yet)
 * or of `noted` (the latest noting). `seq` tells one noting from the next, so a segment saved
 * with an older text does not clear a newer one noted meanwhile.
 */
interface Noting {
  uid: string;
  seq: number;
}

class SearchTextDatabase extends Dexie {
  texts!: Table<SearchText, string>;
  /** The index's closed segments, oldest first: a message's copy in a later one wins (one
   * older than a text another tab noted since stays pending; see `noted`). */
  segments!: Table<SavedSegment, number>;
  pending!: Table<Noting, string>;
  /** Each kept text's noting (written with it): a tab saving a segment learns from it whether
   * another tab noted a newer text since its copy, which must then stay pending. Its keys are
   * the kept texts' (reading them from `texts` reads every text: ~0.3 s for 12,000). */
  noted!: Table<Noting, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ texts: "&uid" });
    // Before version 2 the index was built from every text on each first search: all are pending.
    this.version(2)
      .stores({ texts: "&uid", segments: "++id", pending: "&uid", noted: "&uid" })
      .upgrade(async (tx) => {
        const uids = await tx.table<SearchText, string>("texts").toCollection().primaryKeys();
        const entries = uids.map((uid) => ({ uid, seq: 0 }));
        await tx.table<Noting, string>("pending").bulkPut(entries);
        await tx.table<Noting, string>("noted").bulkPut(entries);
      });
  }
}

/** A message whose bytes are not here (a draft, a headers-only one) is searched by its row. */
function textOfRow(m: StoredMessage): LocalSearchText {
  return {
    id: m.uid,
    from: [{ name: m.from, address: m.fromAddress }],
    to: m.to ? [{ address: m.to }] : [],
    cc: [],
    subject: m.subject,
    body: "",
  };
}

/**
 * The primary keys of `table` in database `dbName` that a Dexie mutation notice (its
 * `storagemutated` event) says were written or deleted, or "all" when it gives a range: Dexie
 * notes a write of 50 rows or more, and a clear, as the whole table. A notice from another tab
 * comes structured-cloned over a BroadcastChannel, so the tree is walked as plain data.
 */
export function changedKeys(parts: ObservabilitySet, dbName: string, table: string): string[] | "all" {
  if ("all" in parts) return "all";
  const keys: string[] = [];
  const stack: Array<IntervalTree | null | undefined> = [parts[`idb://${dbName}/${table}/`]];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || !("from" in node)) continue;
    if (typeof node.from !== "string" || node.from !== node.to) return "all";
    keys.push(node.from);
    stack.push(node.l, node.r);
  }
  return keys;
}

/** The listed rows (tombstones left out) as a search reads them: in key order, as the table gives them. */
interface Universe {
  /** In key order: the order a search meets messages of the same date in. */
  rows: readonly StoredMessage[];
  byId: ReadonlyMap<string, StoredMessage>;
  /** What the query's non-text terms (NOT, in:, is:, dates) look at, made once per version. */
  metas: () => readonly LocalSearchMeta[];
}

/** How long the rows are kept after the last query. */
const KEEP_ROWS_MS = 60_000;

/** IndexedDB's order of string keys: by UTF-16 code units, as `<` compares. */
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function universeOf(rows: readonly StoredMessage[]): Universe {
  let metas: LocalSearchMeta[] | null = null;
  return {
    rows,
    byId: new Map(rows.map((m) => [m.uid, m])),
    metas: () =>
      (metas ??= rows.map((m) => ({
        id: m.uid,
        folder: m.folderId,
        date: m.sortKey,
        size: m.size,
        seen: m.seen,
        flagged: m.flagged,
        hasAttachment: m.hasAttachment,
      }))),
  };
}

/** `universe` with the rows of `uids` as read now (undefined: deleted). */
function patched(
  universe: Universe,
  uids: readonly string[],
  now: ReadonlyArray<StoredMessage | undefined>,
): Universe {
  const rows = universe.rows.slice();
  uids.forEach((uid, i) => {
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (byKey(rows[mid]!.uid, uid) < 0) lo = mid + 1;
      else hi = mid;
    }
    const here = rows[lo]?.uid === uid;
    const m = now[i];
    if (m && !m.deletedLocally) rows.splice(lo, here ? 1 : 0, m);
    else if (here) rows.splice(lo, 1);
  });
  return universeOf(rows);
}

/**
 * The rows NOT, in:, is: and dates work over. Reading them all took ~50 ms at 20,000 messages
 * (60–180 ms at 30,000) on every query, so they are read once and then kept in step from Dexie's
 * `storagemutated` notices, the ones liveQuery re-runs on (this tab's commits and, over a
 * BroadcastChannel, other tabs'): only the rows a notice names are read again, and a notice of
 * a range (a write of 50 rows or more) has the whole table read again by the next query.
 */
class StoreUniverse {
  private kept: Universe | null = null;
  /** Rows written since `kept` was read, each with the number of the last notice naming it. */
  private readonly changed = new Map<string, number>();
  private notices = 0;
  /** Bumped by a notice of a range, and on close: a read under way then is not kept. */
  private resets = 0;
  private closed = false;
  private forgetTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly noticed = (parts: ObservabilitySet) => {
    const keys = changedKeys(parts, this.table.db.name, this.table.name);
    this.notices += 1;
    if (keys === "all") this.reset();
    else for (const uid of keys) this.changed.set(uid, this.notices);
  };

  /** Another tab opens a newer schema: its upgrade may rewrite rows, and notes nothing. */
  private readonly upgraded = () => this.reset();

  constructor(private readonly table: Table<StoredMessage, string>) {
    Dexie.on("storagemutated", this.noticed);
    table.db.on("versionchange", this.upgraded);
  }

  close(): void {
    Dexie.on.storagemutated.unsubscribe(this.noticed);
    this.table.db.on.versionchange.unsubscribe(this.upgraded);
    this.closed = true;
    this.reset();
  }

  /** The rows are let go a while after the last query (~0.7 kB a message): kept while a
   * person searches, not for the rest of the session. */
  private forgetLater(): void {
    if (this.forgetTimer !== null) clearTimeout(this.forgetTimer);
    this.forgetTimer = setTimeout(() => {
      this.forgetTimer = null;
      this.reset();
    }, KEEP_ROWS_MS);
  }

  private reset(): void {
    if (this.forgetTimer !== null) clearTimeout(this.forgetTimer);
    this.forgetTimer = null;
    this.kept = null;
    this.changed.clear();
    this.resets += 1;
  }

  /**
   * Inside liveQuery: has it run again on any write to the table, as it did when every query
   * read the rows. A cursor over the whole key range is observed as that range (Dexie's
   * observability middleware), and unlike a read of values it goes to liveQuery itself, not to
   * Dexie's query cache, whose optimistic re-run comes before the commit and its notice.
   */
  async watch(): Promise<void> {
    await this.table
      .toCollection()
      .limit(1)
      .eachPrimaryKey(() => undefined);
  }

  /**
   * The rows now. Two reads may overlap (liveQuery starts a query again on a write, without
   * waiting for the last): each answers its own query, and only one made from the rows kept
   * when it started is kept; the rows it read stay changed if a notice named them again since.
   */
  async read(): Promise<Universe> {
    if (!this.closed) this.forgetLater();
    const base = this.kept;
    const resets = this.resets;
    const upTo = this.notices;
    let universe: Universe;
    let read: readonly string[];
    if (base === null) {
      universe = universeOf((await this.table.toArray()).filter((m) => !m.deletedLocally));
      read = [...this.changed.keys()];
    } else if (this.changed.size > 0) {
      read = [...this.changed.keys()];
      universe = patched(base, read, await this.table.bulkGet([...read]));
    } else return base;
    if (this.closed || this.kept !== base || this.resets !== resets) return universe;
    this.kept = universe;
    for (const uid of read) if ((this.changed.get(uid) ?? Infinity) <= upTo) this.changed.delete(uid);
    return universe;
  }
}

/** A text as it was noted (see `Noting`). */
interface NotedText {
  text: SearchText;
  seq: number;
}

const indexed = ({ uid, ...text }: SearchText): LocalSearchText => ({ id: uid, ...text });

/** How long indexing works before it lets the page draw and answer. */
const SLICE_MS = 30;
/** Quiet time after mail was stored before its texts are indexed in the background. */
const BACKGROUND_DELAY_MS = 2_000;
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Full-text search of the POP3 store, over every local folder, with the same query language
 * as IMAP. Each message's text is extracted when it is stored (the store parses it anyway)
 * and kept in a database of its own beside the store, so the search schema never touches the
 * mail's. The index (`LocalSearchIndex`) is kept there too, in segments of 2,000 messages:
 *
 * - mail stored while no search has been made is indexed in the background once the store is
 *   quiet (a pull or an import done), a full segment at a time, saved without reading the
 *   saved ones (so the page holds one segment's terms, however large the store);
 * - the first search of a session reads the saved segments back (a few MB for 12,000
 *   messages) and indexes the texts none holds (`pending`), a slice at a time so the page
 *   stays live; from then on mail is indexed as it is stored.
 *
 * Messages stored before the texts were kept are parsed once, then. Searches run inside
 * Dexie's liveQuery, where a write throws (its queries must only read): everything that
 * saves starts from a timer, outside it.
 */
export class Pop3SearchIndex {
  private readonly texts: SearchTextDatabase;
  private index: LocalSearchIndex | null = null;
  private building: Promise<LocalSearchIndex> | null = null;
  /** Texts noted while the index is being built, after it read which were pending. */
  private noteDuringBuild: NotedText[] | null = null;
  /** For each text indexed but not yet in a saved segment: the pending entry it cleared. */
  private readonly pendingSeq = new Map<string, number>();
  private seq = Date.now() * 1_000;
  /**
   * Messages in the store this page's index does not hold (stored by another tab after it was
   * built, or whose text was never kept): their kept text, else their row, indexed apart and
   * never saved, so a copy older or poorer than the one another tab saves never hides it.
   */
  private readonly apart = LocalSearchIndex.create();
  /** Every listed row, read once a session and kept as the store's writes are noticed. */
  private readonly universe: StoreUniverse;
  private backgroundTimer: ReturnType<typeof setTimeout> | null = null;
  private background: Promise<void> | null = null;

  constructor(
    readonly name: string,
    private readonly db: Pop3Database,
  ) {
    this.texts = new SearchTextDatabase(`${name}:search`);
    this.universe = new StoreUniverse(db.messages);
    // Opened now, not on the first search: opening took a few hundred ms of it.
    this.texts.open().catch(() => undefined);
    // Texts left pending by a page closed before its pass finished.
    this.indexLater();
  }

  close(): void {
    this.stopBackground();
    this.universe.close();
    this.texts.close();
  }

  async wipe(): Promise<void> {
    this.stopBackground();
    this.universe.close();
    this.texts.close();
    this.index = null;
    await Dexie.delete(this.texts.name);
  }

  private stopBackground(): void {
    if (this.backgroundTimer !== null) clearTimeout(this.backgroundTimer);
    this.backgroundTimer = null;
  }

  /** A message was stored (or completed): keep its text. Never fails the store. */
  async noteStored(uid: string, view: MessageView): Promise<void> {
    await this.noteStoredMany([{ uid, view }]);
  }

  /** Messages stored together (a pull's batch): their texts in one transaction, not one each. */
  async noteStoredMany(stored: ReadonlyArray<{ uid: string; view: MessageView }>): Promise<void> {
    await this.noteTexts(stored.map(({ uid, view }) => textOf(uid, view)));
  }

  /** The texts of messages stored together (a pull's batch, parsed in a Worker), in one transaction. */
  async noteTexts(texts: readonly SearchText[]): Promise<void> {
    if (texts.length === 0) return;
    const noted = texts.map((text) => ({ text, seq: (this.seq += 1) }));
    try {
      await this.keep(noted);
    } catch {
      // The texts are found again from the messages' bytes on the next build.
    }
    const index = this.index;
    if (index) {
      for (const { text, seq } of noted) this.add(index, text, seq);
      await this.saveClosed(index);
    } else if (this.noteDuringBuild) this.noteDuringBuild.push(...noted);
    else this.indexLater();
  }

  /** Keeps texts, each pending and noted as `seq`, in one transaction. */
  private async keep(noted: readonly NotedText[]): Promise<void> {
    const { texts, pending } = this.texts;
    await this.texts.transaction("rw", [texts, pending, this.texts.noted], async () => {
      await texts.bulkPut(noted.map(({ text }) => text));
      const entries = noted.map(({ text, seq }) => ({ uid: text.uid, seq }));
      await pending.bulkPut(entries);
      await this.texts.noted.bulkPut(entries);
    });
  }

  /** A background pass once the store has been quiet for a while (a pull or an import done). */
  private indexLater(): void {
    this.stopBackground();
    this.backgroundTimer = setTimeout(() => {
      this.backgroundTimer = null;
      // Texts noted while a pass runs get one of their own after it.
      if (this.background) void this.background.then(() => this.indexLater());
      else
        this.background = this.indexInBackground().finally(() => {
          this.background = null;
        });
    }, BACKGROUND_DELAY_MS);
  }

  private add(index: LocalSearchIndex, text: SearchText, seq: number): void {
    index.add(indexed(text));
    this.apart.remove(text.uid);
    this.pendingSeq.set(text.uid, seq);
  }

  /** Saves the segments the index closed; their messages are no longer pending. */
  private async saveClosed(index: LocalSearchIndex): Promise<void> {
    const closed = index.takeClosed();
    if (closed.length === 0) return;
    // Which noting of each message these segments hold, taken now: a text noted while they
    // are written (its own seq) stays pending. One indexed again since, its newer text in the
    // open segment, stays pending too.
    const open = new Set(index.unsaved);
    const saved = new Map<string, number>();
    for (const uid of closed.flatMap((s) => s.ids)) {
      const seq = this.pendingSeq.get(uid);
      if (seq !== undefined && !open.has(uid)) saved.set(uid, seq);
    }
    try {
      const { segments, pending, noted } = this.texts;
      await this.texts.transaction("rw", [segments, pending, noted], async () => {
        await segments.bulkAdd(closed);
        const uids = [...saved.keys()];
        const latest = await noted.bulkGet(uids);
        // Saved as noted last: no longer pending. Noted since (another tab): pending as that.
        const done: string[] = [];
        const newer: Noting[] = [];
        uids.forEach((uid, i) => {
          const seq = latest[i]?.seq;
          if (seq === undefined || seq === saved.get(uid)) done.push(uid);
          else newer.push({ uid, seq });
        });
        await pending.bulkDelete(done);
        await pending.bulkPut(newer);
      });
    } catch {
      // Not saved: its messages stay pending and are indexed again in the next session.
    }
    for (const [uid, seq] of saved) if (this.pendingSeq.get(uid) === seq) this.pendingSeq.delete(uid);
  }

  /**
   * A pause for indexing loops: once they have worked `SLICE_MS`, saves what the index closed
   * and lets the page draw and answer. Says whether it paused.
   */
  private pacer(index: LocalSearchIndex): () => Promise<boolean> {
    let slice = performance.now();
    return async () => {
      if (performance.now() - slice < SLICE_MS) return false;
      await this.saveClosed(index);
      await nextTask();
      slice = performance.now();
      return true;
    };
  }

  /** Indexes pending texts, a page at a time, pausing as it goes; stops early when `stop` says so. */
  private async indexPending(
    index: LocalSearchIndex,
    pending: readonly Noting[],
    stop: () => boolean = () => false,
  ): Promise<void> {
    const pause = this.pacer(index);
    for (let i = 0; i < pending.length; i += 100) {
      const page = pending.slice(i, i + 100);
      const texts = await this.texts.texts.bulkGet(page.map((p) => p.uid));
      for (const [j, text] of texts.entries()) {
        if (text) this.add(index, text, page[j]!.seq);
        if ((await pause()) && stop()) return;
      }
    }
    await this.saveClosed(index);
  }

  /**
   * With the store quiet and no index in this page: the pending texts that fill whole segments,
   * indexed and saved on their own, each in an index of its own (so the page holds one
   * segment's terms at a time). The rest waits for the next pass or the first search.
   */
  private async indexInBackground(): Promise<void> {
    const stop = () => this.index !== null || this.building !== null;
    if (stop()) return;
    try {
      const pending = await this.texts.pending.toArray();
      for (let at = 0; at + SEGMENT_MESSAGES <= pending.length && !stop(); at += SEGMENT_MESSAGES)
        await this.indexPending(LocalSearchIndex.create(), pending.slice(at, at + SEGMENT_MESSAGES), stop);
    } catch {
      // Left pending: the first search indexes them.
    }
  }

  private ready(): Promise<LocalSearchIndex> {
    if (this.index) return Promise.resolve(this.index);
    // From a timer: this is asked inside liveQuery, and the build saves.
    this.building ??= new Promise<LocalSearchIndex>((resolve, reject) =>
      setTimeout(() => void this.build().then(resolve, reject), 0),
    ).finally(() => {
      this.building = null;
    });
    return this.building;
  }

  private async build(): Promise<LocalSearchIndex> {
    this.noteDuringBuild = [];
    try {
      // A background pass stops at its next slice; what it saved is read below.
      await this.background;
      return await this.buildFromSaved(this.noteDuringBuild);
    } finally {
      this.noteDuringBuild = null;
    }
  }

  private async buildFromSaved(noteDuringBuild: readonly NotedText[]): Promise<LocalSearchIndex> {
    // Read before the store's rows: a message's row is written before its text.
    const textUids = await this.texts.noted.toCollection().primaryKeys();
    const saved = await this.dropStale(await this.texts.segments.toArray());
    const index = LocalSearchIndex.create(saved);
    // The texts no saved segment holds, a page at a time (a body may be 100,000 characters).
    await this.indexPending(index, await this.texts.pending.toArray());
    // The listed messages' keys from their index (tombstones are not in it), not their rows;
    // after the texts' keys above.
    const listed = new Set(await this.db.messages.orderBy("[listedIn+sortKey]").primaryKeys());
    // Messages whose text was never kept (stored before texts were): parsed once, now. One
    // that cannot be, or has no bytes, is searched by its row (see search).
    const pause = this.pacer(index);
    for (const uid of listed) {
      if (index.has(uid)) continue;
      const m = await this.db.messages.get(uid);
      if (!m || m.deletedLocally || m.folderId === DRAFTS || m.headersOnly) continue;
      const raw = (await this.db.bodies.get(m.uid))?.raw ?? null;
      if (!raw) continue;
      try {
        const kept = textOf(m.uid, await parseMessage(raw));
        const seq = (this.seq += 1);
        await this.keep([{ text: kept, seq }]);
        this.add(index, kept, seq);
      } catch {
        // Searched by its row.
      }
      await pause();
    }
    try {
      await this.compact(index, saved, textUids, listed);
    } catch {
      // Left as it was: compacting only saves room and time.
    }
    for (const { text, seq } of noteDuringBuild) this.add(index, text, seq);
    // Before the last save: a text noted while it is written goes straight into the index.
    this.index = index;
    await this.saveClosed(index);
    return index;
  }

  /**
   * The saved segments of the current terms (`LocalSearchIndex.isCurrent`). One saved by an
   * older version would answer for its messages without the terms a query now looks for (it
   * would hide them from those searches for good): it is removed, in the transaction that makes
   * its messages pending again, so they are indexed anew from their kept text. One whose text is
   * gone is not in the index then, and is parsed again as a message whose text was never kept.
   */
  private async dropStale(saved: SavedSegment[]): Promise<Array<SavedSegment & TextSegment>> {
    const current = saved.filter(isCurrent);
    if (current.length === saved.length) return current;
    const stale = saved.filter((segment) => !isCurrent(segment));
    const uids = [...new Set(stale.flatMap((segment) => segment.ids))];
    try {
      const { segments, pending, noted } = this.texts;
      await this.texts.transaction("rw", [segments, pending, noted], async () => {
        const latest = await noted.bulkGet(uids);
        await segments.bulkDelete(stale.flatMap((segment) => (segment.id === undefined ? [] : [segment.id])));
        // As noted last (a text noted since is pending as that already).
        await pending.bulkPut(
          uids.flatMap((uid, i) => {
            const seq = latest[i]?.seq;
            return seq === undefined ? [] : [{ uid, seq }];
          }),
        );
      });
    } catch {
      // Left saved, and read again next session; this one does without them all the same: their
      // messages are not in the index, so they are parsed again below.
    }
    return current;
  }

  /**
   * Keeps what is saved in proportion to the store, not to all it ever held: the texts of
   * messages deleted for good (not in `rows`, the listed messages) are dropped (`textUids` were
   * read before `rows`, so a message being stored meanwhile is not taken for one), and a saved
   * segment that answers for fewer than half the messages it holds (the rest deleted, or
   * indexed again since) is replaced: its messages are pending again, in the same transaction
   * that removes it, and indexed anew into the open segment.
   */
  private async compact(
    index: LocalSearchIndex,
    saved: readonly SavedSegment[],
    textUids: readonly string[],
    rows: ReadonlySet<string>,
  ): Promise<void> {
    const gone = textUids.filter((uid) => !rows.has(uid));
    const { texts, segments, pending, noted } = this.texts;
    if (gone.length > 0) {
      await this.texts.transaction("rw", [texts, pending, noted], async () => {
        await texts.bulkDelete(gone);
        await pending.bulkDelete(gone);
        await noted.bulkDelete(gone);
      });
      for (const uid of gone) this.pendingSeq.delete(uid);
    }
    // A saved segment's messages deleted in an earlier session have no text left to be gone.
    for (const s of saved.keys())
      for (const uid of index.answeredBy(s).ids) if (!rows.has(uid)) index.remove(uid);
    for (const uid of gone) index.remove(uid);
    for (const [s, segment] of saved.entries()) {
      const { ids, held } = index.answeredBy(s);
      if (segment.id === undefined || ids.length * 2 >= held) continue;
      // Read, removed and made pending in one transaction: a text noted meanwhile waits for it.
      const again = await this.texts.transaction("rw", [texts, segments, pending, noted], async () => {
        const [kept, latest] = await Promise.all([texts.bulkGet(ids), noted.bulkGet(ids)]);
        // A message whose text is missing would be lost with the segment: keep it as it is.
        if (kept.some((t) => t === undefined)) return [];
        const entries = ids.map((uid, i) => ({ uid, seq: latest[i]?.seq ?? 0 }));
        await segments.delete(segment.id!);
        await pending.bulkPut(entries);
        return kept.map((text, i) => ({ text: text!, seq: entries[i]!.seq }));
      });
      for (const { text, seq } of again) this.add(index, text, seq);
      await this.saveClosed(index);
      await nextTask();
    }
  }

  /**
   * The stored messages that match, newest first. `folderName` gives a local folder's name,
   * so in:Računi finds the folder the user named so.
   */
  async search(
    query: SearchQuery,
    currentFolder: string,
    folderName: (id: string) => string,
  ): Promise<StoredMessage[]> {
    const index = await this.ready();
    await this.universe.watch();
    const { rows, byId, metas } = await this.universe.read();
    // Searched by their rows as they are now, indexed for this search only: drafts (they have no
    // bytes and change as they are written), and messages without a kept text yet.
    const byRow = LocalSearchIndex.create();
    const missing: StoredMessage[] = [];
    for (const m of rows) {
      if (m.folderId === DRAFTS) byRow.add(textOfRow(m));
      else if (!index.has(m.uid) && !this.apart.has(m.uid)) missing.push(m);
    }
    if (missing.length > 0) {
      const kept = await this.texts.texts.bulkGet(missing.map((m) => m.uid));
      missing.forEach((m, i) => {
        const text = kept[i];
        // Without a text yet (another tab writes it after the row), by its row, this time only.
        if (text) this.apart.add(indexed(text));
        else byRow.add(textOfRow(m));
      });
    }
    const ids = index.search(
      query,
      metas(),
      {
        currentFolder,
        inFolder: (folder, name) => folder === name || fold(folderName(folder)) === fold(name),
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      },
      [this.apart, byRow],
    );
    return ids.flatMap((id) => {
      const m = byId.get(id);
      return m ? [m] : [];
    });
  }
}
