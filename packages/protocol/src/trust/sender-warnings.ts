// People who are not who they say: the ways a message dresses up as someone the reader
// trusts. Each check leaves the ordinary cases alone: a mailing list's "Alice via List"
// and its Reply-To to the list, a contact writing from an address the reader knows.

import { addressParser } from "postal-mime";
import { domainOfAddress, findLookalikeHost, organizationalDomain, sameOrganization } from "./domains";
import type { LookalikeHost } from "./domains";
import { fieldValues, firstFieldValue } from "./header-fields";
import type { HeaderField } from "./header-fields";

/** A display name and address (the shape of MessageView's Address). */
export interface NamedAddress {
  name: string;
  address: string;
}

export type SenderWarning =
  /** The display name shows an address of another organization than the real sender ("PayPal <service@paypal.com>" <x@evil.example>). */
  | { kind: "name-shows-other-address"; shownAddress: string; actualAddress: string }
  /** The display name is a contact's name, but the address is not one the reader knows for that contact. */
  | { kind: "contact-name-new-address"; contactName: string; knownAddresses: string[]; actualAddress: string }
  /** Replies go to another organization than the sender's. */
  | { kind: "reply-to-other-domain"; replyTo: string; replyToDomain: string; fromDomain: string }
  /** The sender's domain is an internationalized name that imitates another; show it in `ascii` (punycode). */
  | ({ kind: "lookalike-domain" } & LookalikeHost);

/** What the list headers say (RFC 2919 List-Id, RFC 2369 List-Post). */
export interface ListInfo {
  /** The List-Id identifier without angle brackets ("dev.lists.example.org"), or null. */
  id: string | null;
  /** The posting address from List-Post's mailto:, lower-case, or null. */
  postAddress: string | null;
}

export interface SenderCheckInput {
  /** The (first) From mailbox, or null when the message has none. */
  from: NamedAddress | null;
  replyTo: readonly NamedAddress[];
  list: ListInfo | null;
  /** The To and Cc addresses: a Reply-To among them sends the answer where the message went (an old-style list, a thread). */
  recipients: readonly NamedAddress[];
  /** The reader's contacts, one entry per address (a person with two addresses has two entries). */
  contacts: readonly NamedAddress[];
  /** The domain a verified verdict speaks for, when the sender is verified: then the domain's owner chose the Reply-To. */
  verifiedDomain?: string | null;
}

// Local parts that say "do not answer this address": a notice sent on someone's behalf
// (an invitation, a shared document) names that someone in Reply-To.
const NO_REPLY = /no[-_]?reply|do[-_]?not[-_]?reply/i;

// An address written inside a display name; the name may wrap it in <>, quotes or brackets.
const ADDRESS_IN_TEXT = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

/** A name as people compare names: case, accents, punctuation and word order do not matter. */
function nameKey(name: string): string {
  const words = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/giu, "dj")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(" ")
    .filter((word) => word !== "");
  return words.sort().join(" ");
}

/** A name specific enough to recognise a person by: two words of two letters or more. */
function isPersonalName(key: string): boolean {
  return key.split(" ").filter((word) => word.length >= 2).length >= 2;
}

function isListAddress(address: string, list: ListInfo | null): boolean {
  if (!list) return false;
  const normalized = normalizeAddress(address);
  if (list.postAddress !== null && normalized === list.postAddress) return true;
  const domain = domainOfAddress(normalized);
  const listDomain = list.id === null ? null : (/[^.]+\.(.+)$/.exec(list.id)?.[1] ?? null);
  // List-Id is "name.list-host": the list's own mail comes from an address at that host.
  return domain !== null && listDomain !== null && sameOrganization(domain, listDomain);
}

/** The warnings for a sender, from already parsed addresses. */
export function checkSender(input: SenderCheckInput): SenderWarning[] {
  const { from, replyTo, list, recipients, contacts, verifiedDomain } = input;
  const warnings: SenderWarning[] = [];
  if (!from) return warnings;
  const actual = normalizeAddress(from.address);
  const fromDomain = domainOfAddress(actual);
  const knownAddresses = new Set(contacts.map((contact) => normalizeAddress(contact.address)));
  const fromList = isListAddress(actual, list);

  // A list writing on a poster's behalf ("'alice@example.com' via Friends") shows the
  // poster's address in the name: that is the list being honest, not a disguise.
  if (!fromList) {
    for (const match of from.name.matchAll(ADDRESS_IN_TEXT)) {
      const shown = normalizeAddress(match[0]);
      const shownDomain = domainOfAddress(shown);
      if (shown === actual || shownDomain === null || fromDomain === null) continue;
      if (sameOrganization(shownDomain, fromDomain)) continue;
      warnings.push({ kind: "name-shows-other-address", shownAddress: shown, actualAddress: actual });
      break;
    }
  }

  const key = nameKey(from.name);
  if (!knownAddresses.has(actual) && !fromList && isPersonalName(key)) {
    const namesakes = contacts.filter((contact) => nameKey(contact.name) === key);
    if (namesakes.length > 0) {
      warnings.push({
        kind: "contact-name-new-address",
        contactName: namesakes[0]?.name ?? from.name,
        knownAddresses: [...new Set(namesakes.map((contact) => normalizeAddress(contact.address)))],
        actualAddress: actual,
      });
    }
  }

  const recipientAddresses = new Set(recipients.map((entry) => normalizeAddress(entry.address)));
  const replyToIsTheirs =
    list !== null ||
    knownAddresses.has(actual) ||
    NO_REPLY.test(actual.split("@")[0] ?? "") ||
    (typeof verifiedDomain === "string" &&
      fromDomain !== null &&
      sameOrganization(verifiedDomain, fromDomain));
  if (fromDomain !== null && !replyToIsTheirs) {
    for (const entry of replyTo) {
      const address = normalizeAddress(entry.address);
      const domain = domainOfAddress(address);
      if (domain === null || knownAddresses.has(address) || recipientAddresses.has(address)) continue;
      if (sameOrganization(domain, fromDomain)) continue;
      warnings.push({
        kind: "reply-to-other-domain",
        replyTo: address,
        replyToDomain: organizationalDomain(domain),
        fromDomain: organizationalDomain(fromDomain),
      });
      break;
    }
  }

  if (fromDomain !== null) {
    const lookalike = findLookalikeHost(fromDomain);
    if (lookalike) warnings.push({ kind: "lookalike-domain", ...lookalike });
  }
  return warnings;
}

/** List-Id and List-Post of a message, or null when it has neither. */
export function listInfoOf(headers: readonly HeaderField[]): ListInfo | null {
  const listId = firstFieldValue(headers, "list-id");
  const listPost = firstFieldValue(headers, "list-post");
  if (listId === null && listPost === null) return null;
  const id = listId === null ? null : (/<([^<>\s]+)>/.exec(listId)?.[1] ?? listId.trim()).toLowerCase();
  const post = listPost === null ? null : (/<mailto:([^>?\s]+)/i.exec(listPost)?.[1] ?? null);
  return { id, postAddress: post === null ? null : decodeURIComponentSafe(post).toLowerCase() };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function mailboxes(headers: readonly HeaderField[], name: string): NamedAddress[] {
  return fieldValues(headers, name).flatMap((value) =>
    addressParser(value, { flatten: true }).map((mailbox) => ({
      name: mailbox.name,
      address: mailbox.address ?? "",
    })),
  );
}

/** The warnings for a message's sender, from its header fields (From, Reply-To, List-Id, List-Post). */
export function senderWarnings(
  headers: readonly HeaderField[],
  options: { contacts: readonly NamedAddress[]; verifiedDomain?: string | null },
): SenderWarning[] {
  return checkSender({
    from: mailboxes(headers, "from")[0] ?? null,
    replyTo: mailboxes(headers, "reply-to"),
    list: listInfoOf(headers),
    recipients: [...mailboxes(headers, "to"), ...mailboxes(headers, "cc")],
    contacts: options.contacts,
    verifiedDomain: options.verifiedDomain ?? null,
  });
}
