import type { FetchMessageObject, ImapFlow, MailboxObject } from "imapflow";
import { MailError } from "@pismo/protocol/errors";
import type { ListSort, ListWindow, UidRanges } from "@pismo/protocol/schemas";
import { MAX_SELECTION, uidRanges } from "@pismo/protocol/selection";
import type { ImapContext } from "./context";
import { execRaw } from "./raw-command";
import type { ShownParts } from "./shown-parts";
import { SUMMARY_FETCH_QUERY, dateOf, toSummary } from "./to-domain";

/**
 * The message list: only the window the user sees is fetched, whatever the folder's size.
 * Sorted orders other than arrival come from the server's SORT, kept until the folder changes.
 */
export class MessageList {
  private readonly sortCache = new Map<string, { key: string; uids: number[] }>();

  constructor(
    private readonly ctx: ImapContext,
    private readonly shownParts?: ShownParts,
  ) {}

  /** The server told of new or removed messages in `folder`: its cached order is stale. */
  forget(folder: string): void {
    this.sortCache.delete(folder);
  }

  /**
   * Every message of the folder ("Select all N in the folder"), as UID ranges: one SEARCH,
   * asked only when the user selects the whole folder. At most MAX_SELECTION, the newest.
   */
  async uids(folder: string): Promise<UidRanges> {
    return this.ctx.inFolder(folder, async (client) => {
      const found = await client.search({ all: true }, { uid: true });
      if (!Array.isArray(found)) throw new MailError("SERVER_REFUSED", `The server did not list ${folder}`);
      return uidRanges([...found].sort((a, b) => a - b).slice(-MAX_SELECTION));
    });
  }

  async window(input: {
    folder: string;
    offset: number;
    limit: number;
    sort: ListSort;
  }): Promise<ListWindow> {
    const { folder, offset, limit, sort } = input;
    try {
      return await this.fetchWindow(folder, offset, limit, sort);
    } finally {
      this.ctx.firstWindowDone();
    }
  }

  private fetchWindow(folder: string, offset: number, limit: number, sort: ListSort): Promise<ListWindow> {
    return this.ctx.inFolder(folder, async (client, mailbox) => {
      // No NOOP first: a change the server has not told yet arrives by IDLE within half a
      // second and refreshes this window, so polling here would only cost a command. But when
      // it arrives with the FETCH itself (ending IDLE for it delivers what Dovecot held back),
      // the window was cut from the count before: it is read once more, so that the answer is
      // the folder as the server last told it, not as an event the page may never get says.
      const window = await this.windowOf(client, mailbox, folder, offset, limit, sort);
      if (mailbox.exists === window.total) return window;
      return this.windowOf(client, mailbox, folder, offset, limit, sort);
    });
  }

  private async windowOf(
    client: ImapFlow,
    mailbox: MailboxObject,
    folder: string,
    offset: number,
    limit: number,
    sort: ListSort,
  ): Promise<ListWindow> {
    const total = mailbox.exists;
    const base = { folder, total, offset, uidValidity: String(mailbox.uidValidity) };
    if (total === 0 || offset >= total) return { ...base, messages: [] };

    if (sort === "arrival") {
      // Sequence numbers follow arrival (RFC 9051 §2.3.1.2): the newest window is a plain
      // range, so one FETCH and nothing proportional to the folder's size.
      const hi = total - offset;
      const lo = Math.max(1, hi - limit + 1);
      const rows = await client.fetchAll(`${lo}:${hi}`, SUMMARY_FETCH_QUERY);
      rows.sort((a, b) => b.seq - a.seq);
      this.shownParts?.remember(folder, rows);
      return { ...base, messages: rows.map(toSummary) };
    }

    const uids = await this.sortedUids(client, folder, mailbox, sort);
    const slice = uids.slice(offset, offset + limit);
    if (slice.length === 0) return { ...base, messages: [] };
    const rows = await client.fetchAll(slice.join(","), SUMMARY_FETCH_QUERY, { uid: true });
    this.shownParts?.remember(folder, rows);
    const byUid = new Map<number, FetchMessageObject>(rows.map((r) => [r.uid, r]));
    return {
      ...base,
      messages: slice.flatMap((uid) => {
        const r = byUid.get(uid);
        return r ? [toSummary(r)] : [];
      }),
    };
  }

  /** Server-side SORT (RFC 5256), cached until the folder changes. Sorting by date or size
   * needs the whole order once; paging through it then costs one FETCH per window. */
  private async sortedUids(
    client: ImapFlow,
    folder: string,
    mailbox: MailboxObject,
    sort: ListSort,
  ): Promise<number[]> {
    const key = `${sort}:${String(mailbox.uidValidity)}:${mailbox.exists}:${String(mailbox.uidNext)}:${String(mailbox.highestModseq ?? "")}`;
    const cached = this.sortCache.get(folder);
    if (cached?.key === key) return cached.uids;
    const criterion = sort === "size" ? "SIZE" : "DATE";
    let uids: number[] = [];
    if (client.capabilities.has("SORT")) {
      await execRaw(
        client,
        "UID SORT",
        [
          [
            { type: "ATOM", value: "REVERSE" },
            { type: "ATOM", value: criterion },
          ],
          { type: "ATOM", value: "UTF-8" },
          { type: "ATOM", value: "ALL" },
        ],
        {
          SORT: (untagged: { attributes?: Array<{ value?: string }> }) => {
            uids = (untagged.attributes ?? [])
              .map((a) => Number(a.value))
              .filter((n) => Number.isInteger(n) && n > 0);
            return Promise.resolve();
          },
        },
      );
    } else {
      // Without SORT, fetch the one attribute and sort here.
      const rows = await client.fetchAll("1:*", { uid: true, size: true, internalDate: true });
      rows.sort((a, b) =>
        sort === "size"
          ? (b.size ?? 0) - (a.size ?? 0)
          : (dateOf(b.internalDate) ?? "").localeCompare(dateOf(a.internalDate) ?? ""),
      );
      uids = rows.map((r) => r.uid);
    }
    this.sortCache.set(folder, { key, uids });
    return uids;
  }
}
