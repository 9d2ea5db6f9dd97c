import type { ImapFlow, SearchObject } from "imapflow";
import { searchCompiler } from "imapflow/lib/search-compiler.js";
import { MailError } from "@pismo/protocol/errors";
import { SEARCH_FIRST_ROWS } from "@pismo/protocol/schemas";
import type { ImapSearchEvent, ImapSearchRequest, SearchRow } from "@pismo/protocol/schemas";
import { compileImapSearch, fold, parseSearchQuery } from "@pismo/protocol/search";
import type {
  ImapCompileOptions,
  ImapCriteria,
  ImapSearchPlan,
  SearchNode,
  SearchQuery,
} from "@pismo/protocol/search";
import type { ImapContext } from "./context";
import type { FolderListing } from "./folders";
import { execRaw } from "./raw-command";
import { uidSet } from "./uid-set";
import { SUMMARY_FETCH_QUERY, hasAttachment, toSummary } from "./to-domain";

/** UIDs per FETCH when refining or dating a large result: keeps each command line short. */
const FETCH_CHUNK = 5000;

/**
 * A folder larger than this is searched newest part first: a header SEARCH over 100,000
 * messages keeps Dovecot busy for a good part of a second on a loaded machine, one over the
 * newest 2,000 for a few milliseconds, and the list shows the newest matches first.
 */
export const FIRST_PART = 2000;
/** Each further part is this many times the one before, while nothing has matched yet. */
const PART_GROWTH = 8;

/** A UID range of a folder; `high: null` is `*`, the newest message. */
interface UidRange {
  low: number;
  high: number | null;
}

interface Found {
  uids: number[];
  dates: number[];
}

/** A folder's matches with the UIDVALIDITY they were searched under and the rows sent with them. */
interface FolderAnswer extends Found {
  uidValidity: string;
  rows: SearchRow[];
}

/**
 * Server-side search over the session's one connection. A search across folders takes the
 * mailbox lock for one folder at a time and gives it back between folders, so opening a
 * message or acting on mail while a search runs waits for at most one folder's SEARCH, never
 * for the whole search; when the browser closes the subscription (Stop) no further folder
 * is started.
 */
export class ImapSearch {
  constructor(
    private readonly ctx: ImapContext,
    /** The folder tree listed now, with the folders it shows empty (their UIDVALIDITY). */
    private readonly folderList: () => Promise<FolderListing>,
  ) {}

  async *run(input: ImapSearchRequest, signal: AbortSignal): AsyncGenerator<ImapSearchEvent> {
    const parsed = parseSearchQuery(input.text, {
      now: input.now,
      ...(input.locale !== undefined ? { locale: input.locale } : {}),
    });
    // The browser parses the same text first and shows the mistake where it was typed; this
    // only answers a client that skipped that.
    if (!parsed.ok) throw new MailError("BAD_INPUT", parsed.error.message);
    const client = await this.ctx.connection();
    // RFC 6203: fuzzy matching only where the server offers it and the user asked for it.
    const fuzzy = input.fuzzy && client.capabilities.has("SEARCH=FUZZY");
    // RFC 5032: with WITHIN a day can start at the user's midnight, not the server's date's.
    const zone = client.capabilities.has("WITHIN") ? input.timeZone : undefined;
    const plan = serverPlan(parsed.query, {
      fuzzy,
      ...(zone ? { timeZone: { zone, now: Date.now() } } : {}),
    });
    const { folders, empty } = input.folders
      ? { folders: input.folders, empty: new Map<string, string>() }
      : await this.scopeFolders(plan, input.currentFolder, input.folderLabels ?? []);
    const dated = input.folders === undefined ? folders.length > 1 : plan.scope.kind === "all";
    // A refresh of named folders (new mail in a searched folder) replaces results already on
    // the page: nothing to show early, so each folder is searched at once, without rows.
    const fresh = input.folders === undefined;
    // Text (header and body words) is answered from the server's full-text index where it
    // has one (Dovecot with fts-xapian indexes headers too), and an index lookup costs the
    // same for the newest messages as for the whole folder: searching in parts would only do
    // it twice. Flags, dates, sizes and the attachment check are a scan, which a part makes short.
    const inParts = fresh && !usesText(plan.criteria);
    yield { type: "plan", folders, fuzzy };

    let searched = 0;
    let last: string | null = null;
    try {
      for (const folder of folders) {
        if (signal.aborted) return;
        // Listed with no messages a moment ago: nothing to find, nothing to open it for (a
        // message arriving there now is searched when the page hears of it, as for any folder).
        const emptyUnder = empty.get(folder);
        if (emptyUnder !== undefined) {
          searched += 1;
          yield { type: "folder", folder, uids: [], uidValidity: emptyUnder, dates: [], searched, rows: [] };
          continue;
        }
        last = folder;
        try {
          // The page's first window comes with the first folder's answer (its newest matches),
          // so it paints without asking for those rows.
          const withRows = fresh && folder === folders[0];
          let found: FolderAnswer | null = null;
          for await (const part of this.searchFolder(folder, plan, { dated, inParts, withRows }, signal)) {
            if (part.complete) found = part;
            else {
              const { uids, uidValidity, dates, rows } = part;
              yield { type: "partial", folder, uids, uidValidity, dates, rows };
            }
          }
          // Stopped between two parts of the folder: its answer is not complete, so not given.
          if (found === null) return;
          searched += 1;
          const { uids, uidValidity, dates, rows } = found;
          yield { type: "folder", folder, uids, uidValidity, dates, searched, rows };
        } catch (error) {
          searched += 1;
          const mapped = error instanceof MailError ? error : new MailError("SERVER_REFUSED", String(error));
          this.ctx.log.debug("imap.search_failed", { folder, error });
          yield { type: "folder-error", folder, code: mapped.code, message: mapped.message, searched };
        }
      }
      if (!signal.aborted) yield { type: "done" };
    } finally {
      // Back to the folder the user watches (IDLE) once, after the last folder searched, also
      // when the search was stopped.
      if (last !== null) this.ctx.returnToWatched(client, last);
    }
  }

  /** Where the query looks: the open folder, a named one, or every folder that can be opened
   * (the open folder first, so its results come first), with those of them the listing shows
   * empty. A folder is named by its path, its name, the name the UI shows for it (`labels`),
   * or its special use ("sent" for "Sent Items"). */
  private async scopeFolders(
    plan: ImapSearchPlan,
    current: string,
    labels: readonly { path: string; label: string }[],
  ): Promise<Omit<FolderListing, "folders"> & { folders: string[] }> {
    if (plan.scope.kind === "current") return { folders: [current], empty: new Map() };
    const listing = await this.folderList();
    const all = listing.folders.filter((f) => f.selectable);
    if (plan.scope.kind === "all") {
      const paths = all.map((f) => f.path);
      const folders = paths.includes(current) ? [current, ...paths.filter((p) => p !== current)] : paths;
      return { folders, empty: listing.empty };
    }
    const name = plan.scope.folder;
    const wanted = fold(name);
    const match =
      all.find((f) => f.path === name) ??
      all.find((f) => fold(f.path) === wanted) ??
      all.find((f) => fold(f.name) === wanted) ??
      all.find((f) => labels.some((l) => l.path === f.path && fold(l.label) === wanted)) ??
      all.find((f) => f.specialUse !== null && f.specialUse === wanted);
    if (!match) throw new MailError("NOT_FOUND", `There is no folder called "${name}"`);
    return { folders: [match.path], empty: listing.empty };
  }

  /**
   * One folder's matches, newest first, with the list rows of the first SEARCH_FIRST_ROWS of
   * them when `withRows`. With `inParts` a large folder is searched in parts, newest first
   * (its newest FIRST_PART messages, then older parts growing PART_GROWTH times while nothing
   * has matched, then, once something has, all the rest at once): each part that matched is
   * given out at once, so the page paints it before the older messages are searched. The parts are disjoint UID ranges that together
   * are the whole folder, so the last, complete answer is the one a single SEARCH of the
   * folder gives. The mailbox lock is given back between parts: opening a message meanwhile
   * waits for one part's SEARCH, not the folder's. The answer names the UIDVALIDITY the first
   * part was searched under; a later part finding another (the folder made again between two
   * parts) refuses with FOLDER_CHANGED rather than mix UIDs of two folders.
   */
  private async *searchFolder(
    folder: string,
    plan: ImapSearchPlan,
    { dated, inParts, withRows }: { dated: boolean; inParts: boolean; withRows: boolean },
    signal: AbortSignal,
  ): AsyncGenerator<FolderAnswer & { complete: boolean }> {
    const found: Found = { uids: [], dates: [] };
    let uidValidity: string | undefined;
    let rowsSent = 0;
    // The parts still to search, newest first (null: the whole folder); known once it is open.
    let queue: Array<UidRange | null> | undefined;
    for (let part = 0; ; part++) {
      if (part > 0 && signal.aborted) return;
      const answer = await this.ctx.inFolder(
        folder,
        async (client, mailbox) => {
          // The same as the first part's (the lock's SELECT compared them, `uidValidity` below).
          const selected = String(mailbox.uidValidity);
          uidValidity ??= selected;
          queue ??= mailbox.exists === 0 ? [] : inParts ? await partRanges(client, mailbox.exists) : [null];
          const range = queue.shift();
          if (range === undefined) return { uids: [], dates: [], uidValidity: selected, rows: [] };
          const hits = await searchPart(client, plan, dated, range);
          const want = withRows ? hits.uids.slice(0, Math.max(0, SEARCH_FIRST_ROWS - rowsSent)) : [];
          return { ...hits, uidValidity: selected, rows: await fetchRows(client, folder, selected, want) };
        },
        { returnToWatched: false, uidValidity },
      );
      found.uids.push(...answer.uids);
      found.dates.push(...answer.dates);
      rowsSent += answer.rows.length;
      const rest = queue ?? [];
      // Something matched and is on the page: the older messages in one SEARCH.
      const oldest = rest.at(-1);
      if (found.uids.length > 0 && rest.length > 1 && oldest) {
        rest.splice(0, rest.length, { low: oldest.low, high: rest[0]?.high ?? null });
      }
      const complete = rest.length === 0;
      if (complete || answer.uids.length > 0)
        yield {
          uids: [...found.uids],
          dates: [...found.dates],
          uidValidity: answer.uidValidity,
          rows: answer.rows,
          complete,
        };
      if (complete) return;
    }
  }

  /** The list rows for a window of results, fetched folder by folder, in the order asked. */
  async rows(refs: ReadonlyArray<{ folder: string; uid: number }>): Promise<SearchRow[]> {
    const byFolder = new Map<string, number[]>();
    for (const r of refs) byFolder.set(r.folder, [...(byFolder.get(r.folder) ?? []), r.uid]);
    const found = new Map<string, SearchRow>();
    let last: { folder: string; client: ImapFlow } | null = null;
    try {
      for (const [folder, uids] of byFolder) {
        const rows = await this.ctx.inFolder(
          folder,
          (client, mailbox) => {
            last = { folder, client };
            return fetchRows(client, folder, String(mailbox.uidValidity), uids);
          },
          { returnToWatched: false },
        );
        for (const r of rows) found.set(`${folder}\u0000${r.uid}`, r);
      }
    } finally {
      const done = last as { folder: string; client: ImapFlow } | null;
      if (done !== null) this.ctx.returnToWatched(done.client, done.folder);
    }
    // A message deleted meanwhile is simply missing from the window.
    return refs.flatMap((r) => {
      const row = found.get(`${r.folder}\u0000${r.uid}`);
      return row ? [row] : [];
    });
  }
}

/**
 * The plan sent to the server. A top-level has:attachment is left out of the server's
 * criteria and decided by BODYSTRUCTURE alone: its IMAP stand-in (HEADER Content-Type) is
 * answered wrongly by some full-text backends (fts-xapian 1.5 indexes no Content-Type and
 * then matches nothing), and the structure check runs anyway.
 */
function serverPlan(query: SearchQuery, options: ImapCompileOptions): ImapSearchPlan {
  const full = compileImapSearch(query, options);
  if (full.attachment === null || query.root === null) return full;
  const isAttachment = (n: SearchNode) =>
    n.kind === "hasAttachment" || (n.kind === "not" && n.node.kind === "hasAttachment");
  const rest = query.root.kind === "and" ? query.root.nodes.filter((n) => !isAttachment(n)) : [];
  const root: SearchNode | null =
    rest.length === 0 ? null : rest.length === 1 ? (rest[0] ?? null) : { kind: "and", nodes: rest };
  return { ...compileImapSearch({ ...query, root }, options), attachment: full.attachment };
}

/** True when the criteria match text (a header or the body) anywhere in them. */
function usesText(c: ImapCriteria): boolean {
  switch (c.key) {
    case "NOT":
      return usesText(c.of);
    case "AND":
    case "OR":
      return c.of.some(usesText);
    case "SEEN":
    case "UNSEEN":
    case "FLAGGED":
    case "ALL":
    case "BEFORE":
    case "SINCE":
    case "LARGER":
    case "SMALLER":
      return false;
    default:
      return true;
  }
}

/**
 * How a folder of `exists` messages is searched: the whole folder at once (one null part)
 * when it is small, else UID ranges newest first, found from the UIDs at the parts' first
 * sequence numbers (one FETCH). UIDs, unlike sequence numbers, stay put when mail is expunged
 * between two parts.
 */
async function partRanges(client: ImapFlow, exists: number): Promise<Array<UidRange | null>> {
  const starts: number[] = [];
  let covered = 0;
  for (let size = FIRST_PART; exists - covered > size; size *= PART_GROWTH) {
    covered += size;
    starts.push(exists - covered + 1);
  }
  if (starts.length === 0) return [null];
  const fetched = await client.fetchAll(starts.join(","), { uid: true });
  const uidAt = new Map(fetched.map((m) => [m.seq, m.uid]));
  const bounds = starts.map((seq) => uidAt.get(seq));
  // A message expunged under the FETCH: search the folder at once rather than guess.
  if (bounds.some((b) => b === undefined || b < 2)) return [null];
  const ranges: UidRange[] = [];
  let high: number | null = null;
  for (const low of bounds as number[]) {
    ranges.push({ low, high });
    high = low - 1;
  }
  ranges.push({ low: 1, high });
  return ranges;
}

/** A window's list rows, in the order of `uids`, read under the open folder's `uidValidity`. */
async function fetchRows(
  client: ImapFlow,
  folder: string,
  uidValidity: string,
  uids: readonly number[],
): Promise<SearchRow[]> {
  if (uids.length === 0) return [];
  const rows = await client.fetchAll(uids.join(","), SUMMARY_FETCH_QUERY, { uid: true });
  const byUid = new Map(rows.map((r) => [r.uid, r]));
  return uids.flatMap((uid) => {
    const r = byUid.get(uid);
    return r ? [{ ...toSummary(r), folder, uidValidity }] : [];
  });
}

const rangeText = (r: UidRange): string => `${r.low}:${r.high ?? "*"}`;

/** The matches in one UID range of the open folder (all of it for null), newest first; with
 * dates when results of several folders are merged. */
async function searchPart(
  client: ImapFlow,
  plan: ImapSearchPlan,
  dated: boolean,
  range: UidRange | null,
): Promise<Found> {
  // has:attachment and -has:attachment side by side: nothing to ask the server.
  if (plan.attachment === "none") return { uids: [], dates: [] };
  let uids = plan.fuzzy ? await fuzzySearch(client, plan, range) : await plainSearch(client, plan, range);
  // UIDs grow with arrival (RFC 9051 §2.3.1.1): descending UID is the list's newest-first order.
  uids.sort((a, b) => b - a);
  if (plan.attachment !== null && uids.length > 0) {
    // IMAP has no attachment search key: the server's approximation (multipart/mixed) is
    // refined with the structure the list's paperclip is drawn from.
    const want = plan.attachment === "require";
    const keep = new Set<number>();
    for (const chunk of chunks(uids)) {
      const rows = await client.fetchAll(chunk.join(","), { uid: true, bodyStructure: true }, { uid: true });
      for (const r of rows) if (hasAttachment(r.bodyStructure) === want) keep.add(r.uid);
    }
    uids = uids.filter((u) => keep.has(u));
  }
  if (!dated || uids.length === 0) return { uids, dates: [] };
  const dates = await internalDates(client, uids);
  return { uids, dates: uids.map((u) => dates.get(u) ?? 0) };
}

/**
 * The INTERNALDATE (epoch ms) of each UID of the open folder, from a bare UID FETCH whose
 * answers are read as imapflow parses them. imapflow's fetch() hands each message out through
 * an async generator that waits for its consumer before the next one is parsed, and shapes
 * every answer into a message object: for a search's thousands of matches that cost several
 * times the server's own time (8,417 dates: ~140 ms against ~60 ms read this way).
 */
async function internalDates(client: ImapFlow, uids: readonly number[]): Promise<Map<number, number>> {
  const dates = new Map<number, number>();
  const items = [
    { type: "ATOM", value: "UID" },
    { type: "ATOM", value: "INTERNALDATE" },
  ];
  for (const chunk of chunks(uids))
    await execRaw(client, "UID FETCH", [{ type: "SEQUENCE", value: uidSet(chunk) }, items], {
      // "* 12 FETCH (UID 40 INTERNALDATE "17-Jul-1996 02:44:25 -0700")": key and value pairs.
      FETCH: (untagged: { attributes?: unknown[] }) => {
        const pairs = untagged.attributes?.[1];
        if (Array.isArray(pairs)) {
          let uid = 0;
          let date = 0;
          for (let i = 0; i + 1 < pairs.length; i += 2) {
            const key = String((pairs[i] as { value?: unknown }).value).toUpperCase();
            const value = (pairs[i + 1] as { value?: unknown }).value;
            if (key === "UID") uid = Number(value);
            else if (key === "INTERNALDATE")
              date = internalTime(typeof value === "string" ? value : undefined);
          }
          // Another client's flag change announced meanwhile carries no date: not an answer.
          if (Number.isInteger(uid) && uid > 0 && date > 0) dates.set(uid, date);
        }
        return Promise.resolve();
      },
    });
  return dates;
}

async function plainSearch(
  client: ImapFlow,
  plan: ImapSearchPlan,
  range: UidRange | null,
): Promise<number[]> {
  const criteria = plan.searchObject as SearchObject;
  const result = await client.search(range ? { uid: rangeText(range), ...criteria } : criteria, {
    uid: true,
  });
  if (!Array.isArray(result)) throw new MailError("SERVER_REFUSED", "The server refused the search");
  return [...result];
}

/**
 * SEARCH=FUZZY (RFC 6203): FUZZY prefixes a search key; the whole criteria are sent as one
 * parenthesised key. imapflow's search object has no place for it, so the command is sent
 * here, with imapflow's own compiler for the criteria.
 */
async function fuzzySearch(
  client: ImapFlow,
  plan: ImapSearchPlan,
  range: UidRange | null,
): Promise<number[]> {
  const attributes = searchCompiler(client, plan.searchObject as SearchObject) as unknown[];
  const charset: unknown[] = [];
  const first = attributes[0] as { value?: string } | undefined;
  if (first?.value === "CHARSET") charset.push(...attributes.splice(0, 2));
  // The part's UID range stays outside FUZZY: it is not text to match approximately.
  const part = range
    ? [
        { type: "ATOM", value: "UID" },
        { type: "SEQUENCE", value: rangeText(range) },
      ]
    : [];
  const uids: number[] = [];
  await execRaw(client, "UID SEARCH", [...charset, ...part, { type: "ATOM", value: "FUZZY" }, attributes], {
    SEARCH: (untagged: { attributes?: Array<{ value?: string }>; numbers?: number[] }) => {
      const values = untagged.numbers ?? (untagged.attributes ?? []).map((a) => Number(a.value));
      for (const n of values) if (Number.isInteger(n) && n > 0) uids.push(n);
      return Promise.resolve();
    },
  });
  return uids;
}

function chunks(uids: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < uids.length; i += FETCH_CHUNK) out.push(uids.slice(i, i + FETCH_CHUNK));
  return out;
}

function internalTime(value: Date | string | undefined): number {
  if (!value) return 0;
  const time = (value instanceof Date ? value : new Date(value)).getTime();
  return Number.isNaN(time) ? 0 : time;
}
