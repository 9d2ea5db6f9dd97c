import type { FetchMessageObject, ImapFlow, SearchObject } from "imapflow";
import { searchCompiler } from "imapflow/lib/search-compiler.js";
import { MailError } from "@pismo/protocol/errors";
import type { Folder, ImapSearchEvent, ImapSearchRequest, SearchRow } from "@pismo/protocol/schemas";
import { compileImapSearch, fold, parseSearchQuery } from "@pismo/protocol/search";
import type { ImapSearchPlan, SearchNode, SearchQuery } from "@pismo/protocol/search";
import type { ImapContext } from "./connection";
import { execRaw } from "./raw-command";
import { SUMMARY_FETCH_QUERY, hasAttachment, toSummary } from "./to-domain";

/** UIDs per FETCH when refining or dating a large result: keeps each command line short. */
const FETCH_CHUNK = 5000;

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
    private readonly folderList: () => Promise<Folder[]>,
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
    const plan = serverPlan(parsed.query, fuzzy);
    const folders = input.folders ?? (await this.scopeFolders(plan, input.currentFolder));
    const dated = input.folders === undefined ? folders.length > 1 : plan.scope.kind === "all";
    yield { type: "plan", folders, fuzzy };

    let searched = 0;
    let last: string | null = null;
    try {
      for (const folder of folders) {
        if (signal.aborted) return;
        last = folder;
        try {
          const found = await this.ctx.inFolder(
            folder,
            (c, mailbox) =>
              mailbox.exists === 0 ? Promise.resolve({ uids: [], dates: [] }) : searchFolder(c, plan, dated),
            { returnToWatched: false },
          );
          searched += 1;
          yield { type: "folder", folder, ...found, searched };
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
   * (the open folder first, so its results come first). */
  private async scopeFolders(plan: ImapSearchPlan, current: string): Promise<string[]> {
    if (plan.scope.kind === "current") return [current];
    const all = (await this.folderList()).filter((f) => f.selectable);
    if (plan.scope.kind === "all") {
      const paths = all.map((f) => f.path);
      return paths.includes(current) ? [current, ...paths.filter((p) => p !== current)] : paths;
    }
    const name = plan.scope.folder;
    const wanted = fold(name);
    const match =
      all.find((f) => f.path === name) ??
      all.find((f) => fold(f.path) === wanted) ??
      all.find((f) => fold(f.name) === wanted) ??
      (wanted === "inbox" ? all.find((f) => f.specialUse === "inbox") : undefined);
    if (!match) throw new MailError("NOT_FOUND", `There is no folder called "${name}"`);
    return [match.path];
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
          (client) => {
            last = { folder, client };
            return client.fetchAll(uids.join(","), SUMMARY_FETCH_QUERY, { uid: true });
          },
          { returnToWatched: false },
        );
        for (const r of rows) found.set(`${folder}\u0000${r.uid}`, { ...toSummary(r), folder });
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
function serverPlan(query: SearchQuery, fuzzy: boolean): ImapSearchPlan {
  const full = compileImapSearch(query, { fuzzy });
  if (full.attachment === null || query.root === null) return full;
  const isAttachment = (n: SearchNode) =>
    n.kind === "hasAttachment" || (n.kind === "not" && n.node.kind === "hasAttachment");
  const rest = query.root.kind === "and" ? query.root.nodes.filter((n) => !isAttachment(n)) : [];
  const root: SearchNode | null =
    rest.length === 0 ? null : rest.length === 1 ? (rest[0] ?? null) : { kind: "and", nodes: rest };
  return { ...compileImapSearch({ ...query, root }, { fuzzy }), attachment: full.attachment };
}

/** One folder's matches, newest first; with dates when results of several folders are merged. */
async function searchFolder(
  client: ImapFlow,
  plan: ImapSearchPlan,
  dated: boolean,
): Promise<{ uids: number[]; dates: number[] }> {
  let uids = plan.fuzzy ? await fuzzySearch(client, plan) : await plainSearch(client, plan);
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
  const dates = new Map<number, number>();
  for (const chunk of chunks(uids)) {
    const rows: FetchMessageObject[] = await client.fetchAll(
      chunk.join(","),
      { uid: true, internalDate: true },
      { uid: true },
    );
    for (const r of rows) dates.set(r.uid, internalTime(r.internalDate));
  }
  return { uids, dates: uids.map((u) => dates.get(u) ?? 0) };
}

async function plainSearch(client: ImapFlow, plan: ImapSearchPlan): Promise<number[]> {
  const result = await client.search(plan.searchObject as SearchObject, { uid: true });
  if (!Array.isArray(result)) throw new MailError("SERVER_REFUSED", "The server refused the search");
  return [...result];
}

/**
 * SEARCH=FUZZY (RFC 6203): FUZZY prefixes a search key; the whole criteria are sent as one
 * parenthesised key. imapflow's search object has no place for it, so the command is sent
 * here, with imapflow's own compiler for the criteria.
 */
async function fuzzySearch(client: ImapFlow, plan: ImapSearchPlan): Promise<number[]> {
  const attributes = searchCompiler(client, plan.searchObject as SearchObject) as unknown[];
  const charset: unknown[] = [];
  const first = attributes[0] as { value?: string } | undefined;
  if (first?.value === "CHARSET") charset.push(...attributes.splice(0, 2));
  const uids: number[] = [];
  await execRaw(client, "UID SEARCH", [...charset, { type: "ATOM", value: "FUZZY" }, attributes], {
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
