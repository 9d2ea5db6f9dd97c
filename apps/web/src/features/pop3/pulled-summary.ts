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
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .slice(0, MAX_BODY_CHARS);
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
  const view = await parseMessage(raw);
  return {
    fields: receivedFields(view),
    from: formatAddress(view.from),
    to: [...view.to, ...view.cc].map(formatAddress),
    text: textOf(uid, view),
  };
}
