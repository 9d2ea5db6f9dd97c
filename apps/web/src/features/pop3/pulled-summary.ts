import { formatAddress } from "@pismo/protocol/format";
import { parseMessage, type MessageView } from "@pismo/protocol/mime";
import type { SearchAddress } from "@pismo/protocol/search";
import { receivedFields } from "./message-row";

/**
 * What storing a pulled message needs of its parse: the row's fields, the addresses the
 * filters match, and the text the search indexes. Small and plain, so it crosses from the
 * parsing Worker cheaply (the parsed attachments stay there).
 */
export interface PulledSummary {
  fields: ReturnType<typeof receivedFields>;
  /** Filters match the sender as "Name <address>", so a rule may name either. */
  from: string;
  to: string[];
  text: SearchText;
}

/** What search reads of a message, kept as the message is stored (its text, parsed once). */
export interface SearchText {
  uid: string;
  from: SearchAddress[];
  to: SearchAddress[];
  cc: SearchAddress[];
  subject: string;
  body: string;
}

/** Bodies longer than this are indexed by their start: what people search for is near the top,
 * and a 5 MB text would make the index (kept in memory) large for little. */
const MAX_BODY_CHARS = 100_000;

/** The plain text of a body: the text part, or the HTML's text with tags and entities gone. */
export function bodyText(view: Pick<MessageView, "text" | "html">): string {
  if (view.text !== null) return view.text.slice(0, MAX_BODY_CHARS);
  if (view.html === null) return "";
  return view.html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/gi, " ")
    .replace(/&amp;/gi, "&")
    .replace(/&lt;/gi, "<")
    .replace(/&gt;/gi, ">")
    .replace(/&quot;/gi, '"')
    .replace(/&#(\d{1,8});/g, (_, n: string) => codePoint(Number(n)))
    .replace(/&#x([\da-f]{1,8});/gi, (_, n: string) => codePoint(parseInt(n, 16)))
    .slice(0, MAX_BODY_CHARS);
}

/** A numeric character reference's character; one that names no character (past U+10FFFF, a
 * lone surrogate, NUL) is U+FFFD, as HTML reads it. Mail is anybody's: `&#99999999;` must not
 * throw, or one message would stop every pull (stop 36). */
function codePoint(n: number): string {
  return n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : "\ufffd";
}

export function textOf(uid: string, view: MessageView): SearchText {
  const addr = (a: { name?: string | null; address?: string | null }): SearchAddress => ({
    ...(a.name ? { name: a.name } : {}),
    address: a.address ?? "",
  });
  return {
    uid,
    from: view.from ? [addr(view.from)] : [],
    to: view.to.map(addr),
    cc: view.cc.map(addr),
    subject: view.subject ?? "",
    body: bodyText(view),
  };
}

export async function summarizePulled(uid: string, raw: Uint8Array): Promise<PulledSummary> {
  try {
    const view = await parseMessage(raw);
    return {
      fields: receivedFields(view),
      from: formatAddress(view.from),
      to: [...view.to, ...view.cc].map(formatAddress),
      text: textOf(uid, view),
    };
  } catch {
    return unreadSummary(uid);
  }
}

/**
 * A message whose parse failed all the same: stored with an empty row (the reading pane and
 * "Show original" still have its bytes) rather than failing its batch, which would stop the
 * pull at this message every time, and the server would fill up behind it.
 */
export function unreadSummary(uid: string): PulledSummary {
  return {
    fields: {
      messageId: null,
      inReplyTo: null,
      references: [],
      from: "",
      fromAddress: "",
      to: "",
      subject: "",
      date: null,
      hasAttachment: false,
    },
    from: "",
    to: [],
    text: { uid, from: [], to: [], cc: [], subject: "", body: "" },
  };
}
