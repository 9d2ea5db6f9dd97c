import {
  listConversations,
  threadEnvelopes,
  type ConversationSummary,
  type MessageMeta,
} from "@pismo/protocol/threads";
import { DRAFTS, SENT, TRASH, type StoredMessage } from "../pop3/pop3-database";

export interface Pop3Conversation extends ConversationSummary {
  /** The rows of `messageIds`, in the same order. */
  readonly rows: readonly StoredMessage[];
  readonly subject: string;
}

/**
 * A POP3 folder as conversations, over this browser's whole store: JWZ over every kept
 * message's headers, so the user's locally Sent replies join the conversations they answer.
 * Trash never adds messages to another folder's conversation (drafts have no headers yet).
 * The list is newest first by the newest message of each conversation.
 */
export function pop3Conversations(
  all: readonly StoredMessage[],
  folder: string,
  me: string,
): Pop3Conversation[] {
  const shown = all.filter((m) => !m.deletedLocally && m.folderId !== DRAFTS);
  // A message of the user's that came back (a mailing list's copy) is the same message as its
  // Sent copy: one of the two steps aside, the Sent copy in other folders' views, the copy that
  // came back in Sent's. Only a copy from the user, and not one in Trash: a stranger's message
  // claiming that Message-ID does not hide the user's own, nor does a deleted one.
  const sentIds = new Set(shown.flatMap((m) => (m.folderId === SENT && m.messageId ? [m.messageId] : [])));
  const twice = new Set(
    shown.flatMap((m) =>
      m.folderId !== SENT &&
      m.folderId !== TRASH &&
      m.messageId &&
      sentIds.has(m.messageId) &&
      m.fromAddress.toLowerCase() === me.toLowerCase()
        ? [m.messageId]
        : [],
    ),
  );
  const rows = shown.filter(
    (m) =>
      !m.messageId ||
      !twice.has(m.messageId) ||
      (folder === SENT ? m.folderId === SENT : m.folderId !== SENT),
  );
  const byUid = new Map(rows.map((m) => [m.uid, m]));
  const threads = threadEnvelopes(
    rows.map((m) => ({
      id: m.uid,
      messageId: m.messageId ?? null,
      inReplyTo: m.inReplyTo ?? null,
      references: m.references ?? [],
      subject: m.subject,
      date: m.sortKey,
      arrival: m.storedAt,
    })),
  );
  const lookup = (uid: string): MessageMeta | undefined => {
    const m = byUid.get(uid);
    if (!m) return undefined;
    return {
      id: m.uid,
      folder: m.folderId,
      date: m.sortKey,
      seen: m.seen,
      flagged: m.flagged,
      // A sent copy's row names its recipients; its sender is the user.
      from: m.folderId === SENT ? { name: "", address: me } : { name: m.from, address: m.fromAddress },
      hasAttachment: m.hasAttachment,
      size: m.size,
    };
  };
  const { rows: summaries } = listConversations(threads, lookup, {
    folder,
    excludedFolders: new Set([TRASH]),
    me: [me],
  });
  return summaries.map((s) => {
    const list = s.messageIds.map((uid) => byUid.get(uid) as StoredMessage);
    const first = list.find((m) => m.folderId === folder) ?? list[0];
    return { ...s, rows: list, subject: first?.subject ?? "" };
  });
}
