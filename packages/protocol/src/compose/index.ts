import type { Address } from "../schemas/address";
import { recipientSchema, type Draft } from "../schemas/compose";
import { isMessageId, messageIdsIn } from "../mime/header-values";
import { formatAddress } from "../format";

export { draftAttachmentSchema, draftSchema, emailAddressPattern, recipientSchema } from "../schemas/compose";
export type { Draft, DraftAttachment } from "../schemas/compose";
export * from "./send-later";
export * from "./undo-send-delay";
export { answeringOfDraftInfo, draftInfoValue, DRAFT_INFO_FIELD } from "./draft-info";
export { mentionsAttachment, writersOwnText } from "./attachment-mention";
export { MAX_ATTACHMENT_NAME, safeAttachmentName } from "./attachment-name";
/** Kept here too for callers that import it with the compose helpers. */
export { formatAddress };

/**
 * Writing mail: the pure rules of replying and
 * forwarding (RFC 5322 §3.6.4 for In-Reply-To and References; subject prefixes that do not
 * pile up, "Re: Re: Fwd:" being the classic failure).
 */

export function emptyDraft(): Draft {
  return {
    to: [],
    cc: [],
    bcc: [],
    subject: "",
    text: "",
    html: null,
    inReplyTo: null,
    references: [],
    attachments: [],
  };
}

// Reply and forward prefixes in the languages our users' correspondents write in.
const prefix = /^\s*((re|aw|sv|odg|odgovor|fw|fwd|wg|tr|prosl|proslijeđeno)\s*(\[\d+\])?\s*:\s*)+/i;

export function stripSubjectPrefixes(subject: string): string {
  return subject.replace(prefix, "").trim();
}

export function replySubject(subject: string): string {
  return `Re: ${stripSubjectPrefixes(subject)}`.trimEnd();
}

export function forwardSubject(subject: string): string {
  return `Fwd: ${stripSubjectPrefixes(subject)}`.trimEnd();
}

/**
 * What several messages forwarded together are about: their subject when they share one (a
 * thread, its replies' prefixes aside), or "" when they are about different things, for the
 * writer to name (Send asks for a subject).
 */
export function sharedSubject(subjects: readonly string[]): string {
  const bases = new Set(subjects.map((s) => stripSubjectPrefixes(s).toLowerCase()));
  return bases.size === 1 ? stripSubjectPrefixes(subjects[0]!) : "";
}

export interface ReplySource {
  messageId: string | null;
  references: string[];
  /** The parent's In-Reply-To, as its header has it: its thread when it has no References. */
  inReplyTo?: string | null;
  from: Address | null;
  replyTo: Address[];
  to: Address[];
  cc: Address[];
}

/** `value` trimmed when it is one msg-id, else null: a malformed one (spaces in it, no
 * brackets) would make the reply impossible to save or send. */
function messageIdOf(value: string | null | undefined): string | null {
  const id = value?.trim() ?? "";
  return isMessageId(id) ? id : null;
}

/**
 * RFC 5322 §3.6.4: References = the parent's References + its Message-ID; when the parent has
 * no References but an In-Reply-To of a single msg-id, that one + its Message-ID. Ids that are
 * not msg-ids are left out (a reply without them threads a little worse; one with them could
 * not go at all).
 */
export function threadHeaders(source: ReplySource): { inReplyTo: string | null; references: string[] } {
  const messageId = messageIdOf(source.messageId);
  const parentRefs = source.references.flatMap((r) => messageIdOf(r) ?? []);
  // In-Reply-To may name several messages (RFC 5322 allows it); only a single one starts the
  // thread. It stands in for References that are missing, or none of which was a msg-id.
  const repliedTo = messageIdsIn(source.inReplyTo ?? "");
  const refs = parentRefs.length > 0 ? parentRefs : repliedTo.length === 1 ? [repliedTo[0]!] : [];
  if (messageId && !refs.includes(messageId)) refs.push(messageId);
  // Keep the first and the most recent ones when a thread grows long (RFC 5322 allows trimming).
  const trimmed = refs.length > 20 ? [refs[0] as string, ...refs.slice(-19)] : refs;
  return { inReplyTo: messageId, references: trimmed };
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** To: Reply-To or From; with "all", Cc: everyone else on To and Cc, never the user. */
export function replyRecipients(
  source: ReplySource,
  me: string | readonly string[],
  all: boolean,
): { to: Address[]; cc: Address[] } {
  // Every address of the account's (its identities): a reply to all copies none of them, and
  // a message from any of them is one's own (Thunderbird's way). One address: the one replying.
  const mine = typeof me === "string" ? [me] : [...me];
  const primary = source.replyTo.length > 0 ? source.replyTo : source.from ? [source.from] : [];
  const fromMe = source.from !== null && mine.some((a) => same(source.from!.address, a));
  // Replying to one's own sent message goes to its original recipients.
  const to = fromMe ? source.to : primary;
  if (!all) return { to: dedupe(to, []), cc: [] };
  const taken = [...to.map((a) => a.address), ...mine];
  const cc = dedupe([...(fromMe ? [] : source.to), ...source.cc], taken);
  return { to: dedupe(to, mine), cc };
}

function dedupe(list: Address[], exclude: string[]): Address[] {
  const seen = new Set(exclude.map((a) => a.trim().toLowerCase()));
  const out: Address[] = [];
  for (const a of list) {
    const key = a.address.trim().toLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}

/** The quoted original under a reply: "> " per line (RFC 3676 style) after an attribution. */
export function quotePlain(text: string, attribution: string): string {
  const body = text.replace(/\r\n/g, "\n").replace(/\n+$/, "");
  return `\n\n${attribution}\n${body
    .split("\n")
    .map((line) => (line.startsWith(">") ? `>${line}` : `> ${line}`))
    .join("\n")}\n`;
}

/**
 * One recipient as a recipient field holds it, "Name <address>", so that parseAddressList reads
 * back exactly this one address: a display name is anybody's to write, and one such as
 * `Accounts <ceo@victim.example>, Team` would otherwise become two recipients on Reply. The
 * characters the field splits or reads addresses by (and line breaks) become spaces.
 */
export function recipientEntry(a: Address): string {
  const name = a.name
    .replace(/[,;"<>\r\n]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return name ? `${name} <${a.address}>` : a.address;
}

/** Parses "Name <a@b>, c@d; e@f" as typed into a recipient field. */
export function parseAddressList(input: string): { valid: Address[]; invalid: string[] } {
  const valid: Address[] = [];
  const invalid: string[] = [];
  for (const raw of input
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const angle = /^(.*?)<([^<>\s]+@[^<>\s]+)>$/.exec(raw);
    const name = angle ? (angle[1] ?? "").trim().replace(/^"|"$/g, "") : "";
    const address = angle ? (angle[2] ?? "") : raw;
    if (recipientSchema.safeParse({ name, address }).success) valid.push({ name, address });
    else invalid.push(raw);
  }
  return { valid, invalid };
}
