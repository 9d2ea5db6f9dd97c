import { Dexie, type Table } from "dexie";
import { parseMessage } from "@pismo/protocol/mime";
import type { MessageView } from "@pismo/protocol/mime";
import { LocalSearchIndex, fold } from "@pismo/protocol/search";
import type { LocalSearchMeta, SearchAddress, SearchQuery } from "@pismo/protocol/search";
import { DRAFTS, type Pop3Database, type StoredMessage } from "./pop3-database";

/** What search reads of a message, kept as the message is stored (its text, parsed once). */
interface SearchText {
  uid: string;
  from: SearchAddress[];
  to: SearchAddress[];
  cc: SearchAddress[];
  subject: string;
  body: string;
}

/** Bodies longer than this are indexed by their start: what people search for is near the top,
 * and a 5 MB text would make the index (kept in memory) large for little. */
const MAX_BODY_CHARS = 100_000;

class SearchTextDatabase extends Dexie {
  texts!: Table<SearchText, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ texts: "&uid" });
  }
}

/** The plain text of a body: the text part, or the HTML's text with tags and entities gone. */
export function bodyText(view: Pick<MessageView, "text" | "html">): string {
  if (view.text !== null) return view.text.slice(0, MAX_BODY_CHARS);
  if (view.html === null) return "";
  return view.html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/gi, " ")
    .replace(/&amp;/gi, "&")
    .replace(/&lt;/gi, "<")
    .replace(/&gt;/gi, ">")
    .replace(/&quot;/gi, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .slice(0, MAX_BODY_CHARS);
}

function textOf(uid: string, view: MessageView): SearchText {
  const addr = (a: { name?: string | null; address?: string | null }): SearchAddress => ({
    ...(a.name ? { name: a.name } : {}),
    address: a.address ?? "",
  });
  return {
    uid,
    from: view.from ? [addr(view.from)] : [],
    to: view.to.map(addr),
    cc: view.cc.map(addr),
    subject: view.subject ?? "",
    body: bodyText(view),
  };
}

/** A message whose bytes are not here (a draft, a headers-only one) is searched by its row. */
function textOfRow(m: StoredMessage): SearchText {
  return {
    uid: m.uid,
    from: [{ name: m.from, address: m.fromAddress }],
    to: m.to ? [{ address: m.to }] : [],
    cc: [],
    subject: m.subject,
    body: "",
  };
}

/**
 * Full-text search of the POP3 store, over every local folder, with the same query language
 * as IMAP. Each message's text is extracted when it is stored (the store parses it anyway)
 * and kept in a database of its own beside the store, so the search schema never touches the
 * mail's; the MiniSearch index itself lives in memory, built from those texts on the first
 * search (measured: about 60 ms for 1,000 messages, so no Worker) and kept up to date as
 * mail arrives. Messages stored before the index existed are parsed once, then.
 */
export class Pop3SearchIndex {
  private readonly texts: SearchTextDatabase;
  private index: LocalSearchIndex | null = null;
  private building: Promise<LocalSearchIndex> | null = null;

  constructor(
    readonly name: string,
    private readonly db: Pop3Database,
  ) {
    this.texts = new SearchTextDatabase(`${name}:search`);
  }

  close(): void {
    this.texts.close();
  }

  async wipe(): Promise<void> {
    this.texts.close();
    this.index = null;
    await Dexie.delete(this.texts.name);
  }

  /** A message was stored (or completed): keep its text. Never fails the store. */
  async noteStored(uid: string, view: MessageView): Promise<void> {
    await this.noteStoredMany([{ uid, view }]);
  }

  /** Messages stored together (a pull's batch): their texts in one transaction, not one each. */
  async noteStoredMany(stored: ReadonlyArray<{ uid: string; view: MessageView }>): Promise<void> {
    if (stored.length === 0) return;
    const texts = stored.map(({ uid, view }) => textOf(uid, view));
    try {
      await this.texts.texts.bulkPut(texts);
    } catch {
      // The texts are found again from the messages' bytes on the next build.
    }
    for (const text of texts) this.index?.add({ ...text, ...emptyMeta(text.uid) });
  }

  private ready(): Promise<LocalSearchIndex> {
    if (this.index) return Promise.resolve(this.index);
    this.building ??= this.build().finally(() => {
      this.building = null;
    });
    return this.building;
  }

  private async build(): Promise<LocalSearchIndex> {
    const index = LocalSearchIndex.create();
    const [texts, rows] = await Promise.all([this.texts.texts.toArray(), this.db.messages.toArray()]);
    const have = new Set(texts.map((t) => t.uid));
    for (const t of texts) index.add({ ...t, ...emptyMeta(t.uid) });
    for (const m of rows) {
      if (have.has(m.uid) || m.deletedLocally) continue;
      const raw = m.headersOnly ? null : ((await this.db.bodies.get(m.uid))?.raw ?? null);
      let text = textOfRow(m);
      if (raw) {
        try {
          text = textOf(m.uid, await parseMessage(raw));
          await this.texts.texts.put(text);
        } catch {
          // An unparsable message is still found by its row.
        }
      }
      index.add({ ...text, ...emptyMeta(m.uid) });
    }
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
    for (const m of rows)
      if (m.folderId === DRAFTS || !index.has(m.uid)) index.add({ ...textOfRow(m), ...emptyMeta(m.uid) });
    const metas: LocalSearchMeta[] = rows.map((m) => ({
      id: m.uid,
      folder: m.folderId,
      date: m.sortKey,
      size: m.size,
      seen: m.seen,
      flagged: m.flagged,
      hasAttachment: m.hasAttachment,
    }));
    const ids = index.search(query, metas, {
      currentFolder,
      inFolder: (folder, name) => folder === name || fold(folderName(folder)) === fold(name),
      utcOffsetMinutes: -new Date().getTimezoneOffset(),
    });
    return ids.flatMap((id) => {
      const m = byId.get(id);
      return m ? [m] : [];
    });
  }
}

/** The index keeps only text; flags, dates and folders are read from the store per search. */
function emptyMeta(id: string): LocalSearchMeta {
  return { id, folder: "", date: 0, size: 0, seen: false, flagged: false, hasAttachment: false };
}
