import type { MessageDetail } from "@pismo/protocol/schemas";
import { notesShown, splitAttachments, type DisplayMessage } from "../shared/display-message";

/** An IMAP message as the gateway sent it (one body part chosen, the others listed). */
export function displayImapMessage(m: MessageDetail): DisplayMessage {
  const body = { kind: m.body.kind, content: m.body.content };
  return {
    subject: m.subject,
    from: m.from,
    fromText: "",
    to: m.to,
    cc: m.cc,
    bcc: m.bcc,
    date: m.date,
    seen: m.seen,
    flagged: m.flagged,
    body,
    // The body's decoding note is said with the message's others.
    ...notesShown([...(m.notes ?? []), ...(m.body.charsetNote ? [m.body.charsetNote] : [])]),
    truncated: m.body.truncated,
    ...splitAttachments(
      m.attachments.map((a) => ({
        id: a.part,
        filename: a.filename || null,
        mimeType: a.mimeType,
        size: a.size,
        contentId: a.contentId,
        inline: a.inline,
        isMessage: a.isMessage,
      })),
      body,
    ),
  };
}
