import type { TFunction } from "i18next";
import { emptyDraft, forwardSubject, quotePlain, replyRecipients, replySubject, threadHeaders, type Draft } from "@pismo/protocol/compose";
import type { MessageDetail } from "@pismo/protocol/schemas";
import { formatFullDate } from "@pismo/protocol/format";
import { recipientsText } from "./recipient-field";

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
  answering: { folder: string; uid: number } | null;
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function originalAsHtml(m: MessageDetail): string {
  return m.body.kind === "html" ? m.body.content : `<div style="white-space:pre-wrap">${escapeHtml(m.body.content)}</div>`;
}

function originalAsText(m: MessageDetail): string {
  if (m.body.kind === "text") return m.body.content;
  const doc = new DOMParser().parseFromString(m.body.content, "text/html");
  return doc.body.innerText || doc.body.textContent || "";
}

export function fieldsFromDraft(d: Draft, rich: boolean): ComposeFields {
  return {
    to: recipientsText(d.to), cc: recipientsText(d.cc), bcc: recipientsText(d.bcc), subject: d.subject,
    html: d.html ?? "", text: d.text, rich, attachments: d.attachments, inReplyTo: d.inReplyTo, references: d.references, answering: null,
  };
}

/** The starting fields of a new message, a reply, a reply to all or a forward. */
export function initialFields(mode: "new" | "reply" | "replyAll" | "forward", source: MessageDetail | null, me: string, t: TFunction, locale: string, to = ""): ComposeFields {
  const base = fieldsFromDraft(emptyDraft(), true);
  if (mode === "new" || !source) return { ...base, to };
  const who = source.from ? source.from.name || source.from.address : "";
  const date = formatFullDate(source.date, locale);
  if (mode === "forward") {
    const header = [t("compose.forwarded"), `${t("mail.from")}: ${source.from ? `${source.from.name} <${source.from.address}>` : ""}`, `${t("mail.date")}: ${date}`, `${t("compose.subject")}: ${source.subject}`, `${t("mail.to")}: ${recipientsText(source.to)}`];
    return {
      ...base,
      subject: forwardSubject(source.subject),
      html: `<p><br></p><p>${header.map(escapeHtml).join("<br>")}</p>${originalAsHtml(source)}`,
      text: `\n\n${header.join("\n")}\n\n${originalAsText(source)}`,
      // Forwarded attachments stay on the server: the gateway streams them from IMAP to SMTP.
      attachments: source.attachments.filter((a) => !a.inline || !a.contentId).map((a) => ({ kind: "forward" as const, folder: source.folder, uid: source.uid, part: a.part, filename: a.filename || `attachment-${a.part}`, contentType: a.mimeType, size: a.size })),
    };
  }
  const { to: rto, cc } = replyRecipients({ ...source, references: source.references }, me, mode === "replyAll");
  const thread = threadHeaders({ ...source, references: source.references });
  const attribution = t("compose.wrote", { date, name: who });
  return {
    ...base,
    to: recipientsText(rto),
    cc: recipientsText(cc),
    subject: replySubject(source.subject),
    html: `<p><br></p><p>${escapeHtml(attribution)}</p><blockquote>${originalAsHtml(source)}</blockquote>`,
    text: quotePlain(originalAsText(source), attribution),
    inReplyTo: thread.inReplyTo,
    references: thread.references,
    answering: { folder: source.folder, uid: source.uid },
  };
}
