import type { FetchMessageObject, ImapFlow, MailboxObject } from "imapflow";
import type {
  Conversation,
  ConversationMessage,
  ConversationWindow,
  SpecialUse,
} from "@pismo/protocol/schemas";
import {
  normalizeMessageId,
  parseMessageIdList,
  summarizeConversation,
  threadEnvelopes,
  threadsFromAttributes,
  type MessageMeta,
  type Thread,
  type ThreadEnvelope,
} from "@pismo/protocol/threads";
import type { ImapContext } from "./connection";
import { execRaw } from "./raw-command";
import { dateOf, toFolder, toSummary } from "./to-domain";

/** Without THREAD the gateway threads the folder itself, from every envelope: up to this size. */
export const LOCAL_THREADING_LIMIT = 50_000;
/** The newest messages of Sent and Drafts looked at for the user's own replies. */
export const OWN_FOLDER_WINDOW = 5_000;
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

/** UIDs as a sequence set with ranges (RFC 9051 sequence-set), to keep commands short. */
function uidSet(uids: readonly number[]): string {
  const sorted = [...uids].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    parts.push(j > i ? `${sorted[i]}:${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return parts.join(",");
}

const WINDOW_FETCH_QUERY = {
  uid: true,
  flags: true,
  envelope: true,
  size: true,
  bodyStructure: true,
  internalDate: true,
} as const;

const OWN_FETCH_QUERY = { ...WINDOW_FETCH_QUERY, headers: ["references"] };

/** A folder's threads as UIDs, newest arrival first, valid while the folder has not changed. */
interface FolderThreads {
  key: string;
  threading: ConversationWindow["threading"];
  threads: Thread<number>[];
}

/** A message of Sent or Drafts, with what links it to the conversations it answers. */
interface OwnMessage {
  folder: string;
  summary: ReturnType<typeof toSummary>;
  messageId: string | null;
  /** In-Reply-To and References, normalized. */
  refs: string[];
  inReplyTo: string | null;
  references: string[];
}

interface OwnIndex {
  key: string;
  /** Message-ID referenced → the own messages that reference it. */
  byRef: Map<string, OwnMessage[]>;
}

/** The newest arrival (the largest UID) first: what "newest conversation" means without dates. */
function sortNewestFirst(threads: Thread<number>[]): Thread<number>[] {
  const newest = new Map<Thread<number>, number>();
  for (const t of threads) {
    let max = 0;
    for (const uid of t.messageIds) if (uid > max) max = uid;
    newest.set(t, max);
  }
  return threads.sort((a, b) => (newest.get(b) ?? 0) - (newest.get(a) ?? 0));
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
 * The user's own replies join from Sent and Drafts: their newest messages' Message-ID,
 * In-Reply-To and References are fetched once and kept until that folder changes (its STATUS
 * says so), and a Sent message joins the conversations whose Message-IDs it references. Trash
 * and Junk never add messages, so deleting or junking never pulls a conversation back.
 */
export class ConversationList {
  private readonly ownIndexes = new Map<string, OwnIndex>();

  constructor(
    private readonly ctx: ImapContext,
    private readonly me: readonly string[],
    /** False threads in the gateway even when the server could (tests compare both). */
    private readonly useServerThread = true,
    /** Names the account and server, so sessions of the same account share threads. */
    private readonly account = `${me.join(",")}:${String(Math.random())}`,
  ) {}

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
    this.ownIndexes.delete(folder);
  }

  async window(input: { folder: string; offset: number; limit: number }): Promise<ConversationWindow> {
    const { folder, offset, limit } = input;
    const own = await this.ownMessages(folder);
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
      const uids = slice.flatMap((t) =>
        [...t.messageIds].sort((a, b) => b - a).slice(0, MESSAGES_PER_CONVERSATION),
      );
      const fetched: FetchMessageObject[] = [];
      for (let i = 0; i < uids.length; i += UIDS_PER_FETCH)
        fetched.push(
          ...(await client.fetchAll(uidSet(uids.slice(i, i + UIDS_PER_FETCH)), WINDOW_FETCH_QUERY, {
            uid: true,
          })),
        );
      const byUid = new Map<number, FetchMessageObject>(fetched.map((r) => [r.uid, r]));
      const rows: Conversation[] = [];
      for (const thread of slice) {
        const row = this.row(folder, thread, byUid, own);
        if (row) rows.push(row);
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

  /** The user's own messages of Sent and Drafts (not the viewed folder), indexed by what they reference. */
  private async ownMessages(viewed: string): Promise<Map<string, OwnMessage[]>> {
    const merged = new Map<string, OwnMessage[]>();
    // One LIST for both (RFC 6154 special-use), not one per folder.
    const folders = await this.ctx
      .onClient((client) => client.list())
      .then((list) => list.map(toFolder))
      .catch(() => []);
    const own: readonly SpecialUse[] = ["sent", "drafts"];
    for (const use of own) {
      const path = folders.find((f) => f.specialUse === use)?.path;
      if (!path || path === viewed) continue;
      const index = await this.ownIndex(path).catch((error: unknown) => {
        // A Sent folder that cannot be read leaves the conversations without the user's replies,
        // not the list empty.
        this.ctx.log.debug("imap.own_folder_unreadable", { folder: path, error });
        return null;
      });
      if (!index) continue;
      for (const [ref, list] of index.byRef) merged.set(ref, [...(merged.get(ref) ?? []), ...list]);
    }
    return merged;
  }

  private async ownIndex(path: string): Promise<OwnIndex> {
    const status = await this.ctx.must(`read the status of ${path}`, () =>
      this.ctx.onClient((client) =>
        client.status(path, { messages: true, uidNext: true, uidValidity: true, highestModseq: true }),
      ),
    );
    const key = `${String(status.uidValidity)}:${status.messages}:${String(status.uidNext)}:${String(status.highestModseq ?? "")}`;
    const cached = this.ownIndexes.get(path);
    if (cached?.key === key) return cached;
    const byRef = new Map<string, OwnMessage[]>();
    if ((status.messages ?? 0) > 0) {
      await this.ctx.inFolder(path, async (client, mailbox) => {
        const lo = Math.max(1, mailbox.exists - OWN_FOLDER_WINDOW + 1);
        const rows = await client.fetchAll(`${lo}:*`, OWN_FETCH_QUERY);
        for (const r of rows) {
          const inReplyTo = normalizeMessageId(r.envelope?.inReplyTo ?? null);
          const references = parseMessageIdList(headerValue(r.headers, "references"));
          const refs = [...new Set([...(inReplyTo ? [inReplyTo] : []), ...references])];
          if (refs.length === 0) continue;
          const message: OwnMessage = {
            folder: path,
            summary: toSummary(r),
            messageId: normalizeMessageId(r.envelope?.messageId ?? null),
            refs,
            inReplyTo,
            references,
          };
          for (const ref of refs) byRef.set(ref, [...(byRef.get(ref) ?? []), message]);
        }
      });
    }
    const index = { key, byRef };
    this.ownIndexes.set(path, index);
    return index;
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

    // The user's replies, and replies to those, until nothing more joins.
    const pending = [...ids];
    while (pending.length > 0) {
      const ref = pending.pop() as string;
      for (const m of own.get(ref) ?? []) {
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
      folderUids: messages.filter((m) => m.folder === folder).map((m) => m.uid),
      date: dateOf(new Date(summary.date)),
      participants: summary.participants.map((p) => ({ ...p })),
      // A very long thread's oldest messages are not fetched; they still count.
      count: summary.count + Math.max(0, thread.messageIds.length - MESSAGES_PER_CONVERSATION),
      unread: summary.unread,
      flagged: summary.flagged,
      hasAttachment: summary.hasAttachment,
      size: summary.size,
    };
  }
}

/**
 * `UID THREAD REFS UTF-8 ALL` where offered (Dovecot's: references only, no joining of
 * unrelated messages by subject, and twice as fast as REFERENCES on 100,000 messages), else
 * `UID THREAD REFERENCES`; read with the protocol's parser.
 */
async function serverThreads(client: ImapFlow): Promise<Thread<number>[]> {
  const algorithm = client.capabilities.has("THREAD=REFS") ? "REFS" : "REFERENCES";
  let threads: Thread<number>[] = [];
  let problem: string | null = null;
  await execRaw(
    client,
    "UID THREAD",
    [
      { type: "ATOM", value: algorithm },
      { type: "ATOM", value: "UTF-8" },
      { type: "ATOM", value: "ALL" },
    ],
    {
      THREAD: (untagged: { attributes?: unknown }) => {
        const parsed = threadsFromAttributes(untagged.attributes);
        if (parsed.ok) threads = parsed.threads;
        else problem = parsed.error.message;
        return Promise.resolve();
      },
    },
  );
  if (problem !== null) throw new Error(problem);
  return threads;
}

/** JWZ over every envelope of the folder (one FETCH of ENVELOPE and the References header). */
async function localThreads(client: ImapFlow): Promise<Thread<number>[]> {
  const rows = await client.fetchAll("1:*", {
    uid: true,
    envelope: true,
    internalDate: true,
    headers: ["references"],
  });
  const envelopes: ThreadEnvelope[] = rows.map((r) => {
    const date = dateOf(r.envelope?.date) ?? dateOf(r.internalDate);
    return {
      id: String(r.uid),
      messageId: r.envelope?.messageId ?? null,
      inReplyTo: r.envelope?.inReplyTo ?? null,
      references: parseMessageIdList(headerValue(r.headers, "references")),
      subject: r.envelope?.subject ?? "",
      date: date ? Date.parse(date) : 0,
    };
  });
  return threadEnvelopes(envelopes).map((t) => ({
    rootKey: t.rootKey,
    messageIds: t.messageIds.map(Number),
    depths: t.depths,
  }));
}

/** One header's unfolded value from the raw header block imapflow returns for `headers: [...]`. */
function headerValue(block: Buffer | undefined, name: string): string | null {
  if (!block) return null;
  const text = block.toString("latin1").replace(/\r?\n[ \t]+/gu, " ");
  const prefix = `${name.toLowerCase()}:`;
  for (const line of text.split(/\r?\n/u))
    if (line.toLowerCase().startsWith(prefix)) return line.slice(prefix.length).trim();
  return null;
}
