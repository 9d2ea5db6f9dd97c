import { formatAddress } from "@pismo/protocol/format";
import type { MessageView } from "@pismo/protocol/mime";
import { normalizeMessageId, parseMessageIdList } from "@pismo/protocol/threads";
import type { ComposeFields } from "../compose/initial-draft";
import { DRAFTS, SENT, type StoredMessage } from "./pop3-database";

/**
 * The one way a list row is made, for a pulled message, a sent copy and a draft alike: the
 * list reads these fields and never the bytes. For Sent and Drafts, `from` holds the
 * recipients: the list's "who" column shows whom they go to.
 */
export type RowFields = Omit<StoredMessage, "sortKey" | "flagged" | "storedAt" | "deletedLocally">;

export function messageRow(fields: RowFields, now: number): StoredMessage {
  const dateMs = fields.date ? Date.parse(fields.date) : NaN;
  return {
    ...fields,
    sortKey: Number.isFinite(dateMs) ? dateMs : now,
    flagged: false,
    storedAt: now,
    deletedLocally: false,
  };
}

/** Whether the list shows a paperclip: only parts meant as attachments, not inline images. */
export function hasAttachments(view: Pick<MessageView, "attachments">): boolean {
  return view.attachments.some((a) => a.disposition === "attachment");
}

/** A pulled message's row fields, as far as its parsed headers tell them. */
export function receivedFields(
  view: MessageView,
): Pick<
  RowFields,
  | "from"
  | "fromAddress"
  | "to"
  | "subject"
  | "date"
  | "hasAttachment"
  | "messageId"
  | "inReplyTo"
  | "references"
> {
  return {
    messageId: normalizeMessageId(view.messageId),
    inReplyTo: normalizeMessageId(view.inReplyTo),
    references: view.references.flatMap((r) => parseMessageIdList(r)),
    from: view.from ? view.from.name || view.from.address : "",
    fromAddress: view.from?.address ?? "",
    to: [...view.to, ...view.cc].map(formatAddress).join(", "),
    subject: view.subject ?? "",
    date: view.date,
    hasAttachment: hasAttachments(view),
  };
}

/** A sent copy's row: the list shows whom it went to, not who sent it. */
export function sentRow(uid: string, view: MessageView, size: number, now: number): StoredMessage {
  const recipients = [...view.to, ...view.cc, ...view.bcc];
  return messageRow(
    {
      ...receivedFields(view),
      uid,
      folderId: SENT,
      from: recipients.map((a) => a.name || a.address).join(", "),
      to: recipients.map(formatAddress).join(", "),
      size,
      seen: true,
      headersOnly: false,
      onServer: false,
    },
    now,
  );
}

/** A draft's row, from the compose fields as typed (a draft has no MIME bytes yet). */
export function draftRow(uid: string, fields: ComposeFields, now: number): StoredMessage {
  return messageRow(
    {
      uid,
      folderId: DRAFTS,
      from: fields.to.trim(),
      fromAddress: "",
      to: fields.to.trim(),
      subject: fields.subject,
      date: new Date(now).toISOString(),
      size: JSON.stringify(fields).length,
      seen: true,
      hasAttachment: fields.attachments.length > 0,
      headersOnly: false,
      onServer: false,
    },
    now,
  );
}
