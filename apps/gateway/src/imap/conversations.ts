import type { FetchMessageObject, ImapFlow, MailboxObject } from "imapflow";
import type { Conversation, ConversationMessage, ConversationWindow } from "@pismo/protocol/schemas";
import {
  normalizeMessageId,
  summarizeConversation,
  threadEnvelopes,
  type MessageMeta,
  type Thread,
  type ThreadEnvelope,
} from "@pismo/protocol/threads";
import type { ImapContext } from "./context";
import { localThreads, serverThreads, sortNewestFirst } from "./folder-threads";
import { OwnReplies, type OwnMessage } from "./own-replies";
import { SUMMARY_FETCH_QUERY, dateOf, toSummary } from "./to-domain";
import { uidSet } from "./uid-set";

/** Without THREAD the gateway threads the folder itself, from every envelope: up to this size. */
export const LOCAL_THREADING_LIMIT = 50_000;
/** A conversation's messages fetched for its row: the newest ones of a very long thread. */
export const MESSAGES_PER_CONVERSATION = 100;
/** UIDs in one FETCH command: servers limit a command's length (Dovecot: "Too long argument"). */
const UIDS_PER_FETCH = 1_000;
/** Folders whose threads are kept, across this gateway's sessions. */
const SHARED_FOLDERS = 64;

/**
 * Threads kept per account and folder for every session of this gateway: the same state of a
 * folder (UIDVALIDITY, EXISTS, UIDNEXT) threads the same, and THREAD over a large folder is
 * the one costly step (about a second per 100,000 messages on Dovecot), so a second sign-in or
 * browser does not pay it again. Oldest entry out first.
 */
const sharedThreads = new Map<string, FolderThreads>();

/** A folder's threads as UIDs, newest arrival first, valid while the folder has not changed. */
interface FolderThreads {
  key: string;
  threading: ConversationWindow["threading"];
  threads: Thread<number>[];
}

/**
 * The conversation list of a folder, windowed like the message list.
 *
 * Threads come from the server's `UID THREAD REFERENCES` (RFC 5256; imapflow has no method for
 * it, so it goes out raw as SORT does) when advertised, else from JWZ over the folder's
 * envelopes fetched once. Either way only the UIDs' structure is kept, per folder, until the
 * folder changes; conversations are ordered by their newest arrival (largest UID), so no date
 * of any message outside the window is needed. Each window then costs one FETCH of the
 * window's messages.
 *
 * The user's own replies join from Sent and Drafts (`OwnReplies`): a Sent message joins the
 * conversations whose Message-IDs it references. Trash and Junk never add messages, so
 * deleting or junking never pulls a conversation back.
 */
export class ConversationList {
  private readonly own: OwnReplies;

  constructor(
    private readonly ctx: ImapContext,
    private readonly me: readonly string[],
    /** False threads in the gateway even when the server could (tests compare both). */
    private readonly useServerThread = true,
    /** Names the account and server, so sessions of the same account share threads. */
    private readonly account = `${me.join(",")}:${String(Math.random())}`,
  ) {
    this.own = new OwnReplies(ctx);
  }

  private sharedKey(folder: string): string {
    return `${this.account}\n${this.useServerThread ? "server" : "gateway"}\n${folder}`;
  }

  /** Folders this session was told changed: threaded again at their next window. */
  private readonly changed = new Set<string>();

  /**
   * The server told of new or removed messages in `folder`. Only this session threads again:
   * imapflow also reports the count it learns when any session selects the folder, and another
   * session's cache is checked against the folder's state (UIDVALIDITY, EXISTS, UIDNEXT) anyway.
   */
  forget(folder: string): void {
    this.changed.add(folder);
    this.own.forget(folder);
  }

  async window(input: { folder: string; offset: number; limit: number }): Promise<ConversationWindow> {
    const { folder, offset, limit } = input;
    const own = await this.own.byReference(folder);
    return this.ctx.inFolder(folder, async (client, mailbox) => {
      const structure = await this.threadsOf(client, folder, mailbox);
      const base = {
        folder,
        total: structure.threads.length,
        offset,
        uidValidity: String(mailbox.uidValidity),
        threading: structure.threading,
      };
      const slice = structure.threads.slice(offset, offset + limit);
      if (slice.length === 0) return { ...base, rows: [] };
      const uids = slice.flatMap(shownUids);
      // A very long thread's other messages are not fetched, but its row counts their unread
      // and its actions reach them: their flags alone, in one FETCH.
      const rest = slice.flatMap((t) => {
        const shown = new Set(shownUids(t));
        return t.messageIds.filter((uid) => !shown.has(uid));
      });
      const unseenRest = new Set<number>();
      for (let i = 0; i < rest.length; i += UIDS_PER_FETCH)
        for (const r of await client.fetchAll(
          uidSet(rest.slice(i, i + UIDS_PER_FETCH)),
          { flags: true },
          { uid: true },
        ))
          if (!r.flags?.has("\\Seen")) unseenRest.add(r.uid);
      const fetched: FetchMessageObject[] = [];
      for (let i = 0; i < uids.length; i += UIDS_PER_FETCH)
        fetched.push(
          ...(await client.fetchAll(uidSet(uids.slice(i, i + UIDS_PER_FETCH)), SUMMARY_FETCH_QUERY, {
            uid: true,
          })),
        );
      const byUid = new Map<number, FetchMessageObject>(fetched.map((r) => [r.uid, r]));
      const rows: Conversation[] = [];
      for (const thread of slice) {
        const row = this.row(folder, thread, byUid, own);
        if (!row) continue;
        const unseen = thread.messageIds.filter((uid) => unseenRest.has(uid)).length;
        rows.push(unseen > 0 ? { ...row, unread: row.unread + unseen } : row);
      }
      return { ...base, rows };
    });
  }

  /** The folder's threads: the server's when it threads, else JWZ's; cached until it changes. */
  private async threadsOf(client: ImapFlow, folder: string, mailbox: MailboxObject): Promise<FolderThreads> {
    const key = `${String(mailbox.uidValidity)}:${mailbox.exists}:${String(mailbox.uidNext)}`;
    const shared = this.sharedKey(folder);
    const cached = sharedThreads.get(shared);
    if (cached?.key === key && !this.changed.has(folder)) return cached;
    this.changed.delete(folder);
    let result: FolderThreads;
    if (mailbox.exists === 0) result = { key, threading: "server", threads: [] };
    else if (
      this.useServerThread &&
      (client.capabilities.has("THREAD=REFERENCES") || client.capabilities.has("THREAD=REFS"))
    )
      result = { key, threading: "server", threads: await serverThreads(client) };
    else if (mailbox.exists <= LOCAL_THREADING_LIMIT)
      result = { key, threading: "gateway", threads: await localThreads(client) };
    else {
      // Too large to fetch every envelope on each change: one message a row, still windowed.
      const uids = (await client.search({ all: true }, { uid: true })) || [];
      result = {
        key,
        threading: "none",
        threads: uids.map((uid) => ({ rootKey: String(uid), messageIds: [uid], depths: [0] })),
      };
    }
    sortNewestFirst(result.threads);
    sharedThreads.delete(shared);
    sharedThreads.set(shared, result);
    if (sharedThreads.size > SHARED_FOLDERS)
      sharedThreads.delete(sharedThreads.keys().next().value as string);
    return result;
  }

  /** One conversation's row: its messages here, and the user's own that answer any of them. */
  private row(
    folder: string,
    thread: Thread<number>,
    byUid: ReadonlyMap<number, FetchMessageObject>,
    own: ReadonlyMap<string, OwnMessage[]>,
  ): Conversation | null {
    interface Entry {
      id: string;
      message: Omit<ConversationMessage, "depth">;
      envelope: ThreadEnvelope;
      meta: MessageMeta;
    }
    const entries: Entry[] = [];
    const known = new Set<string>();
    const add = (
      folderOf: string,
      summary: ReturnType<typeof toSummary>,
      envelope: Omit<ThreadEnvelope, "id" | "subject" | "date">,
    ) => {
      const id = `${folderOf}\n${summary.uid}`;
      if (known.has(id)) return;
      known.add(id);
      const date = summary.date ? Date.parse(summary.date) : 0;
      entries.push({
        id,
        message: { folder: folderOf, ...summary },
        envelope: { id, ...envelope, subject: summary.subject, date },
        meta: {
          id,
          folder: folderOf,
          date,
          seen: summary.seen,
          flagged: summary.flagged,
          from: summary.from,
          hasAttachment: summary.hasAttachment,
          size: summary.size,
        },
      });
    };
    const ids = new Set<string>();
    for (const uid of thread.messageIds) {
      const r = byUid.get(uid);
      if (!r) continue;
      const messageId = normalizeMessageId(r.envelope?.messageId ?? null);
      if (messageId) ids.add(messageId);
      add(folder, toSummary(r), {
        messageId,
        inReplyTo: r.envelope?.inReplyTo ?? null,
        references: [],
      });
    }
    if (entries.length === 0) return null;
    // The user's own messages already in this folder (a mailing list sends them back): their
    // Sent copy would be the same message twice. Only when the copy here is from the user: a
    // stranger's message claiming that Message-ID does not hide the user's own.
    const echoed = new Set(
      entries.flatMap((e) => {
        const id = e.envelope.messageId;
        const from = e.meta.from?.address.toLowerCase();
        return id && from && this.me.some((m) => m.toLowerCase() === from) ? [id] : [];
      }),
    );

    // The user's replies, and replies to those, until nothing more joins.
    const pending = [...ids];
    while (pending.length > 0) {
      const ref = pending.pop() as string;
      for (const m of own.get(ref) ?? []) {
        if (m.messageId && echoed.has(m.messageId)) continue;
        const before = known.size;
        add(m.folder, m.summary, {
          messageId: m.messageId,
          inReplyTo: m.inReplyTo,
          references: m.references,
        });
        if (known.size > before && m.messageId && !ids.has(m.messageId)) {
          ids.add(m.messageId);
          pending.push(m.messageId);
        }
      }
    }

    // Thread order and depths over the folder's and the user's messages together. JWZ may
    // split what the server joined (by subject): the pieces follow each other by date.
    const byId = new Map(entries.map((e) => [e.id, e]));
    const pieces = threadEnvelopes(entries.map((e) => e.envelope));
    const messageIds: string[] = [];
    const depths: number[] = [];
    for (const piece of pieces) {
      messageIds.push(...piece.messageIds);
      depths.push(...piece.depths);
    }
    const summary = summarizeConversation(
      { rootKey: thread.rootKey, messageIds, depths },
      (id) => byId.get(id)?.meta,
      { folder, me: this.me },
    );
    if (!summary) return null;
    const messages = summary.messageIds.map((id, i) => ({
      ...(byId.get(id) as Entry).message,
      depth: summary.depths[i] ?? 0,
    }));
    const first = messages.find((m) => m.folder === folder) ?? messages[0];
    return {
      key: summary.key,
      subject: first?.subject ?? "",
      messages,
      // Every message of the folder's thread, shown or not: Delete and Move act on them all.
      folderUids: [...thread.messageIds],
      date: dateOf(new Date(summary.date)),
      participants: summary.participants.map((p) => ({ ...p })),
      // A very long thread's oldest messages are not fetched; they still count.
      count: summary.count + Math.max(0, thread.messageIds.length - shownUids(thread).length),
      unread: summary.unread,
      flagged: summary.flagged,
      hasAttachment: summary.hasAttachment,
      size: summary.size,
    };
  }
}

/**
 * The messages of a thread whose summaries are fetched: all of a short one; of a longer one,
 * its first (the subject the conversation is known by) and the newest after it.
 */
function shownUids(thread: Thread<number>): number[] {
  if (thread.messageIds.length <= MESSAGES_PER_CONVERSATION) return [...thread.messageIds];
  const root = thread.messageIds[0]!;
  const newest = thread.messageIds
    .filter((uid) => uid !== root)
    .sort((a, b) => b - a)
    .slice(0, MESSAGES_PER_CONVERSATION - 1);
  return [root, ...newest];
}
