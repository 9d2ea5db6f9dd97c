import { escapeHtml } from "../html/escape";
import type { Address } from "../schemas/address";
import type { Identity, IdentitySettings, Signature, SignaturePlacement } from "./schema";

// The schemas live apart from the pure helpers below, so that code which only needs a helper
// (the mail view's default identity) does not bring zod into the browser's first load.
export {
  identitySchema,
  identitySettingsSchema,
  parseIdentitySettings,
  signaturePlacementSchema,
  signatureSchema,
} from "./schema";
export type {
  Identity,
  IdentitySettings,
  ParsedIdentitySettings,
  Signature,
  SignaturePlacement,
} from "./schema";

/** Where an IMAP account's settings are kept on the server (RFC 5464 private entry). */
export const IDENTITIES_METADATA_ENTRY = "/private/vendor/pismo/identities";
/** The folder of the settings message on servers without METADATA. */
export const SETTINGS_FOLDER = "Pismo";
/** The settings message's Subject, by which it is found in that folder. */
export const SETTINGS_SUBJECT = "Pismo settings: identities";
/** The `version` of an IMAP account's identities when none are stored (identities.get): a page
 * that read none sends it with its save, which is then refused once another device saved some. */
export const NO_IDENTITIES_VERSION = "none";

/** The settings of an account that has saved none: its own address, no name, no signature. */
export function defaultIdentitySettings(accountEmail: string): IdentitySettings {
  return {
    version: 1,
    identities: [
      { id: "primary", name: "", address: accountEmail, replyTo: "", signature: { text: "", html: null } },
    ],
    signaturePlacement: "below",
  };
}

const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export interface ReceivedMessage {
  to: Address[];
  cc: Address[];
  /** Delivered-To / X-Original-To when known: the address it really reached (Bcc, aliases). */
  deliveredTo?: string[];
}

/**
 * The identity a reply is sent from: the one the message was sent to (To, then Cc, then the
 * delivery address), so a message to the user's work address is answered from it; else the
 * default (the first identity).
 */
export function pickReplyIdentity<T extends Pick<Identity, "address">>(
  identities: readonly T[],
  message: ReceivedMessage,
): T | null {
  const candidates = [
    ...message.to.map((a) => a.address),
    ...message.cc.map((a) => a.address),
    ...(message.deliveredTo ?? []),
  ];
  for (const candidate of candidates) {
    const found = identities.find((i) => sameAddress(i.address, candidate));
    if (found) return found;
  }
  return identities[0] ?? null;
}

/** From as it goes on the wire: the identity's name and address. */
export function senderOf(identity: Pick<Identity, "name" | "address">): Address {
  return { name: identity.name.trim(), address: identity.address.trim() };
}

/** Reply-To for the identity, or none. */
export function replyToOf(identity: Pick<Identity, "replyTo">): Address[] {
  return identity.replyTo.trim() ? [{ name: "", address: identity.replyTo.trim() }] : [];
}

/** The signature separator line (RFC 3676 §4.3): dash, dash, space. */
export const SIGNATURE_SEPARATOR = "-- ";

/** The plain signature block: the separator line, then the signature; "" for none. */
export function plainSignatureBlock(signature: Signature): string {
  const text = signature.text.replace(/\r\n?/g, "\n").replace(/\s+$/, "");
  if (!text) return "";
  // Someone who typed the separator themselves does not get it twice.
  const body = text.startsWith(`${SIGNATURE_SEPARATOR}\n`)
    ? text.slice(SIGNATURE_SEPARATOR.length + 1)
    : text;
  return `${SIGNATURE_SEPARATOR}\n${body}`;
}

/**
 * The rich signature block: the same separator, then the rich signature, or the plain one as
 * HTML. `sanitize` is the compose HTML policy of the caller's document: the signature is HTML
 * the user wrote and gets the same treatment as the rest of the message.
 */
export function htmlSignatureBlock(signature: Signature, sanitize: (html: string) => string): string {
  const rich = signature.html?.trim() ? sanitize(signature.html) : "";
  const plain = plainSignatureBlock(signature);
  if (!rich && !plain) return "";
  const content = rich || escapeHtml(plain.slice(SIGNATURE_SEPARATOR.length + 1)).replace(/\n/g, "<br>");
  return `<div data-signature="">${escapeHtml(SIGNATURE_SEPARATOR)}<br>${content}</div>`;
}

/** Where the user starts writing in a rich body: an empty paragraph (as initial drafts begin). */
const EMPTY_PARAGRAPH = "<p><br></p>";

/**
 * The starting plain body with the signature block in it. New mail (an empty body): after
 * the empty lines the user writes on. A reply or forward (the quote after two empty lines):
 * above the quote, where the user writes, or below it, as chosen.
 */
export function signPlainBody(body: string, block: string, placement: SignaturePlacement): string {
  if (!block) return body;
  if (!body.trim()) return `\n\n${block}\n`;
  if (placement === "above") return `\n\n${block}\n${body.startsWith("\n") ? body : `\n\n${body}`}`;
  return `${body.replace(/\n+$/, "")}\n\n${block}\n`;
}

/** The same for a rich body: the signature block after the first empty paragraph, or at the end. */
export function signHtmlBody(body: string, block: string, placement: SignaturePlacement): string {
  if (!block) return body;
  const rest = body.startsWith(EMPTY_PARAGRAPH) ? body.slice(EMPTY_PARAGRAPH.length) : body;
  if (!rest.trim()) return `${EMPTY_PARAGRAPH}${block}`;
  if (placement === "above") return `${EMPTY_PARAGRAPH}${block}${rest}`;
  return `${EMPTY_PARAGRAPH}${rest}${block}`;
}

/**
 * Plain text written as another sender: the signature block `before` (the old sender's) gives its
 * place to `after`, the last time it stands there. A text without it keeps none: the writer
 * deleted it. One written with no signature at all (`before` empty) gets the new one where a
 * message starts with it (signPlainBody): at its end, or with `placement` "above" (the caller's
 * for a reply), above the quote it ends with and its attribution line ("… wrote:"), below what
 * the writer wrote.
 */
export function swapPlainSignature(
  text: string,
  before: string,
  after: string,
  placement: SignaturePlacement = "below",
): string {
  const at = before ? text.lastIndexOf(before) : -1;
  if (at >= 0) return text.slice(0, at) + after + text.slice(at + before.length);
  if (!after || before) return text;
  const atEnd = `${text.replace(/\n+$/, "")}\n\n${after}\n`;
  if (placement === "below") return atEnd;
  // The reply's quote: the ">" lines the text ends with (a writer's own ">" line further up is
  // not it), and its attribution, the line just above them when there is one.
  const lines = text.replace(/\n+$/, "").split("\n");
  let first = lines.length;
  while (first > 0 && lines[first - 1]!.startsWith(">")) first -= 1;
  if (first === lines.length) return atEnd;
  const start = first > 0 && lines[first - 1]!.trim() !== "" ? first - 1 : first;
  const written = lines.slice(0, start).join("\n").replace(/\n+$/, "");
  const rest = text.split("\n").slice(start).join("\n");
  return `${written ? `${written}\n\n` : "\n\n"}${after}\n\n${rest}`;
}

/**
 * The plain alternative of rich mail is the editor's text, and the browser drops the trailing
 * space of "-- " there (CSS white-space collapsing at a line break), so readers would no longer
 * see a signature separator: the last line that is "--" alone (or with a no-break space) is
 * made "-- " again.
 */
export function restoreSignatureSeparator(text: string): string {
  const lines = text.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^--[\u00a0 ]?\r?$/.test(lines[i] ?? "")) {
      lines[i] = SIGNATURE_SEPARATOR;
      break;
    }
  }
  return lines.join("\n");
}
