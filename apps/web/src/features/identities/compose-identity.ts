import type { Draft } from "@pismo/protocol/compose";
import {
  htmlSignatureBlock,
  pickReplyIdentity,
  plainSignatureBlock,
  replyToOf,
  restoreSignatureSeparator,
  senderOf,
  signHtmlBody,
  signPlainBody,
  type Identity,
  type IdentitySettings,
} from "@pismo/protocol/identities";
import type { ComposeFields, ComposeSource } from "../compose/initial-draft";

/**
 * Which identity a message starts from, and its signature in the starting body. A reply (or a
 * forward) is written from the address the message was sent to; new mail from the default.
 */
export function startingIdentity(settings: IdentitySettings, source: ComposeSource | null): Identity {
  const fallback = settings.identities[0] as Identity;
  return source ? (pickReplyIdentity(settings.identities, source) ?? fallback) : fallback;
}

/**
 * The starting fields with the identity chosen and its signature put in: `build` makes the
 * fields (new, reply, forward) for the identity's address as "me" (so a reply to all leaves
 * it out); `sanitize` is the compose HTML policy the rich signature goes through.
 */
export function signedStart(
  settings: IdentitySettings,
  source: ComposeSource | null,
  build: (me: string) => ComposeFields,
  sanitize: (html: string) => string,
): ComposeFields {
  const identity = startingIdentity(settings, source);
  const fields = build(identity.address);
  const placement = settings.signaturePlacement;
  return {
    ...fields,
    fromId: identity.id,
    text: signPlainBody(fields.text, plainSignatureBlock(identity.signature), placement),
    html: signHtmlBody(fields.html, htmlSignatureBlock(identity.signature, sanitize), placement),
  };
}

/** The text to send: in rich mode the editor's text, with the signature separator's space
 * restored (see restoreSignatureSeparator). */
export function draftText(fields: ComposeFields): string {
  return fields.rich ? restoreSignatureSeparator(fields.text) : fields.text;
}

/** From and Reply-To for the draft, from the identity chosen; nothing (the account's own
 * address) when it is not among the identities any more. */
export function draftSender(
  fields: ComposeFields,
  settings: IdentitySettings,
): Pick<Draft, "from" | "replyTo"> {
  const identity = settings.identities.find((i) => i.id === fields.fromId);
  if (!identity) return {};
  const replyTo = replyToOf(identity);
  return { from: senderOf(identity), ...(replyTo.length > 0 ? { replyTo } : {}) };
}

/** A draft reopened from the server: the identity whose address it is From, if any. */
export function reopenedIdentity(
  from: { address: string } | null,
  settings: IdentitySettings,
): Pick<ComposeFields, "fromId"> {
  const address = from?.address.trim().toLowerCase();
  const identity = address ? settings.identities.find((i) => i.address.toLowerCase() === address) : undefined;
  return identity ? { fromId: identity.id } : {};
}
