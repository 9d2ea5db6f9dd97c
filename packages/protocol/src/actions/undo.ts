import type { MailActionRequest, MailActionResult } from "./schema";

/**
 * The request that puts messages back where an action took them: the same messages, by their
 * new UIDs, from the target folder to the folder they came from. Null when that cannot be
 * done: deleted for good, or the server did not say the new UIDs.
 */
export function undoRequest(done: MailActionRequest, result: MailActionResult): MailActionRequest | null {
  if (result.to === null || result.to === done.folder) return null;
  const uids: number[] = [];
  for (const m of result.moved) {
    if (m.newUid === null) return null;
    uids.push(m.newUid);
  }
  if (uids.length === 0) return null;
  return {
    kind: "move",
    folder: result.to,
    uids,
    to: done.folder,
    ...(result.keyword ? { clearKeyword: result.keyword } : {}),
  };
}

/**
 * Whether a server keeps a keyword: its PERMANENTFLAGS (RFC 9051 §7.1) lists it, or lists `\*`
 * (new keywords may be created).
 */
export function keepsKeyword(permanentFlags: Iterable<string>, keyword: string): boolean {
  for (const flag of permanentFlags)
    if (flag === "\\*" || flag.toLowerCase() === keyword.toLowerCase()) return true;
  return false;
}
