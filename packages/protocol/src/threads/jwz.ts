import { parseSubject } from "./subject";

/**
 * Jamie Zawinski's threading algorithm (https://www.jwz.org/doc/threading.html), as RFC 5256
 * section 2 specifies it for THREAD=REFERENCES, over the envelopes the app already has. It is
 * what the gateway uses when the server does not thread, and what the browser uses for POP3.
 *
 * Deviations from the letter of JWZ, each on purpose:
 * - Two root messages with the same base subject are joined only when at least one of them is
 *   a reply or forward by its subject ("Re:", "Odg:", ...). JWZ would also put two unrelated
 *   "Invoice" or "Daily report" messages side by side under one dummy; a conversation list
 *   would then show them as one conversation, which users read as wrong.
 * - Nor are two roots joined by subject when both name a parent (References, In-Reply-To) and
 *   no parent is named by both: two "Re: Izvod" answering two different statements, neither
 *   of which the user has, are two conversations (JWZ makes one, and deleting or moving it
 *   would take both). A root naming nothing (a client that dropped the headers) still joins.
 * - The envelopes are taken in date order (then by id), so the result does not depend on the
 *   order the caller passes them in; JWZ's "do not change an existing link" rule otherwise
 *   makes it depend on arrival order.
 *
 * Cost: O(n log n) for n envelopes plus their references. Nothing is scanned per insertion:
 * links are parent pointers with a child count, child lists are built once after linking, and
 * every traversal is iterative (a 100,000-message reply chain must not overflow the stack).
 * The loop check walks up from the would-be parent, and only when the would-be child already
 * has children (a fresh container cannot be anyone's ancestor); in date order that is rare.
 */

export interface ThreadEnvelope {
  /** The caller's id for the message (unique in the input), e.g. "INBOX:42" or a local key. */
  readonly id: string;
  /** Message-ID, with or without the angle brackets. */
  readonly messageId: string | null;
  /** In-Reply-To as the header has it; only its first message-id is used (RFC 5256). */
  readonly inReplyTo: string | null;
  /** References in header order, one id an entry (a raw header in one entry works too). */
  readonly references: readonly string[];
  readonly subject: string;
  /** Sent date, ms since the epoch; not a finite number sorts as 0. */
  readonly date: number;
  /**
   * When this copy arrived (a UID within one folder, the time it was stored): of messages that
   * claim one Message-ID, the first to arrive is the one it names. The Date header is the
   * sender's to write, and a message backdated under a copied Message-ID took the thread.
   * Absent: the earliest by date.
   */
  readonly arrival?: number;
}

/** One conversation: its messages depth first, siblings by date, each with its depth. */
export interface Thread<Id = string> {
  /**
   * Stable name of the conversation: the root's Message-ID (without brackets), also when the
   * root is a message the user does not have (a dummy). A key that starts with "msg " names a
   * message without a usable Message-ID; such keys cannot collide with a Message-ID, which has
   * no spaces.
   */
  readonly rootKey: string;
  /** Thread order: depth first, siblings by date. */
  readonly messageIds: readonly Id[];
  /**
   * Depth of each message (same index as `messageIds`): 0 for the root, and for each message
   * under a missing root (the children of a dummy are siblings at depth 0).
   */
  readonly depths: readonly number[];
}

export interface ThreadOptions {
  /**
   * Join root messages by base subject (JWZ step 5) when one of them is a reply or forward.
   * @default true
   */
  readonly groupBySubject?: boolean;
}

/** Key prefix for messages without a usable (or with a duplicate) Message-ID. */
const syntheticPrefix = "msg ";

/**
 * A Message-ID as threading compares it: the text between the angle brackets, which must
 * look like an addr-spec (RFC 5322 section 3.6.4: local part "@" domain, no spaces). Returns
 * null for anything else ("<>", "unknown", a bare word), so garbage never links two messages.
 */
export function normalizeMessageId(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  let id = raw.trim();
  const open = id.indexOf("<");
  if (open !== -1) {
    const close = id.indexOf(">", open + 1);
    if (close === -1) return null;
    id = id.slice(open + 1, close).trim();
  }
  if (!isIdLike(id)) return null;
  return id;
}

function isIdLike(id: string): boolean {
  const at = id.lastIndexOf("@");
  return at > 0 && at < id.length - 1 && !/[\s<>]/u.test(id);
}

/**
 * Every message-id in a References or In-Reply-To header, in order. Tokens in angle brackets
 * are taken when there are any (In-Reply-To may carry "Your message of ..." text around the
 * id); otherwise whitespace-separated tokens that look like an addr-spec. Invalid tokens are
 * dropped.
 */
export function parseMessageIdList(header: string | null | undefined): string[] {
  if (header == null) return [];
  const ids: string[] = [];
  if (header.includes("<")) {
    for (const match of header.matchAll(/<([^<>]*)>/gu)) {
      const id = (match[1] ?? "").trim();
      if (isIdLike(id)) ids.push(id);
    }
  } else {
    for (const token of header.split(/\s+/u)) if (isIdLike(token)) ids.push(token);
  }
  return ids;
}

interface Container {
  key: string;
  /** Index into the date-ordered envelopes; -1 for a dummy (a message we do not have). */
  msg: number;
  parent: Container | null;
  childCount: number;
  firstChild: Container | null;
  lastChild: Container | null;
  next: Container | null;
  /** Sort position: the message's date rank, or a dummy's earliest child's. */
  rank: number;
  /** The message's references (its own id left out); none for a dummy. */
  refs: readonly string[];
}

function container(key: string, msg: number): Container {
  return {
    key,
    msg,
    parent: null,
    childCount: 0,
    firstChild: null,
    lastChild: null,
    next: null,
    rank: msg,
    refs: [],
  };
}

/** Whether making `child` a child of `parent` would close a loop. */
function wouldLoop(parent: Container, child: Container): boolean {
  if (parent === child) return true;
  // A container without children is nobody's ancestor: no walk needed.
  if (child.childCount === 0) return false;
  for (let c: Container | null = parent; c !== null; c = c.parent) if (c === child) return true;
  return false;
}

function link(parent: Container, child: Container): void {
  child.parent = parent;
  parent.childCount++;
}

function unlink(child: Container): void {
  if (child.parent === null) return;
  child.parent.childCount--;
  child.parent = null;
}

function appendChild(parent: Container, child: Container): void {
  child.next = null;
  if (parent.lastChild === null) parent.firstChild = child;
  else parent.lastChild.next = child;
  parent.lastChild = child;
}

/** The references JWZ links by: References, else the first id of In-Reply-To (RFC 5256). */
export function threadingReferences(envelope: Pick<ThreadEnvelope, "inReplyTo" | "references">): string[] {
  const refs: string[] = [];
  for (const entry of envelope.references) refs.push(...parseMessageIdList(entry));
  if (refs.length > 0) return refs;
  const first = parseMessageIdList(envelope.inReplyTo)[0];
  return first === undefined ? [] : [first];
}

const finiteDate = (date: number): number => (Number.isFinite(date) ? date : 0);

/** Threads the envelopes into conversations, ordered by their first message's date. */
export function threadEnvelopes(envelopes: readonly ThreadEnvelope[], options: ThreadOptions = {}): Thread[] {
  const groupBySubject = options.groupBySubject ?? true;
  const sorted = [...envelopes].sort(
    (a, b) => finiteDate(a.date) - finiteDate(b.date) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );

  // Step 1: the id table, and the links from every References header.
  const table = new Map<string, Container>();
  const all: Container[] = [];
  const get = (key: string): Container => {
    let c = table.get(key);
    if (c === undefined) {
      c = container(key, -1);
      table.set(key, c);
      all.push(c);
    }
    return c;
  };

  // Which message a Message-ID names when several claim it.
  const owners = new Map<string, ThreadEnvelope>();
  for (const envelope of sorted) {
    const id = normalizeMessageId(envelope.messageId);
    if (id === null) continue;
    const had = owners.get(id);
    if (had === undefined || (envelope.arrival ?? Infinity) < (had.arrival ?? Infinity))
      owners.set(id, envelope);
  }

  sorted.forEach((envelope, index) => {
    const id = normalizeMessageId(envelope.messageId);
    let own: Container;
    if (id === null || owners.get(id) !== envelope) {
      // No Message-ID, or another message's (a copy in Sent and in Inbox, a resend, a forgery):
      // it gets a key of its own and threads by its references alone.
      own = container(syntheticPrefix + envelope.id, index);
      all.push(own);
    } else {
      own = get(id);
      own.msg = index;
      own.rank = index;
    }

    // A message cannot reply to itself: a self-reference is dropped so the real parent before
    // it still counts.
    const refs = threadingReferences(envelope).filter((ref) => ref !== id);
    own.refs = refs;
    // Step 1B: link each reference to the next, unless the child already has a parent or
    // the link would close a loop.
    for (let i = 0; i + 1 < refs.length; i++) {
      const parent = get(refs[i] as string);
      const child = get(refs[i + 1] as string);
      if (child.parent === null && !wouldLoop(parent, child)) link(parent, child);
    }
    // Step 1C: the message's own References are the best word on its parent, so an earlier
    // guess (from a truncated References elsewhere) is replaced.
    const last = refs.length > 0 ? get(refs[refs.length - 1] as string) : null;
    if (own.parent !== last) {
      unlink(own);
      if (last !== null && !wouldLoop(last, own)) link(last, own);
    }
  });

  // Child lists, built once from the parent pointers.
  const roots: Container[] = [];
  for (const c of all) {
    if (c.parent === null) roots.push(c);
    else appendChild(c.parent, c);
  }

  // Step 3 (RFC 5256 step 3, JWZ step 4): prune dummies. Children before parents (reverse
  // pre-order); a dummy below the root is replaced by its children, an empty one dropped.
  const preorder: Container[] = [];
  const stack: Container[] = [...roots];
  while (stack.length > 0) {
    const c = stack.pop() as Container;
    preorder.push(c);
    for (let child = c.firstChild; child !== null; child = child.next) stack.push(child);
  }
  for (let i = preorder.length - 1; i >= 0; i--) {
    const c = preorder[i] as Container;
    let child = c.firstChild;
    c.firstChild = null;
    c.lastChild = null;
    while (child !== null) {
      const next = child.next;
      if (child.msg !== -1) appendChild(c, child);
      else if (child.firstChild !== null) {
        // Splice the dummy's (already pruned) children in its place, in O(1).
        if (c.lastChild === null) c.firstChild = child.firstChild;
        else c.lastChild.next = child.firstChild;
        c.lastChild = child.lastChild;
      }
      child = next;
    }
  }
  // At the root a dummy stays when it holds several messages (they are siblings of one
  // conversation whose root is missing); with one message, that message is the root.
  const prunedRoots: Container[] = [];
  for (const root of roots) {
    if (root.msg !== -1) prunedRoots.push(root);
    else if (root.firstChild === null) continue;
    else if (root.firstChild === root.lastChild) {
      root.firstChild.next = null;
      prunedRoots.push(root.firstChild);
    } else prunedRoots.push(root);
  }

  // RFC 5256 step 4: a dummy sorts by its earliest child.
  const rankOf = (c: Container): number => {
    if (c.msg !== -1) return c.msg;
    let rank = Infinity;
    for (let child = c.firstChild; child !== null; child = child.next) rank = Math.min(rank, child.rank);
    return rank;
  };
  for (const root of prunedRoots) root.rank = rankOf(root);
  prunedRoots.sort((a, b) => a.rank - b.rank);

  const finalRoots = groupBySubject ? groupRootsBySubject(prunedRoots, sorted) : prunedRoots;

  // RFC 5256 step 6: siblings by date, depth first.
  return finalRoots.map((root) => {
    const messageIds: string[] = [];
    const depths: number[] = [];
    const walk: Array<[Container, number]> = [[root, root.msg === -1 ? -1 : 0]];
    while (walk.length > 0) {
      const [c, depth] = walk.pop() as [Container, number];
      if (c.msg !== -1) {
        messageIds.push((sorted[c.msg] as ThreadEnvelope).id);
        depths.push(depth);
      }
      const children: Container[] = [];
      for (let child = c.firstChild; child !== null; child = child.next) children.push(child);
      children.sort((a, b) => b.rank - a.rank);
      for (const child of children) walk.push([child, depth + 1]);
    }
    return { rootKey: root.key, messageIds, depths };
  });
}

/**
 * JWZ step 5: join roots that share a base subject, when one of them is a reply or forward
 * and they do not name different parents (see `related`). Per subject the table keeps, in
 * order of preference, a dummy (a conversation whose root is missing, likely the original of
 * this subject), a message that is not a reply, a reply; on a tie the earliest.
 */
function groupRootsBySubject(roots: Container[], sorted: readonly ThreadEnvelope[]): Container[] {
  // A dummy's subject is its earliest child's (RFC 5256 step 5).
  const subjectOf = (c: Container) => {
    let earliest: Container | null = c.msg !== -1 ? c : null;
    for (let child = c.msg === -1 ? c.firstChild : null; child !== null; child = child.next)
      if (earliest === null || child.rank < earliest.rank) earliest = child;
    return parseSubject(earliest === null ? "" : (sorted[earliest.msg] as ThreadEnvelope).subject);
  };
  const preference = (c: Container, isReply: boolean): number => (c.msg === -1 ? 0 : isReply ? 2 : 1);
  // The parents a root names: a message's references; for a dummy, the missing message it
  // stands for and what its children name; for roots joined here, what each of them named.
  const named = new Map<Container, ReadonlySet<string>>();
  for (const c of roots) {
    if (c.msg !== -1) named.set(c, new Set(c.refs));
    else {
      const ids = new Set([c.key]);
      for (let child = c.firstChild; child !== null; child = child.next)
        for (const id of child.refs) ids.add(id);
      named.set(c, ids);
    }
  }
  // Joined by subject only when one names no parent (its client dropped the headers) or both
  // name one parent: replies to two different messages the user lacks stay two conversations.
  const related = (a: Container, b: Container): boolean => {
    const x = named.get(a) as ReadonlySet<string>;
    const y = named.get(b) as ReadonlySet<string>;
    if (x.size === 0 || y.size === 0) return true;
    for (const id of x) if (y.has(id)) return true;
    return false;
  };
  const union = (a: Container, b: Container): ReadonlySet<string> =>
    new Set([...(named.get(a) as ReadonlySet<string>), ...(named.get(b) as ReadonlySet<string>)]);

  const infos = roots.map(subjectOf);
  const best = new Map<string, { c: Container; pref: number }>();
  roots.forEach((c, i) => {
    const info = infos[i] as ReturnType<typeof subjectOf>;
    if (info.key === "") return;
    const pref = preference(c, info.isReplyOrForward);
    const current = best.get(info.key);
    if (current === undefined || pref < current.pref) best.set(info.key, { c, pref });
  });

  const result: Array<Container | null> = [...roots];
  const position = new Map<Container, number>(roots.map((c, i) => [c, i]));
  roots.forEach((c, i) => {
    const info = infos[i] as ReturnType<typeof subjectOf>;
    if (info.key === "") return;
    const entry = best.get(info.key);
    if (entry === undefined || entry.c === c) return;
    const target = entry.c;
    const pref = preference(c, info.isReplyOrForward);
    if (!related(target, c)) return;
    if (target.msg === -1) {
      if (c.msg === -1) {
        // Two dummies: one conversation whose root is missing, seen through two gaps.
        for (let child = c.firstChild; child !== null;) {
          const next: Container | null = child.next;
          appendChild(target, child);
          child = next;
        }
      } else appendChild(target, c);
      target.rank = Math.min(target.rank, c.rank);
      named.set(target, union(target, c));
    } else if (pref === 2 && entry.pref === 1) {
      // A reply whose parent we lack, under the original of its subject.
      appendChild(target, c);
    } else if (pref === 2 && entry.pref === 2) {
      // Two replies to a missing original: siblings under a new dummy, which takes over the
      // conversation's key and its place among the roots.
      const dummy = container(target.key, -1);
      const at = position.get(target) as number;
      appendChild(dummy, target);
      appendChild(dummy, c);
      dummy.rank = Math.min(target.rank, c.rank);
      named.set(dummy, union(target, c));
      result[at] = dummy;
      position.set(dummy, at);
      best.set(info.key, { c: dummy, pref: 0 });
    } else {
      // Neither is a reply: two separate conversations that happen to share a subject.
      return;
    }
    result[i] = null;
  });
  // A dummy that took in an earlier root now sorts by that root.
  return result.filter((c): c is Container => c !== null).sort((a, b) => a.rank - b.rank);
}
