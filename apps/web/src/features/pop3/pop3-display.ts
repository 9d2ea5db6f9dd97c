import type { MessageView } from "@pismo/protocol/mime";
import {
  notesShown,
  splitAttachments,
  type DisplayBody,
  type DisplayMessage,
} from "../shared/display-message";
import type { StoredMessage } from "./pop3-database";

/** The part a POP3 message shows: its HTML when it has one, else its text. */
export function pop3Body(view: MessageView): DisplayBody {
  if (view.html !== null) return { kind: "html", content: view.html };
  if (view.text !== null) return { kind: "text", content: view.text };
  return { kind: "none", content: "" };
}

/**
 * A POP3 message: its list row (always here) and, once its stored bytes are parsed, the
 * parsed message. Until then the header shows what the row knows.
 */
export function displayPop3Message(row: StoredMessage, view: MessageView | null): DisplayMessage {
  const body = view ? pop3Body(view) : null;
  const notes = view?.notes ?? [];
  return {
    subject: row.subject,
    from: view?.from ?? null,
    fromText: row.from,
    to: view?.to ?? [],
    cc: view?.cc ?? [],
    bcc: view?.bcc ?? [],
    date: row.date,
    seen: row.seen,
    flagged: row.flagged,
    body,
    ...notesShown(notes),
    ...splitAttachments(
      (view?.attachments ?? []).map((a) => ({
        id: a.id,
        filename: a.filename,
        mimeType: a.mimeType,
        size: a.size,
        contentId: a.contentId,
        inline: a.disposition === "inline",
        isMessage: a.isMessage,
      })),
      body,
    ),
  };
}
