import type { SearchRow } from "@pismo/protocol/schemas";
import { emlFile } from "../shared/mbox";
import type { Pop3Store } from "../pop3/pop3-store";
import { attachedMessagesSource, wholeMessageOf, type ComposeSource } from "./initial-draft";

/**
 * The selection's Forward: the ticked messages, each whole and as it is, as .eml files attached
 * to one new message (Thunderbird's "Forward As Attachment" of several, Roundcube's). Loaded on
 * the click, with the compose window, not with the list.
 */

/** How many messages one forward carries: a help desk's handful, not a folder's export. */
export const MAX_FORWARDED_MESSAGES = 25;

/**
 * IMAP: the messages stay on the server; the gateway streams each into the message it sends.
 * `rowsOf` reads the ticked messages' rows (subject, size, date) from the server, wherever they
 * are (a folder's rows the page no longer holds, search results in several folders); one gone
 * meanwhile is left out. Null when none is left.
 */
export async function imapForwardSource(
  refs: readonly { folder: string; uid: number }[],
  rowsOf: (refs: { folder: string; uid: number }[]) => Promise<SearchRow[]>,
  /** Each folder's UIDVALIDITY the ticked UIDs were read under, where known: a folder made
   * again meanwhile holds other messages under those UIDs, which are left out. */
  uidValidities: ReadonlyMap<string, string> = new Map(),
): Promise<ComposeSource | null> {
  const rows = (await rowsOf([...refs])).filter((row) => {
    const expected = uidValidities.get(row.folder);
    return expected === undefined || expected === row.uidValidity;
  });
  if (rows.length === 0) return null;
  // Oldest first, as a reader reads them.
  rows.sort((a, b) => (a.date ?? "").localeCompare(b.date ?? "") || a.uid - b.uid);
  const attachments = rows.map(wholeMessageOf);
  return attachedMessagesSource(
    "imap",
    rows.map((row) => row.subject),
    { attachments },
  );
}

/** A message kept without its body cannot go whole: the reader is told which, and nothing opens. */
export class WithoutBody extends Error {
  constructor(readonly subject: string) {
    super(`${subject} was kept without its body`);
  }
}

/** POP3: each message's bytes as this browser keeps them, uploaded when the window opens; null
 * when none of them is here any more (deleted meanwhile). */
export async function pop3ForwardSource(
  store: Pop3Store,
  ids: readonly string[],
): Promise<ComposeSource | null> {
  const subjects: string[] = [];
  const files: File[] = [];
  const found = await Promise.all(ids.map(async (id) => ({ id, meta: await store.get(id) })));
  // Oldest first, as a reader reads them.
  found.sort((a, b) => (a.meta?.sortKey ?? 0) - (b.meta?.sortKey ?? 0));
  for (const { id, meta } of found) {
    if (!meta || meta.deletedLocally) continue;
    if (meta.headersOnly) throw new WithoutBody(meta.subject);
    const raw = await store.raw(id);
    if (!raw) continue;
    subjects.push(meta.subject);
    files.push(emlFile(raw, meta.subject, id));
  }
  return files.length > 0 ? attachedMessagesSource("local", subjects, { files }) : null;
}
