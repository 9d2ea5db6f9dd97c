import type { MimeLimits } from "./limits";
import type { MimeNote } from "./view";

// What a parse could not do becomes a note on the view instead of an exception: a body cut
// at the limit, a parser failure classified by cause.

/** Notes deduplicated by code and detail, and capped so a message cannot flood the UI. */
export class NoteList {
  readonly items: MimeNote[] = [];
  private readonly seen = new Set<string>();
  add(note: MimeNote): void {
    const key = `${note.code}\u0000${note.detail}`;
    if (this.seen.has(key) || this.items.length >= 20) return;
    this.seen.add(key);
    this.items.push(note);
  }
}

export function cut(value: string, limit: number, what: string, notes: NoteList): string {
  if (value.length <= limit) return value;
  notes.add({
    code: "TRUNCATED_BODY",
    detail: `The ${what} body has ${value.length} characters; the first ${limit} are shown.`,
  });
  return value.slice(0, limit);
}

export function classifyError(error: unknown, limits: MimeLimits): MimeNote {
  const message = error instanceof Error ? error.message : String(error);
  if (/nesting depth/i.test(message)) {
    return {
      code: "TOO_DEEP",
      detail: `Parts are nested too deeply to read (over ${Math.max(limits.maxDepth * 4, 80)} levels); only the headers are shown.`,
    };
  }
  if (/header size/i.test(message)) {
    return {
      code: "HEADER_TOO_LARGE",
      detail: `The headers of all parts exceed ${limits.maxTotalHeaderBytes} bytes; only the top-level headers are shown.`,
    };
  }
  return {
    code: "MALFORMED",
    detail: `The message could not be parsed (${message.slice(0, 200)}); only the headers are shown.`,
  };
}
