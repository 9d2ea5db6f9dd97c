import type { Address as PostalAddress, Email } from "postal-mime";
import { isKnownCharset, normalizeCharsetLabel } from "./charset";
import type { NoteList } from "./notes";
import type { Address, MessageView, MimeNote } from "./view";

// The header fields of a view: addresses without bidirectional controls, the date in ISO
// form, References as ids, and a note for each encoded word in an unknown charset.

// Bidirectional overrides in a display name can make "gro.evil@bank.com" read as a bank.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F]/g;

export function toAddresses(list: PostalAddress[] | PostalAddress | undefined): Address[] {
  if (!list) return [];
  const out: Address[] = [];
  const push = (name: string, address: string | undefined): void => {
    if (!address) return;
    out.push({
      name: name.replace(BIDI_CONTROLS, "").trim(),
      address: address.replace(BIDI_CONTROLS, "").trim(),
    });
  };
  for (const entry of Array.isArray(list) ? list : [list]) {
    if (entry.group) for (const member of entry.group) push(member.name, member.address);
    else push(entry.name, entry.address);
  }
  return out;
}

function firstHeader(email: Email, key: string): string | null {
  const value = email.headers.find((header) => header.key === key)?.value;
  return value === undefined || value === "" ? null : value;
}

function parseReferences(value: string | undefined): string[] {
  if (!value) return [];
  const ids = value.match(/<[^<>\s]+>/g);
  return (ids ?? value.split(/[\s,]+/)).filter((id) => id !== "").slice(0, 200);
}

function toIsoDate(value: string | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function noteUnknownWordCharsets(email: Email, notes: NoteList): void {
  for (const header of email.headers) {
    for (const match of header.value.matchAll(/=\?([^?\s]+)\?[QqBb]\?/g)) {
      const label = normalizeCharsetLabel(match[1] ?? "");
      if (!isKnownCharset(label)) {
        notes.add({
          code: "UNKNOWN_CHARSET",
          detail: `The ${header.key} header uses unknown charset "${label.slice(0, 64)}".`,
          charset: label.slice(0, 64),
        });
      }
    }
  }
}

export function emptyView(notes: MimeNote[]): MessageView {
  return {
    messageId: null,
    subject: null,
    from: null,
    sender: null,
    replyTo: [],
    to: [],
    cc: [],
    bcc: [],
    date: null,
    inReplyTo: null,
    references: [],
    text: null,
    html: null,
    attachments: [],
    notes,
  };
}

export function headerView(email: Email, notes: NoteList): MessageView {
  noteUnknownWordCharsets(email, notes);
  return {
    ...emptyView(notes.items),
    messageId: email.messageId ?? null,
    subject: email.subject ?? null,
    from: toAddresses(email.from)[0] ?? null,
    sender: toAddresses(email.sender)[0] ?? null,
    replyTo: toAddresses(email.replyTo),
    to: toAddresses(email.to),
    cc: toAddresses(email.cc),
    bcc: toAddresses(email.bcc),
    date: toIsoDate(firstHeader(email, "date") ?? undefined),
    inReplyTo: email.inReplyTo ?? null,
    references: parseReferences(email.references),
  };
}
