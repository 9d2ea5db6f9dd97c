import type { Thread } from "./jwz";

/**
 * Conversation rows for a folder view, from threads (JWZ's, or the server's THREAD mapped to
 * ids) and what the list already knows of each message.
 *
 * A conversation is listed in a folder when at least one of its messages is in that folder;
 * it then shows all its messages from every folder (the user's own replies in Sent and
 * Drafts), except Trash and Junk: a deleted or junked message must not pull a conversation
 * back into the Inbox, nor count there. The viewed folder itself is never excluded, so Trash
 * still lists its own messages as conversations.
 *
 * Windowing: `orderConversations` touches each message once (a map lookup) and sorts the
 * conversations, without building rows; `summarizeConversation` builds the rows of one window.
 * Ordering 100,000 messages is a few milliseconds of lookups plus one sort, so after a live
 * change the caller simply orders again; the costly part, threading, is incremental in
 * `ThreadIndex`.
 */

export interface MessageMeta {
  readonly id: string;
  readonly folder: string;
  /** ms since the epoch */
  readonly date: number;
  readonly seen: boolean;
  readonly flagged: boolean;
  readonly from: { readonly name: string; readonly address: string } | null;
  readonly hasAttachment: boolean;
  readonly size: number;
}

/** Finds a message's metadata; a message without any is left out of its conversation. */
export type MetaLookup = (id: string) => MessageMeta | undefined;

export interface ConversationView {
  /** The folder being listed. */
  readonly folder: string;
  /** Folders whose messages never join a conversation (Trash, Junk). */
  readonly excludedFolders?: ReadonlySet<string>;
  /**
   * Folder roles (RFC 6154 special-use, as `Folder.specialUse`); "trash" and "junk" folders
   * are excluded as if named in `excludedFolders`.
   */
  readonly folderRoles?: ReadonlyMap<string, string | null>;
  /** The user's own addresses: their messages are marked `me` instead of showing a name. */
  readonly me?: readonly string[];
}

export interface Participant {
  readonly name: string;
  readonly address: string;
  /** The user themself: the UI says "me" in the user's language. */
  readonly me: boolean;
}

export interface ConversationSummary {
  /** The thread's `rootKey`: stable while messages come and go. */
  readonly key: string;
  /** Messages of the conversation in thread order, from every folder that is not excluded. */
  readonly messageIds: readonly string[];
  readonly depths: readonly number[];
  /** Those of `messageIds` in the viewed folder (what "move", "delete", "mark read" act on). */
  readonly folderMessageIds: readonly string[];
  /** The newest message: the row's date, and its subject and preview source. */
  readonly latestId: string;
  readonly date: number;
  /** Distinct senders in the order they first wrote. */
  readonly participants: readonly Participant[];
  readonly count: number;
  readonly unread: number;
  readonly flagged: boolean;
  readonly hasAttachment: boolean;
  /** Bytes, all messages together. */
  readonly size: number;
}

export interface ConversationOrderEntry<Id = string> {
  readonly thread: Thread<Id>;
  /** The newest included message's date. */
  readonly date: number;
}

export interface ConversationWindow {
  /** Conversations listed in the folder. */
  readonly total: number;
  readonly offset: number;
  readonly rows: readonly ConversationSummary[];
}

const excludedRoles = new Set(["trash", "junk"]);

/** The test for "this message belongs in conversations shown in this view". */
function inclusion(view: ConversationView): (meta: MessageMeta) => boolean {
  const excluded = new Set(view.excludedFolders ?? []);
  for (const [folder, role] of view.folderRoles ?? [])
    if (role !== null && excludedRoles.has(role)) excluded.add(folder);
  excluded.delete(view.folder);
  return (meta) => !excluded.has(meta.folder);
}

/**
 * The conversations listed in the view's folder, newest first (ties by key, so the order is
 * stable between calls), without building their rows.
 */
export function orderConversations(
  threads: Iterable<Thread>,
  lookup: MetaLookup,
  view: ConversationView,
): ConversationOrderEntry[] {
  const included = inclusion(view);
  const entries: ConversationOrderEntry[] = [];
  for (const thread of threads) {
    let inFolder = false;
    let date = -Infinity;
    for (const id of thread.messageIds) {
      const meta = lookup(id);
      if (meta === undefined || !included(meta)) continue;
      if (meta.folder === view.folder) inFolder = true;
      if (meta.date > date) date = meta.date;
    }
    if (inFolder) entries.push({ thread, date });
  }
  entries.sort(
    (a, b) =>
      b.date - a.date ||
      (a.thread.rootKey < b.thread.rootKey ? -1 : a.thread.rootKey > b.thread.rootKey ? 1 : 0),
  );
  return entries;
}

/** One conversation's row in the view, or null when none of its messages is in the folder. */
export function summarizeConversation(
  thread: Thread,
  lookup: MetaLookup,
  view: ConversationView,
): ConversationSummary | null {
  const included = inclusion(view);
  const me = new Set((view.me ?? []).map((a) => a.toLowerCase()));
  const messages: Array<{ meta: MessageMeta; depth: number }> = [];
  thread.messageIds.forEach((id, i) => {
    const meta = lookup(id);
    if (meta !== undefined && included(meta)) messages.push({ meta, depth: thread.depths[i] ?? 0 });
  });
  const folderMessageIds = messages.filter((m) => m.meta.folder === view.folder).map((m) => m.meta.id);
  if (folderMessageIds.length === 0) return null;

  let latest = (messages[0] as { meta: MessageMeta }).meta;
  for (const { meta } of messages) if (meta.date >= latest.date) latest = meta;

  // Participants in the order they first wrote: by date, thread order on a tie.
  const chronological = messages.map((m, i) => ({ meta: m.meta, i }));
  chronological.sort((a, b) => a.meta.date - b.meta.date || a.i - b.i);
  const participants = new Map<string, { name: string; address: string; me: boolean }>();
  for (const { meta } of chronological) {
    if (meta.from === null) continue;
    const address = meta.from.address.toLowerCase();
    const known = participants.get(address);
    if (known === undefined)
      participants.set(address, { name: meta.from.name, address: meta.from.address, me: me.has(address) });
    else if (known.name === "" && meta.from.name !== "") known.name = meta.from.name;
  }

  return {
    key: thread.rootKey,
    messageIds: messages.map((m) => m.meta.id),
    depths: messages.map((m) => m.depth),
    folderMessageIds,
    latestId: latest.id,
    date: latest.date,
    participants: [...participants.values()],
    count: messages.length,
    unread: messages.reduce((n, m) => n + (m.meta.seen ? 0 : 1), 0),
    flagged: messages.some((m) => m.meta.flagged),
    hasAttachment: messages.some((m) => m.meta.hasAttachment),
    size: messages.reduce((n, m) => n + m.meta.size, 0),
  };
}

/** One window of the folder's conversation list: order all, build rows for the window only. */
export function listConversations(
  threads: Iterable<Thread>,
  lookup: MetaLookup,
  view: ConversationView,
  window: { readonly offset: number; readonly limit: number } = { offset: 0, limit: Infinity },
): ConversationWindow {
  const order = orderConversations(threads, lookup, view);
  const rows: ConversationSummary[] = [];
  for (const entry of order.slice(window.offset, window.offset + window.limit)) {
    const row = summarizeConversation(entry.thread, lookup, view);
    if (row !== null) rows.push(row);
  }
  return { total: order.length, offset: window.offset, rows };
}
