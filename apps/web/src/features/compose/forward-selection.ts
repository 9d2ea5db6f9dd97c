import type { MessageSummary } from "@pismo/protocol/schemas";
import type { Draft } from "@pismo/protocol/compose";
import { emlFileName } from "../pop3/mbox";
import type { Pop3Store } from "../pop3/pop3-store";
import { attachedMessagesSource, type ComposeSource } from "./initial-draft";

/**
 * The selection's Forward: the ticked messages, each whole and as it is, as .eml files attached
 * to one new message (Thunderbird's "Forward As Attachment" of several, Roundcube's). Loaded on
 * the click, with the compose window, not with the list.
 */

/** How many messages one forward carries: a help desk's handful, not a folder's export. */
export const MAX_FORWARDED_MESSAGES = 25;

/** IMAP: the messages stay on the server; the gateway streams each into the message it sends.
 * `rows` are the rows the page holds (named by subject); one not loaded is named by its UID. */
export function imapForwardSource(
  folder: string,
  uids: readonly number[],
  rows: ReadonlyMap<number, MessageSummary>,
): ComposeSource {
  // Oldest first, as a reader reads them.
  const sorted = [...uids].sort((a, b) => a - b);
  const attachments = sorted.map((uid): Draft["attachments"][number] => ({
    kind: "forward",
    folder,
    uid,
    part: "",
    filename: emlFileName(rows.get(uid)?.subject ?? "", String(uid)),
    contentType: "message/rfc822",
    size: rows.get(uid)?.size ?? 0,
  }));
  // A row the page no longer holds has an unknown subject: then none is chosen for the writer.
  const subjects = sorted.every((uid) => rows.has(uid)) ? sorted.map((uid) => rows.get(uid)!.subject) : [];
  return attachedMessagesSource("imap", subjects, { attachments });
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
    files.push(new File([raw as BlobPart], emlFileName(meta.subject, id), { type: "message/rfc822" }));
  }
  return files.length > 0 ? attachedMessagesSource("local", subjects, { files }) : null;
}
