import type { Thread } from "./jwz";

/**
 * Reads the server's answer to UID THREAD REFERENCES (RFC 5256 section 4):
 *
 *   thread-data    = "THREAD" [SP 1*thread-list]
 *   thread-list    = "(" (thread-members / thread-nested) ")"
 *   thread-members = nz-number *(SP nz-number) [SP thread-nested]
 *   thread-nested  = 2*thread-list
 *
 * Each number in thread-members is the child of the one before it; each nested list is a
 * child branch of the last number; a list that starts with a nested list is a missing message
 * (a dummy), whose branches are siblings. The result has the shape `threadEnvelopes` gives,
 * with UIDs for ids, so the gateway can take the server's threads when it advertises
 * THREAD=REFERENCES (or THREAD=REFS) and run JWZ itself otherwise.
 *
 * A nested list with one branch ("(1 (2))"), which the grammar does not allow, is read as that
 * branch. Everything else that breaks the grammar is an error, never a guess; the parser is
 * iterative and each token is read once, so no input can make it hang or overflow the stack.
 */

export interface ThreadParseError {
  /** English, for logs: what was wrong and where. */
  readonly message: string;
  /** UTF-16 offset in the text where it went wrong; null for imapflow's parsed attributes. */
  readonly at: number | null;
}

export type ThreadParseResult =
  | { readonly ok: true; readonly threads: Thread<number>[] }
  | { readonly ok: false; readonly error: ThreadParseError };

/** The largest UID (RFC 9051 nz-number is a 32-bit unsigned integer). */
const maxUid = 4_294_967_295;

interface Frame {
  /** Depth the next UID in this list gets. */
  depth: number;
  uids: number;
  nested: number;
}

/** Turns open / uid / close events into threads; the raw and the attribute reader share it. */
class ThreadBuilder {
  readonly threads: Thread<number>[] = [];
  private readonly stack: Frame[] = [];
  private readonly seen = new Set<number>();
  private messageIds: number[] = [];
  private depths: number[] = [];

  open(): string | null {
    const frame = this.stack[this.stack.length - 1];
    if (frame === undefined) {
      this.messageIds = [];
      this.depths = [];
      this.stack.push({ depth: 0, uids: 0, nested: 0 });
      return null;
    }
    frame.nested++;
    this.stack.push({ depth: frame.depth, uids: 0, nested: 0 });
    return null;
  }

  uid(text: string): string | null {
    const frame = this.stack[this.stack.length - 1];
    if (frame === undefined) return `expected "(" before UID ${text}`;
    if (!/^[1-9][0-9]{0,9}$/u.test(text) || Number(text) > maxUid) return `"${text}" is not a UID`;
    if (frame.nested > 0) return `UID ${text} follows a nested thread list`;
    const uid = Number(text);
    if (this.seen.has(uid)) return `UID ${text} appears twice`;
    this.seen.add(uid);
    this.messageIds.push(uid);
    this.depths.push(frame.depth);
    frame.depth++;
    frame.uids++;
    return null;
  }

  close(): string | null {
    const frame = this.stack.pop();
    if (frame === undefined) return `unexpected ")"`;
    if (frame.uids === 0 && frame.nested === 0) return "empty thread list";
    if (this.stack.length === 0) {
      const root = this.messageIds[0] as number;
      this.threads.push({ rootKey: String(root), messageIds: this.messageIds, depths: this.depths });
    }
    return null;
  }

  get openLists(): number {
    return this.stack.length;
  }
}

/**
 * Parses an untagged THREAD response as text: the whole line ("* THREAD (2)(3 6 (4 23))"),
 * or only what follows "THREAD".
 */
export function parseThreadResponse(text: string): ThreadParseResult {
  const fail = (message: string, at: number): ThreadParseResult => ({ ok: false, error: { message, at } });
  let i = 0;
  const head = /^\s*(?:\*\s+)?THREAD(?=[\s(]|$)/iu.exec(text);
  if (head) i = head[0].length;
  const builder = new ThreadBuilder();
  while (i < text.length) {
    const c = text[i] as string;
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      i++;
      continue;
    }
    let problem: string | null;
    const at = i;
    if (c === "(") {
      problem = builder.open();
      i++;
    } else if (c === ")") {
      problem = builder.close();
      i++;
    } else if (c >= "0" && c <= "9") {
      let end = i;
      while (end < text.length && (text[end] as string) >= "0" && (text[end] as string) <= "9") end++;
      problem = builder.uid(text.slice(i, end));
      i = end;
    } else {
      problem = `unexpected "${c}"`;
    }
    if (problem !== null) return fail(`THREAD response: ${problem} at offset ${at}`, at);
  }
  if (builder.openLists > 0)
    return fail(`THREAD response: ${builder.openLists} list(s) not closed`, text.length);
  return { ok: true, threads: builder.threads };
}

/**
 * Reads the attributes imapflow's parser gives for an untagged THREAD response (nested arrays
 * of `{ type: "ATOM", value: "42" }`), as the gateway receives them from a raw `exec`.
 */
export function threadsFromAttributes(attributes: unknown): ThreadParseResult {
  const fail = (message: string): ThreadParseResult => ({
    ok: false,
    error: { message: `THREAD response: ${message}`, at: null },
  });
  if (attributes === undefined || attributes === null) return { ok: true, threads: [] };
  if (!Array.isArray(attributes)) return fail("attributes are not a list");
  const builder = new ThreadBuilder();
  // Each top-level attribute is one thread-list; walk the nesting with an explicit stack.
  const iterators: Array<{ list: readonly unknown[]; index: number }> = [];
  for (const top of attributes) {
    if (!Array.isArray(top)) return fail("expected a thread list at the top level");
    builder.open();
    iterators.push({ list: top, index: 0 });
    while (iterators.length > 0) {
      const it = iterators[iterators.length - 1] as { list: readonly unknown[]; index: number };
      if (it.index >= it.list.length) {
        iterators.pop();
        const problem = builder.close();
        if (problem !== null) return fail(problem);
        continue;
      }
      const item = it.list[it.index++];
      if (Array.isArray(item)) {
        builder.open();
        iterators.push({ list: item, index: 0 });
        continue;
      }
      const value =
        typeof item === "object" && item !== null && "value" in item
          ? (item as { value: unknown }).value
          : item;
      const problem = builder.uid(
        typeof value === "string" || typeof value === "number" ? String(value) : "?",
      );
      if (problem !== null) return fail(problem);
    }
  }
  return { ok: true, threads: builder.threads };
}

/**
 * The server's threads with the caller's ids for UIDs (e.g. `${folder}:${uid}`), so they feed
 * `orderConversations` like JWZ's. The root key stays the root's UID as text.
 */
export function mapThreadIds<Id>(
  threads: readonly Thread<number>[],
  idOf: (uid: number) => Id,
): Thread<Id>[] {
  return threads.map((t) => ({ rootKey: t.rootKey, messageIds: t.messageIds.map(idOf), depths: t.depths }));
}
