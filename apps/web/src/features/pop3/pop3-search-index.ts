import { Dexie, type Table } from "dexie";
import { parseMessage } from "@pismo/protocol/mime";
import type { MessageView } from "@pismo/protocol/mime";
import { LocalSearchIndex, SEGMENT_MESSAGES, fold } from "@pismo/protocol/search";
import type { LocalSearchMeta, LocalSearchText, SearchQuery, TextSegment } from "@pismo/protocol/search";
import { DRAFTS, type Pop3Database, type StoredMessage } from "./pop3-database";
import { textOf, type SearchText } from "./pulled-summary";

export { bodyText } from "./pulled-summary";

/** A closed segment of the index, as IndexedDB keeps it. */
type SavedSegment = TextSegment & { id?: number };

/**
 * A message whose newest text no saved segment holds. `seq` tells one noting from the next, so
 * a segment saved with an older text does not clear a newer one noted meanwhile.
 */
interface PendingText {
  uid: string;
  seq: number;
}

class SearchTextDatabase extends Dexie {
  texts!: Table<SearchText, string>;
  /** The index's closed segments, oldest first (a later one holds a message's newer text). */
  segments!: Table<SavedSegment, number>;
  pending!: Table<PendingText, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ texts: "&uid" });
    // Before version 2 the index was built from every text on each first search: all are pending.
    this.version(2)
      .stores({ texts: "&uid", segments: "++id", pending: "&uid" })
      .upgrade(async (tx) => {
        const uids = await tx.table<SearchText, string>("texts").toCollection().primaryKeys();
        await tx.table<PendingText, string>("pending").bulkPut(uids.map((uid) => ({ uid, seq: 0 })));
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
  private noteDuringBuild: Array<{ text: SearchText; seq: number }> | null = null;
  /** For each text indexed but not yet in a saved segment: the pending entry it cleared. */
  private readonly pendingSeq = new Map<string, number>();
  private seq = Date.now() * 1_000;
  private backgroundTimer: ReturnType<typeof setTimeout> | null = null;
  private background: Promise<void> | null = null;

  constructor(
    readonly name: string,
    private readonly db: Pop3Database,
  ) {
    this.texts = new SearchTextDatabase(`${name}:search`);
    // Texts left pending by a page closed before its pass finished.
    this.indexLater();
  }

  close(): void {
    this.stopBackground();
    this.texts.close();
  }

  async wipe(): Promise<void> {
    this.stopBackground();
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
      await this.texts.transaction("rw", [this.texts.texts, this.texts.pending], async () => {
        await this.texts.texts.bulkPut(texts);
        await this.texts.pending.bulkPut(noted.map(({ text, seq }) => ({ uid: text.uid, seq })));
      });
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

  /** A background pass once the store has been quiet for a while (a pull or an import done). */
  private indexLater(): void {
    this.stopBackground();
    this.backgroundTimer = setTimeout(() => {
      this.backgroundTimer = null;
      this.background ??= this.indexInBackground().finally(() => {
        this.background = null;
      });
    }, BACKGROUND_DELAY_MS);
  }

  private add(index: LocalSearchIndex, text: SearchText, seq: number): void {
    index.add(indexed(text));
    this.pendingSeq.set(text.uid, seq);
  }

  /** Saves the segments the index closed; their messages are no longer pending. */
  private async saveClosed(index: LocalSearchIndex): Promise<void> {
    const closed = index.takeClosed();
    if (closed.length === 0) return;
    // A message indexed again since (its newer text in the open segment) stays pending.
    const open = new Set(index.unsaved);
    const saved = [...new Set(closed.flatMap((s) => s.ids))].filter(
      (uid) => !open.has(uid) && this.pendingSeq.has(uid),
    );
    try {
      await this.texts.transaction("rw", [this.texts.segments, this.texts.pending], async () => {
        await this.texts.segments.bulkAdd(closed);
        const entries = await this.texts.pending.bulkGet(saved);
        await this.texts.pending.bulkDelete(
          entries.flatMap((e) => (e && e.seq === this.pendingSeq.get(e.uid) ? [e.uid] : [])),
        );
      });
    } catch {
      // Not saved: its messages stay pending and are indexed again in the next session.
    }
    for (const uid of saved) this.pendingSeq.delete(uid);
  }

  /**
   * Indexes pending texts, a page at a time, pausing every `SLICE_MS` (and saving what
   * closed); stops early when `stop` says so.
   */
  private async indexPending(
    index: LocalSearchIndex,
    pending: readonly PendingText[],
    stop: () => boolean = () => false,
  ): Promise<void> {
    let slice = performance.now();
    for (let i = 0; i < pending.length; i += 100) {
      const page = pending.slice(i, i + 100);
      const texts = await this.texts.texts.bulkGet(page.map((p) => p.uid));
      for (const [j, text] of texts.entries()) {
        if (text) this.add(index, text, page[j]!.seq);
        if (performance.now() - slice < SLICE_MS) continue;
        await this.saveClosed(index);
        await nextTask();
        if (stop()) return;
        slice = performance.now();
      }
    }
    await this.saveClosed(index);
  }

  /**
   * With the store quiet and no index in this page: the pending texts that fill whole segments,
   * indexed and saved on their own. The rest waits for the next pass or the first search.
   */
  private async indexInBackground(): Promise<void> {
    if (this.index || this.building) return;
    try {
      const pending = await this.texts.pending.toArray();
      const whole = pending.length - (pending.length % SEGMENT_MESSAGES);
      if (whole === 0) return;
      await this.indexPending(
        LocalSearchIndex.create(),
        pending.slice(0, whole),
        () => this.building !== null,
      );
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

  private async buildFromSaved(
    noteDuringBuild: ReadonlyArray<{ text: SearchText; seq: number }>,
  ): Promise<LocalSearchIndex> {
    const index = LocalSearchIndex.create(await this.texts.segments.toArray());
    // The texts no saved segment holds, a page at a time (a body may be 100,000 characters).
    await this.indexPending(index, await this.texts.pending.toArray());
    // Messages whose text was never kept (stored before texts were, or the write failed).
    let slice = performance.now();
    for (const uid of await this.db.messages.toCollection().primaryKeys()) {
      if (index.has(uid)) continue;
      const m = await this.db.messages.get(uid);
      if (!m || m.deletedLocally || m.folderId === DRAFTS) continue;
      const raw = m.headersOnly ? null : ((await this.db.bodies.get(m.uid))?.raw ?? null);
      let kept: SearchText | null = null;
      if (raw) {
        try {
          kept = textOf(m.uid, await parseMessage(raw));
          const seq = (this.seq += 1);
          await this.texts.transaction("rw", [this.texts.texts, this.texts.pending], async () => {
            await this.texts.texts.put(kept!);
            await this.texts.pending.put({ uid: m.uid, seq });
          });
          this.add(index, kept, seq);
        } catch {
          kept = null;
        }
      }
      // An unparsable message, or one without bytes, is still found by its row.
      if (!kept) index.add(textOfRow(m));
      if (performance.now() - slice < SLICE_MS) continue;
      await this.saveClosed(index);
      await nextTask();
      slice = performance.now();
    }
    for (const { text, seq } of noteDuringBuild) this.add(index, text, seq);
    await this.saveClosed(index);
    this.index = index;
    return index;
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
    const rows = (await this.db.messages.toArray()).filter((m) => !m.deletedLocally);
    const byId = new Map(rows.map((m) => [m.uid, m]));
    // Drafts have no bytes and change as they are written: their rows are searched as they are now.
    const drafts: LocalSearchText[] = [];
    for (const m of rows) {
      if (m.folderId === DRAFTS) drafts.push(textOfRow(m));
      else if (!index.has(m.uid)) index.add(textOfRow(m));
    }
    // Saved from a timer: this runs inside liveQuery (see ready).
    setTimeout(() => void this.saveClosed(index), 0);
    const metas: LocalSearchMeta[] = rows.map((m) => ({
      id: m.uid,
      folder: m.folderId,
      date: m.sortKey,
      size: m.size,
      seen: m.seen,
      flagged: m.flagged,
      hasAttachment: m.hasAttachment,
    }));
    const ids = index.search(
      query,
      metas,
      {
        currentFolder,
        inFolder: (folder, name) => folder === name || fold(folderName(folder)) === fold(name),
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      },
      drafts,
    );
    return ids.flatMap((id) => {
      const m = byId.get(id);
      return m ? [m] : [];
    });
  }
}
