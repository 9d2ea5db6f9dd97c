import type { ListWindow, MessageSummary, SearchRow } from "@pismo/protocol/schemas";
import { createKnownMatcher, newestKnownMatches } from "@pismo/protocol/search";
import type { KnownMessage, SearchQuery } from "@pismo/protocol/search";
import type { ImapSearchResults, SearchRef } from "./use-imap-search";

/** A cached window of a folder's list, in arrival order (offset 0 is the newest message). */
export interface CachedWindow {
  window: ListWindow;
  /** The cache knows the window to be out of date (new mail, a change made elsewhere). */
  stale: boolean;
}

/**
 * A folder's newest messages as far as the cached windows reach without a gap: from offset 0,
 * window after window, all of one answer's generation (the same total and UIDVALIDITY as the
 * first) and in descending UID order, which is the server's newest-first order of a folder's
 * search results (UIDs grow with arrival, RFC 9051 §2.3.1.1). Where anything does not fit,
 * the run ends there; an out-of-date first window gives nothing.
 */
export function newestCachedRows(folder: string, windows: readonly CachedWindow[]): MessageSummary[] {
  const mine = windows.filter((w) => w.window.folder === folder && !w.stale).map((w) => w.window);
  const first = firstWindow(folder, windows);
  if (!first) return [];
  const rows: MessageSummary[] = [];
  for (;;) {
    const covered = rows.length;
    const next = mine
      .filter(
        (w) =>
          w.total === first.total &&
          w.uidValidity === first.uidValidity &&
          w.offset <= covered &&
          w.offset + w.messages.length > covered,
      )
      .sort((a, b) => b.offset + b.messages.length - (a.offset + a.messages.length))[0];
    if (!next) return rows;
    for (const m of next.messages.slice(covered - next.offset)) {
      const last = rows[rows.length - 1];
      if (last && m.uid >= last.uid) return rows;
      rows.push(m);
    }
  }
}

/** The window `newestCachedRows` starts from: the folder's first, if it is up to date. */
function firstWindow(folder: string, windows: readonly CachedWindow[]): ListWindow | undefined {
  return windows.find((w) => w.window.folder === folder && !w.stale && w.window.offset === 0)?.window;
}

/** The UIDVALIDITY the rows `newestCachedRows` gives were listed with (null: it gives none). */
export function newestCachedUidValidity(folder: string, windows: readonly CachedWindow[]): string | null {
  return firstWindow(folder, windows)?.uidValidity ?? null;
}

/**
 * What a list row tells of its message. Its From is the header's first mailbox, taken as the
 * whole header (a From of several mailboxes is rare enough to be judged by the first). A row
 * without a From or To mailbox may have a header the envelope holds no mailbox of (a group,
 * "undisclosed-recipients:;"), which the server searches as text: not known. The date is the
 * Date header, not the INTERNALDATE the server compares, so it is left out.
 */
function knownOf(row: MessageSummary, folder: string): KnownMessage {
  return {
    folder,
    ...(row.from ? { from: [row.from] } : {}),
    ...(row.to.length > 0 ? { to: row.to } : {}),
    subject: row.subject,
    size: row.size,
    seen: row.seen,
    flagged: row.flagged,
    hasAttachment: row.hasAttachment,
  };
}

export interface KnownResults {
  /** Newest first, as the server will answer them. */
  refs: SearchRef[];
  rows: Map<string, SearchRow>;
  /** The UIDVALIDITY of the refs' folder as its rows were listed (see `ImapSearchResults`). */
  uidValidities: ReadonlyMap<string, string>;
}

export const noKnownResults: KnownResults = { refs: [], rows: new Map(), uidValidities: new Map() };

/**
 * The first results of a search that can be shown before the server answers: the current
 * folder's newest cached rows that certainly match, up to the first one that cannot be judged
 * from its row. They are how the server's newest-first answer for that folder begins. Nothing
 * for a search of another folder, or with the server's approximate matching (it may find
 * what the words do not say).
 */
export function knownResults(
  query: SearchQuery,
  currentFolder: string,
  rows: readonly MessageSummary[],
  opts: {
    fuzzy: boolean;
    key: (ref: SearchRef) => string;
    /** The UIDVALIDITY the rows were listed with (`newestCachedUidValidity`). */
    uidValidity: string | null;
  },
): KnownResults {
  const scope = query.scope;
  const here = scope.kind !== "folder" || scope.folder === currentFolder;
  const uidValidity = opts.uidValidity;
  if (opts.fuzzy || !here || rows.length === 0 || uidValidity === null) return noKnownResults;
  const match = createKnownMatcher(query, { currentFolder });
  const found = newestKnownMatches(rows, (row) => match(knownOf(row, currentFolder)));
  const refs = found.map((row) => ({ folder: currentFolder, uid: row.uid }));
  return {
    refs,
    rows: new Map(
      found.map((row) => [
        opts.key({ folder: currentFolder, uid: row.uid }),
        { ...row, folder: currentFolder, uidValidity },
      ]),
    ),
    uidValidities: new Map([[currentFolder, uidValidity]]),
  };
}

/**
 * The results to show: the known first results while the search runs and the server has not
 * answered for any folder yet ("searching" stays in the status, so they are never taken for
 * the whole answer); the server's answer, which replaces them, from its first word on. A row
 * shown early that the server does not confirm goes away then.
 */
export function withKnownResults(results: ImapSearchResults, known: KnownResults): ImapSearchResults {
  if (!results.running || results.answered || known.refs.length === 0) return results;
  return {
    ...results,
    refs: known.refs,
    streamed: new Map([...known.rows, ...results.streamed]),
    uidValidities: known.uidValidities,
  };
}
