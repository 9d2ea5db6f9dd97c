import type { Address } from "../schemas/address";
import type { AddressBook, Contact } from "./address-book-schema";
import { recordUse, type FrecencyState, type UseKind } from "./frecency";
import { randomId } from "../ids";

/**
 * The address book: contacts the user keeps (name, addresses, note, the groups they are in)
 * and, apart from them, how often and how recently each address was used. Addresses met in
 * mail the user sends or reads become contacts by themselves; the user edits or deletes them
 * like any other (automatic senders such as no-reply@ excepted). Pure data and functions: the app stores it (IMAP and POP3 alike).
 */

export { addressBookSchema, contactSchema, removedContactSchema, usageSchema } from "./address-book-schema";
export type { AddressBook, Contact, RemovedContact, Usage } from "./address-book-schema";
export { readAddressBook } from "./read-address-book";

/** Kept addresses of use: the least used go first when there are more. */
export const MAX_USAGE = 2000;
/** Remembered removals: the newest are kept (an older one can at worst bring back a contact). */
export const MAX_REMOVED = 500;

export function emptyAddressBook(): AddressBook {
  return { contacts: [], usage: [] };
}

/** Senders nobody writes back to: read from, they never become contacts. */
const UNANSWERABLE = /^(no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?)([+.@-]|$)/i;

export function addressKey(address: string): string {
  return address.trim().toLowerCase();
}

export function newContactId(): string {
  return `c-${randomId()}`;
}

export function usageMap(book: AddressBook): Map<string, FrecencyState> {
  return new Map(book.usage.map((u) => [u.address, u]));
}

/** The contact holding this address, if any. */
export function contactFor(book: AddressBook, address: string): Contact | undefined {
  const key = addressKey(address);
  return book.contacts.find((c) => c.emails.some((e) => addressKey(e) === key));
}

/**
 * The addresses of a message the user sent or read: each use counts for the ranking, and an
 * address no contact holds becomes a contact, named as the message named it, marked
 * `collected` until a person edits it. A contact without a name takes the one the message
 * gives. `self` (the user's own addresses) is skipped.
 */
export function noteAddresses(
  book: AddressBook,
  addresses: readonly Address[],
  kind: UseKind,
  now: number,
  opts: { self?: readonly string[]; newId?: () => string } = {},
): AddressBook {
  const self = new Set((opts.self ?? []).map(addressKey));
  const usage = usageMap(book);
  let contacts = book.contacts;
  const seen = new Set<string>();
  for (const a of addresses) {
    const key = addressKey(a.address);
    if (!key.includes("@") || self.has(key) || seen.has(key)) continue;
    if (kind === "read" && UNANSWERABLE.test(key)) continue;
    seen.add(key);
    usage.set(key, recordUse(usage.get(key), kind, now));
    const name = a.name.trim();
    const holder = contacts.find((c) => c.emails.some((e) => addressKey(e) === key));
    if (!holder) {
      contacts = [
        ...contacts,
        {
          id: (opts.newId ?? newContactId)(),
          name,
          emails: [a.address.trim()],
          note: "",
          groups: [],
          edited: now,
          collected: true,
        },
      ];
    } else if (!holder.name && name) {
      // Dated only on a collected contact: on one a person edited, a newer date would have
      // this copy win whole over that person's later edit made on another device.
      contacts = contacts.map((c) =>
        c !== holder ? c : c.collected ? { ...c, name, edited: now } : { ...c, name },
      );
    }
  }
  const list = [...usage].map(([address, s]) => ({ address, score: s.score, last: s.last, count: s.count }));
  if (list.length > MAX_USAGE) list.sort((x, y) => y.last - x.last).splice(MAX_USAGE);
  return { ...book, contacts, usage: list };
}

/** Adds a contact or replaces the one with its id: a person's edit, no longer `collected`. */
export function saveContact(book: AddressBook, contact: Contact, now: number = Date.now()): AddressBook {
  const { collected: _collected, ...fields } = contact;
  const clean: Contact = {
    ...fields,
    edited: now,
    name: contact.name.trim(),
    emails: unique(contact.emails.map((e) => e.trim()).filter(Boolean)),
    note: contact.note.trim(),
    groups: unique(contact.groups.map((g) => g.trim()).filter(Boolean)),
  };
  const exists = book.contacts.some((c) => c.id === contact.id);
  // Saved again (Undo after Delete): no longer removed.
  const { removed: wasRemoved, ...rest } = book;
  const removed = wasRemoved?.filter((r) => r.id !== contact.id) ?? [];
  return {
    ...rest,
    ...(removed.length > 0 ? { removed } : {}),
    contacts: exists
      ? book.contacts.map((c) => (c.id === contact.id ? clean : c))
      : [...book.contacts, clean],
  };
}

/** Removes a contact, and remembers the removal (see removedContactSchema). */
export function deleteContact(book: AddressBook, id: string, now: number = Date.now()): AddressBook {
  const gone = book.contacts.find((c) => c.id === id);
  if (!gone) return book;
  const removed = [
    ...(book.removed ?? []).filter((r) => r.id !== id),
    { id, addresses: gone.emails.map(addressKey), at: now },
  ];
  if (removed.length > MAX_REMOVED) removed.sort((x, y) => y.at - x.at).splice(MAX_REMOVED);
  return { ...book, contacts: book.contacts.filter((c) => c.id !== id), removed };
}

function unique(list: readonly string[]): string[] {
  const seen = new Set<string>();
  return list.filter((x) => {
    const k = x.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Every group name, sorted, with its members' count. */
export function groupNames(book: AddressBook): Array<{ name: string; members: number }> {
  const counts = new Map<string, { name: string; members: number }>();
  for (const c of book.contacts)
    for (const g of c.groups) {
      const k = g.toLowerCase();
      const entry = counts.get(k) ?? { name: g, members: 0 };
      entry.members += 1;
      counts.set(k, entry);
    }
  return [...counts.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A group as recipients: the first address of each member (a group names people, not boxes). */
export function expandGroup(book: AddressBook, group: string): Address[] {
  const k = group.trim().toLowerCase();
  return book.contacts
    .filter((c) => c.emails.length > 0 && c.groups.some((g) => g.toLowerCase() === k))
    .map((c) => ({ name: c.name, address: c.emails[0] ?? "" }));
}

/**
 * Imported contacts join the book: one that shares an address with a kept contact adds its
 * other addresses, groups, and its name and note where the kept one has none; the rest are
 * added. Counts what happened so the user can be told.
 */
export function mergeContacts(
  book: AddressBook,
  incoming: ReadonlyArray<Omit<Contact, "id">>,
  newId: () => string = newContactId,
): { book: AddressBook; added: number; updated: number } {
  let next = book;
  let added = 0;
  let updated = 0;
  for (const c of incoming) {
    const match = c.emails.map((e) => contactFor(next, e)).find((x) => x !== undefined);
    if (match) {
      next = saveContact(next, {
        ...match,
        name: match.name || c.name,
        note: match.note || c.note,
        emails: [...match.emails, ...c.emails],
        groups: [...match.groups, ...c.groups],
      });
      updated += 1;
    } else {
      next = saveContact(next, { ...c, id: newId() });
      added += 1;
    }
  }
  return { book: next, added, updated };
}
