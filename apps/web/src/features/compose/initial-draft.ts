import type { TFunction } from "@/i18n/translate";
import {
  emptyDraft,
  forwardSubject,
  quotePlain,
  replyRecipients,
  replySubject,
  safeAttachmentName,
  sharedSubject,
  threadHeaders,
  type Draft,
} from "@pismo/protocol/compose";
import { isContentId, type Address, type MessageDetail, type MessageRef } from "@pismo/protocol/schemas";
import { formatAddress, formatFullDate } from "@pismo/protocol/format";
import { escapeHtml } from "@pismo/protocol/html";
import { htmlText, sanitizeComposeHtml, sanitizeForeignHtml } from "./compose-sanitizer";
import { recipientsText } from "./recipient-field";
import { emlFileName } from "../shared/mbox";
import { isPictureType, pictureFileName } from "../shared/display-message";

export interface ComposeFields {
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  html: string;
  text: string;
  rich: boolean;
  attachments: Draft["attachments"];
  inReplyTo: string | null;
  references: string[];
  answering: MessageRef | null;
  /** The identity sent as (its id in the account's identities); absent: the default. */
  fromId?: string;
  /** Ask for a read receipt (Disposition-Notification-To); absent: no. */
  receipt?: boolean;
}

/**
 * The message a reply or forward starts from, whichever account it came from: an IMAP
 * MessageDetail (sourceOfDetail) or a POP3 message parsed in this browser.
 */
export interface ComposeSource {
  origin: "imap" | "local";
  messageId: string | null;
  references: string[];
  /** The original's In-Reply-To: a reply's thread when the original has no References. */
  inReplyTo?: string | null;
  subject: string;
  from: Address | null;
  replyTo: Address[];
  to: Address[];
  cc: Address[];
  date: string | null;
  body: { kind: "html" | "text" | "none"; content: string };
  /** Attachments a forward carries that the gateway can already reach (parts on the IMAP
   * server); for a forward as attachment, the message itself. */
  attachments: Draft["attachments"];
  /** Attachments a forward carries that are only in this browser (for a forward as attachment,
   * the message's own bytes): uploaded when the forward opens. */
  files: File[];
  /** Of those files, the pictures the HTML shows by `cid:`, with their Content-IDs. */
  pictureIds?: ReadonlyMap<File, string>;
  /** The original, to be marked \\Answered on the server after the reply is sent (IMAP only). */
  answering: MessageRef | null;
}

export function sourceOfDetail(m: MessageDetail): ComposeSource {
  return {
    origin: "imap",
    messageId: m.messageId,
    references: m.references,
    inReplyTo: m.inReplyTo,
    subject: m.subject,
    from: m.from,
    replyTo: m.replyTo,
    to: m.to,
    cc: m.cc,
    date: m.date,
    body: { kind: m.body.kind, content: m.body.content },
    // Forwarded attachments stay on the server: the gateway streams them from IMAP to SMTP.
    // The images the HTML shows (cid:) go with it under their Content-IDs.
    attachments: m.attachments.map((a) => forwardedPart(m, a)),
    files: [],
    answering: { folder: m.folder, uid: m.uid },
  };
}

/** A part of an IMAP message, forwarded from the server; an inline image keeps its Content-ID
 * (and, nameless as they mostly are, is named as a picture). Its sender's name for it is made
 * one a draft can carry (no control characters, not too long), or every save and Send of the
 * forward would be refused. */
export function forwardedPart(
  m: Pick<MessageDetail, "folder" | "uid">,
  a: MessageDetail["attachments"][number],
): Extract<Draft["attachments"][number], { kind: "forward" }> {
  return {
    kind: "forward",
    folder: m.folder,
    uid: m.uid,
    part: a.part,
    filename:
      safeAttachmentName(a.filename) ||
      (a.inline ? pictureFileName(a.part, a.mimeType) : `attachment-${a.part}`),
    contentType: a.mimeType,
    size: a.size,
    ...(a.inline && isPictureType(a.mimeType) && isContentId(a.contentId) ? { contentId: a.contentId } : {}),
  };
}

/** The whole message on the IMAP server as one attachment (message/rfc822, named by its
 * subject): what a forward as attachment carries, streamed by the gateway from IMAP to SMTP. */
export function wholeMessageOf(
  m: Pick<MessageDetail, "folder" | "uid" | "subject" | "size">,
): Draft["attachments"][number] {
  return {
    kind: "forward",
    folder: m.folder,
    uid: m.uid,
    part: "",
    filename: emlFileName(m.subject, String(m.uid)),
    contentType: "message/rfc822",
    size: m.size,
  };
}

/**
 * Several messages forwarded together as attachments (the selection's Forward): a source that
 * is only their files, the parts on the IMAP server (`attachments`) or this browser's copies
 * (`files`), about what they share of a subject.
 */
export function attachedMessagesSource(
  origin: ComposeSource["origin"],
  subjects: readonly string[],
  attached: { attachments?: Draft["attachments"]; files?: File[] },
): ComposeSource {
  return {
    origin,
    messageId: null,
    references: [],
    subject: sharedSubject(subjects),
    from: null,
    replyTo: [],
    to: [],
    cc: [],
    date: null,
    body: { kind: "none", content: "" },
    attachments: attached.attachments ?? [],
    files: attached.files ?? [],
    answering: null,
  };
}

/** The pictures a quoted HTML original shows by `cid:` (its parts on the IMAP server): a reply
 * carries them under their Content-IDs, so the quote keeps its pictures, as a forward does
 * (a POP3 message's go up from this browser: `replyFiles`). */
function quotedPictures(source: ComposeSource): Draft["attachments"] {
  if (source.body.kind !== "html") return [];
  return source.attachments.filter((a) => a.contentId !== undefined && isPictureType(a.contentType));
}

/** `attachments` without the pictures (files with a Content-ID) that `html` no longer shows;
 * all of them when the message goes as plain text (`html` null). */
export function picturesShown(attachments: Draft["attachments"], html: string | null): Draft["attachments"] {
  return attachments.filter(
    (a) =>
      a.contentId === undefined ||
      (html !== null &&
        (html.includes(`cid:${a.contentId}`) || html.includes(`cid:${escapeHtml(a.contentId)}`))),
  );
}

/** Plain text as the rich editor shows it: its lines and spaces as they are. */
export function plainAsHtml(text: string): string {
  return text ? `<div style="white-space:pre-wrap">${escapeHtml(text)}</div>` : "";
}

/** The quoted original as the editor shows it, and so as it is sent when left untouched: the
 * compose profile of the HTML policy (the editor writes the fields back only once it is
 * edited, so the raw original, <style>, <form> and remote images with it, would go out). */
function originalAsHtml(m: ComposeSource): string {
  return m.body.kind === "html" ? sanitizeForeignHtml(m.body.content) : plainAsHtml(m.body.content);
}

/** The original as plain text: an HTML one read with its lines kept (a parsed document lays
 * nothing out, so its innerText ran the paragraphs of a quote together into one line). */
function originalAsText(m: ComposeSource): string {
  if (m.body.kind === "text") return m.body.content;
  return htmlText(m.body.content);
}

export function fieldsFromDraft(d: Draft, rich: boolean): ComposeFields {
  return {
    to: recipientsText(d.to),
    cc: recipientsText(d.cc),
    bcc: recipientsText(d.bcc),
    subject: d.subject,
    // A draft reopened (this device's, another client's): as the editor shows it.
    html: d.html ? sanitizeComposeHtml(d.html) : "",
    text: d.text,
    rich,
    attachments: d.attachments,
    inReplyTo: d.inReplyTo,
    references: d.references,
    answering: d.answering ?? null,
    ...(d.requestReceipt ? { receipt: true } : {}),
  };
}

/** The starting fields of a new message, a reply, a reply to all, a forward (quoted or as an
 * attachment), or a message edited as new. */
export function initialFields(
  mode: "new" | "reply" | "replyAll" | "forward" | "forwardAttached" | "editAsNew",
  source: ComposeSource | null,
  /** The address replying, or the account's addresses with that one first. */
  me: string | readonly string[],
  t: TFunction,
  locale: string,
  to = "",
  start: { subject?: string | undefined; text?: string | undefined } = {},
): ComposeFields {
  const base = fieldsFromDraft(emptyDraft(), true);
  if (mode === "new" || !source) {
    const text = start.text ?? "";
    return {
      ...base,
      to,
      subject: start.subject ?? "",
      text,
      html: plainAsHtml(text),
    };
  }
  if (mode === "editAsNew")
    // The message itself, not quoted: its own recipients, subject, text and files, and none of
    // its thread (a new message); its signature is in its text already.
    return {
      ...base,
      to: recipientsText(source.to),
      cc: recipientsText(source.cc),
      subject: source.subject,
      html: source.body.kind === "none" ? "" : originalAsHtml(source),
      text: originalAsText(source),
      attachments: source.attachments,
    };
  if (mode === "forwardAttached")
    // The message goes as it is, in its attachment (its own headers, parts and signatures); the
    // text is the writer's alone, and the forward starts no thread, as Thunderbird's.
    return {
      ...base,
      subject: source.subject ? forwardSubject(source.subject) : "",
      attachments: source.attachments,
    };
  const who = source.from ? source.from.name || source.from.address : "";
  const date = formatFullDate(source.date, locale);
  if (mode === "forward") {
    const header = [
      t("compose.forwarded"),
      `${t("mail.from")}: ${formatAddress(source.from)}`,
      `${t("mail.date")}: ${date}`,
      `${t("compose.subject")}: ${source.subject}`,
      `${t("mail.to")}: ${recipientsText(source.to)}`,
    ];
    return {
      ...base,
      subject: forwardSubject(source.subject),
      html: `<p><br></p><p>${header.map(escapeHtml).join("<br>")}</p>${originalAsHtml(source)}`,
      text: `\n\n${header.join("\n")}\n\n${originalAsText(source)}`,
      attachments: source.attachments,
    };
  }
  const { to: rto, cc } = replyRecipients(source, me, mode === "replyAll");
  const thread = threadHeaders(source);
  const attribution = t("compose.wrote", { date, name: who });
  return {
    ...base,
    to: recipientsText(rto),
    cc: recipientsText(cc),
    subject: replySubject(source.subject),
    html: `<p><br></p><p>${escapeHtml(attribution)}</p><blockquote>${originalAsHtml(source)}</blockquote>`,
    text: quotePlain(originalAsText(source), attribution),
    attachments: quotedPictures(source),
    inReplyTo: thread.inReplyTo,
    references: thread.references,
    answering: source.answering,
  };
}
