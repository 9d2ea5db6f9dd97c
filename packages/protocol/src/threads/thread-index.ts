import { normalizeMessageId, threadEnvelopes, threadingReferences } from "./jwz";
import type { Thread, ThreadEnvelope, ThreadOptions } from "./jwz";
import { parseSubject } from "./subject";

/**
 * Threads kept up to date as messages arrive and leave (IDLE, a POP3 pull, a reply sent),
 * without threading the whole mailbox again.
 *
 * A new message can only change the conversations it touches: the one holding a message it
 * references or that references it (by Message-ID, including messages nobody has, which JWZ
 * keeps as dummies), and those whose subject JWZ step 5 could join it to. Those conversations
 * are threaded again with the new message, by the same `threadEnvelopes`, so the result is
 * what threading everything again gives for them; the cost is that of the conversations
 * touched, not of the mailbox. Removing a message threads its own conversation again (it may
 * fall apart into several when the removed message held it together).
 *
 * One difference from threading everything at once remains, by design: subject grouping is
 * decided among the conversations touched, so when several unrelated conversations share a
 * subject, the one a later reply joins may differ from a full run's choice.
 */

export interface ThreadChange {
  /** Keys of conversations that no longer exist (merged into another, or emptied). */
  readonly removed: readonly string[];
  /** Conversations new or changed, whole. */
  readonly updated: readonly Thread[];
}

interface Conversation {
  readonly thread: Thread;
  /** Message-IDs of its messages and of everything they reference. */
  readonly messageIds: readonly string[];
  readonly subjectKey: string;
  /** A later message without a reply prefix can only join it by subject when this holds. */
  readonly joinable: boolean;
}

export class ThreadIndex {
  private readonly envelopes = new Map<string, ThreadEnvelope>();
  private readonly conversations = new Map<string, Conversation>();
  private readonly conversationOf = new Map<string, string>();
  private readonly byMessageId = new Map<string, string>();
  private readonly bySubject = new Map<string, Set<string>>();
  private readonly options: ThreadOptions;

  constructor(envelopes: Iterable<ThreadEnvelope> = [], options: ThreadOptions = {}) {
    this.options = options;
    const all = [...envelopes];
    for (const envelope of all) this.envelopes.set(envelope.id, envelope);
    for (const thread of threadEnvelopes([...this.envelopes.values()], options)) this.register(thread);
  }

  /** Messages held. */
  get size(): number {
    return this.envelopes.size;
  }

  /** Every conversation (in no particular order; `orderConversations` sorts them). */
  *threads(): Generator<Thread> {
    for (const conversation of this.conversations.values()) yield conversation.thread;
  }

  /** The conversation a message is in. */
  threadOf(id: string): Thread | undefined {
    const key = this.conversationOf.get(id);
    return key === undefined ? undefined : this.conversations.get(key)?.thread;
  }

  has(id: string): boolean {
    return this.envelopes.has(id);
  }

  /** Places new messages (or new versions of held ones) into their conversations. */
  add(envelopes: ThreadEnvelope | readonly ThreadEnvelope[]): ThreadChange {
    const list: readonly ThreadEnvelope[] = Array.isArray(envelopes)
      ? envelopes
      : [envelopes as ThreadEnvelope];
    const touched = new Set<string>();
    for (const envelope of list) {
      const held = this.conversationOf.get(envelope.id);
      if (held !== undefined) touched.add(held);
      this.envelopes.set(envelope.id, envelope);
    }
    for (const envelope of list) for (const key of this.related(envelope)) touched.add(key);
    const members = new Set(list.map((e) => e.id));
    return this.rethread(touched, members);
  }

  /** Takes messages out (expunged, moved to Trash); their conversations are threaded again. */
  remove(ids: readonly string[]): ThreadChange {
    const touched = new Set<string>();
    for (const id of ids) {
      const key = this.conversationOf.get(id);
      if (key !== undefined) touched.add(key);
      this.envelopes.delete(id);
      this.conversationOf.delete(id);
    }
    return this.rethread(touched, new Set());
  }

  /** Conversations a new message could join. */
  private related(envelope: ThreadEnvelope): Set<string> {
    const keys = new Set<string>();
    const ids = threadingReferences(envelope);
    const own = normalizeMessageId(envelope.messageId);
    if (own !== null) ids.push(own);
    for (const id of ids) {
      const key = this.byMessageId.get(id);
      if (key !== undefined) keys.add(key);
    }
    if (this.options.groupBySubject ?? true) {
      const subject = parseSubject(envelope.subject);
      for (const key of this.bySubject.get(subject.key) ?? []) {
        const conversation = this.conversations.get(key);
        if (conversation !== undefined && (subject.isReplyOrForward || conversation.joinable)) keys.add(key);
      }
    }
    return keys;
  }

  private rethread(touched: ReadonlySet<string>, extra: ReadonlySet<string>): ThreadChange {
    const ids = new Set(extra);
    const before = new Map<string, Thread>();
    for (const key of touched) {
      const conversation = this.conversations.get(key);
      if (conversation === undefined) continue;
      for (const id of conversation.thread.messageIds) ids.add(id);
      before.set(key, conversation.thread);
      this.unregister(key, conversation);
    }
    const envelopes: ThreadEnvelope[] = [];
    for (const id of ids) {
      const envelope = this.envelopes.get(id);
      if (envelope !== undefined) envelopes.push(envelope);
    }
    const updated = threadEnvelopes(envelopes, this.options);
    for (const thread of updated) this.register(thread);
    const live = new Set(updated.map((t) => t.rootKey));
    return {
      removed: [...before.keys()].filter((key) => !live.has(key)),
      // A conversation that was only looked at (a subject match that did not join) is no news.
      updated: updated.filter((thread) => !sameThread(before.get(thread.rootKey), thread)),
    };
  }

  private register(thread: Thread): void {
    const messageIds: string[] = [];
    for (const id of thread.messageIds) {
      this.conversationOf.set(id, thread.rootKey);
      const envelope = this.envelopes.get(id);
      if (envelope === undefined) continue;
      const own = normalizeMessageId(envelope.messageId);
      if (own !== null) messageIds.push(own);
      messageIds.push(...threadingReferences(envelope));
    }
    for (const id of messageIds) this.byMessageId.set(id, thread.rootKey);
    const first = this.envelopes.get(thread.messageIds[0] ?? "");
    const subject = parseSubject(first?.subject ?? "");
    // A conversation whose root is missing (its first two messages are siblings at depth 0)
    // or is itself a reply can take in a later original of the same subject.
    const joinable = subject.isReplyOrForward || (thread.depths.length > 1 && thread.depths[1] === 0);
    this.conversations.set(thread.rootKey, { thread, messageIds, subjectKey: subject.key, joinable });
    if (subject.key !== "") {
      let keys = this.bySubject.get(subject.key);
      if (keys === undefined) this.bySubject.set(subject.key, (keys = new Set()));
      keys.add(thread.rootKey);
    }
  }

  private unregister(key: string, conversation: Conversation): void {
    this.conversations.delete(key);
    for (const id of conversation.messageIds)
      if (this.byMessageId.get(id) === key) this.byMessageId.delete(id);
    const keys = this.bySubject.get(conversation.subjectKey);
    keys?.delete(key);
    if (keys?.size === 0) this.bySubject.delete(conversation.subjectKey);
    for (const id of conversation.thread.messageIds)
      if (this.conversationOf.get(id) === key) this.conversationOf.delete(id);
  }
}

function sameThread(a: Thread | undefined, b: Thread): boolean {
  if (a === undefined || a.messageIds.length !== b.messageIds.length) return false;
  return a.messageIds.every((id, i) => id === b.messageIds[i] && a.depths[i] === b.depths[i]);
}
