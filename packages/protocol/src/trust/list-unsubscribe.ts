// How a message says to take its reader off its list: RFC 2369's List-Unsubscribe (URIs in
// angle brackets, the sender's preference first). Hostile mail writes it too: only mailto:
// and http(s): are taken, each within bounds, so a javascript: or data: URI never reaches a
// link. RFC 8058's one-click POST is not made: the page's CSP sends nothing to other sites,
// and the gateway connects only to the mail servers it is allowed; the web page is opened
// instead, where the sender asks to confirm (RFC 8058 §3.2: a GET must not unsubscribe).

import { fieldValues, type HeaderField } from "./header-fields";

/** The ways to leave the list the message offers; null: it offers none that Pismo can use. */
export interface Unsubscribe {
  /** An unsubscribe message to send: to one address, with the subject and text it asks for. */
  mailto: { address: string; subject: string | null; body: string | null } | null;
  /** A web page that takes the reader off the list (opened in a new tab), https or http. */
  web: string | null;
}

/** Longer URIs are not taken: a real one is a few hundred characters. */
export const MAX_UNSUBSCRIBE_URI = 2048;
/** Longer texts asked for in a mailto: are cut (the unsubscribe message needs a word or two). */
const MAX_MAILTO_TEXT = 1000;

const ADDRESS =
  /^[^\s@<>(),;:"\\[\]]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** The List-Unsubscribe field's URIs, in its order; the first field only (RFC 2369 allows one). */
function uris(value: string): string[] {
  const out: string[] = [];
  for (const match of value.matchAll(/<([^<>]*)>/g)) {
    // Folding may have put spaces inside a long URI (RFC 2369 §2): they are not part of it.
    const uri = (match[1] ?? "").replace(/\s+/g, "");
    if (uri !== "" && uri.length <= MAX_UNSUBSCRIBE_URI) out.push(uri);
  }
  return out;
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, "%20"));
  } catch {
    return null;
  }
}

/** A mailto: URI (RFC 6068) as one address with its subject and body, or null. */
function mailtoOf(uri: string): Unsubscribe["mailto"] {
  const rest = uri.slice("mailto:".length);
  const query = rest.indexOf("?");
  const to = decode(query < 0 ? rest : rest.slice(0, query));
  const address = to?.split(",")[0]?.trim() ?? "";
  if (!ADDRESS.test(address)) return null;
  let subject: string | null = null;
  let body: string | null = null;
  if (query >= 0)
    for (const pair of rest.slice(query + 1).split("&")) {
      const eq = pair.indexOf("=");
      const name = (eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
      const value = eq < 0 ? "" : (decode(pair.slice(eq + 1)) ?? "");
      // One line for the subject (a header field); the text as asked, within bounds.
      if (name === "subject") subject = value.replace(/[\r\n]+/g, " ").slice(0, MAX_MAILTO_TEXT);
      else if (name === "body") body = value.slice(0, MAX_MAILTO_TEXT);
    }
  return { address: address.toLowerCase(), subject, body };
}

/** An http(s) URL with a host, as the browser will read it; null for anything else. */
function webOf(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.hostname === "") return null;
  // user:password@ in a link hides where it goes (https://bank.example@evil.example/).
  if (url.username !== "" || url.password !== "") return null;
  return url.href;
}

/** What List-Unsubscribe offers: the first usable URI of each kind. */
export function unsubscribeOf(headers: readonly HeaderField[]): Unsubscribe | null {
  const field = fieldValues(headers, "list-unsubscribe")[0];
  if (field === undefined) return null;
  let mailto: Unsubscribe["mailto"] = null;
  let web: string | null = null;
  for (const uri of uris(field)) {
    if (/^mailto:/i.test(uri)) mailto ??= mailtoOf(uri);
    else web ??= webOf(uri);
  }
  return mailto === null && web === null ? null : { mailto, web };
}
