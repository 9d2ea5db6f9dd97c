import {
  MAX_REMOVED,
  MAX_USAGE,
  addressKey,
  type AddressBook,
  type Contact,
  type RemovedContact,
  type Usage,
} from "./address-book";
import { frecency } from "./frecency";

/**
 * An IMAP account's address book kept on its server, so that every device completes the same
 * names: the whole book as one JSON document, in a private server annotation (METADATA,
 * RFC 5464) or a settings message, like the identities. Each device keeps its own copy for
 * instant completion and merges it with the server's before saving, because another device
 * may have saved meanwhile.
 */

/** Where the book is kept on the server (RFC 5464 private entry). */
export const CONTACTS_METADATA_ENTRY = "/private/vendor/pismo/contacts";
/** The settings message's Subject on servers without METADATA. */
export const CONTACTS_SETTINGS_SUBJECT = "Pismo settings: contacts";

/**
 * The most the book may weigh as JSON (UTF-8 bytes). Dovecot 2.3 itself sets no bound on a
 * METADATA value (a 20 MB value was stored and read back with the file dict), but the
 * whole dict file is rewritten on every change, SQL-backed dicts commonly keep values in a
 * 64 KiB column, and the book travels whole on each save; 256 KiB holds about a thousand
 * harvested correspondents with their usage.
 */
export const MAX_SERVER_BOOK_BYTES = 256 * 1024;

export function bookBytes(book: AddressBook): number {
  return new TextEncoder().encode(JSON.stringify(book)).length;
}

/**
 * Merges two copies of the book (this device's and the server's). Symmetric in what it keeps,
 * and merging the result again with either side changes nothing, so saving twice is harmless.
 * - Contacts: the union, one per person. Two copies are the same person when they share the
 *   id, or (harvested on two devices, so with two ids) an address.
 * - What a person wrote is never replaced by what was only collected from mail (`collected`):
 *   a new device collects the sender of the first message it opens, dated then, and that copy
 *   used to win whole over the contact the user had curated elsewhere (review C1). A collected
 *   copy only adds its addresses; usage, merged apart, keeps the counts.
 * - Two copies of one contact (one id) a person edited: the one edited last wins whole (the
 *   user may have removed an address or a group); on a tie, both as one (see joinContacts).
 * - Two contacts a person edited under two ids that share an address: joined into one, so that
 *   neither device's name, note, groups or addresses is lost, and the id given up is
 *   remembered as removed, so that a stale copy of it does not undo a later edit of the one.
 * - Removals: the union; a contact removed after its last edit stays removed (by id, or when
 *   every address it has was the removed contact's). Edited after the removal, it stays. A
 *   removed copy is left out before anything is matched: it must neither win nor add.
 * - Usage: per address, the state used last (its score is the decayed score as of then), and
 *   the larger count. Maxed rather than summed: both copies usually descend from the same
 *   saved book, and a sum would count the shared uses twice on every save.
 */
export function mergeAddressBooks(local: AddressBook, remote: AddressBook): AddressBook {
  const tombstones = mergeRemoved(local.removed ?? [], remote.removed ?? []);
  const live = (c: Contact) => !removedBy(c, tombstones);
  const contacts: Contact[] = local.contacts.filter(live);
  const givenUp: RemovedContact[] = [];
  for (const theirs of remote.contacts.filter(live)) {
    const keys = new Set(theirs.emails.map(addressKey));
    const byId = contacts.findIndex((c) => c.id === theirs.id);
    const i = byId >= 0 ? byId : contacts.findIndex((c) => c.emails.some((e) => keys.has(addressKey(e))));
    const mine = contacts[i];
    if (!mine) {
      contacts.push(theirs);
      continue;
    }
    const joined = byId >= 0 ? sameContact(mine, theirs) : samePerson(mine, theirs);
    contacts[i] = joined.contact;
    if (joined.givenUp) givenUp.push(joined.givenUp);
  }
  const removed = mergeRemoved(tombstones, givenUp);
  const usage = new Map<string, Usage>();
  for (const u of [...local.usage, ...remote.usage]) {
    const had = usage.get(u.address);
    if (!had) usage.set(u.address, u);
    else {
      const newer = u.last > had.last || (u.last === had.last && u.score > had.score) ? u : had;
      usage.set(u.address, { ...newer, count: Math.max(u.count, had.count) });
    }
  }
  const usageList = [...usage.values()];
  if (usageList.length > MAX_USAGE) usageList.sort((x, y) => y.last - x.last).splice(MAX_USAGE);
  return { contacts, usage: usageList, ...(removed.length > 0 ? { removed } : {}) };
}

type Joined = { contact: Contact; givenUp?: RemovedContact };

/** Two copies of one contact (the same id). */
function sameContact(mine: Contact, theirs: Contact): Joined {
  // A contact stops being collected only when a person saves it, so a collected copy is an
  // older state of the edited one, whatever the two devices' clocks say.
  if (Boolean(mine.collected) !== Boolean(theirs.collected))
    return { contact: mine.collected ? theirs : mine };
  const newer = (theirs.edited ?? 0) - (mine.edited ?? 0);
  if (newer !== 0) return { contact: newer > 0 ? theirs : mine };
  // Equal dates: the same save, or one copy with a name a message filled in (not dated, see
  // noteAddresses). Joined, both devices end with the same contact.
  const joined = joinContacts(mine, theirs);
  return { contact: mine.collected || sameFields(joined, mine) ? mine : joined };
}

/** Two contacts with other ids that share an address: the same person, met or kept twice. */
function samePerson(mine: Contact, theirs: Contact): Joined {
  if (mine.collected && theirs.collected) {
    const newer = (theirs.edited ?? 0) - (mine.edited ?? 0);
    return { contact: newer > 0 || (newer === 0 && theirs.id < mine.id) ? theirs : mine };
  }
  if (mine.collected || theirs.collected) {
    const [kept, met] = mine.collected ? [theirs, mine] : [mine, theirs];
    const held = new Set(kept.emails.map(addressKey));
    const more = met.emails.filter((e) => !held.has(addressKey(e)));
    return { contact: more.length > 0 ? { ...kept, emails: [...kept.emails, ...more] } : kept };
  }
  // The one edited first (the same on every device) keeps its id and comes first.
  const [first, second] =
    (mine.edited ?? 0) < (theirs.edited ?? 0) ||
    ((mine.edited ?? 0) === (theirs.edited ?? 0) && mine.id < theirs.id)
      ? [mine, theirs]
      : [theirs, mine];
  return {
    contact: joinContacts(first, second),
    givenUp: { id: second.id, addresses: [], at: second.edited ?? 0 },
  };
}

/** Both contacts as one, `first`'s id: its name (else the other's), both notes, every address
 * and group, and the later edit's date. */
function joinContacts(first: Contact, second: Contact): Contact {
  const edited = Math.max(first.edited ?? 0, second.edited ?? 0);
  return {
    id: first.id,
    name: first.name || second.name,
    emails: unionBy([...first.emails, ...second.emails], addressKey),
    note: joinNotes(first.note, second.note),
    groups: unionBy([...first.groups, ...second.groups], (g) => g.toLowerCase()),
    ...(first.edited !== undefined || second.edited !== undefined ? { edited } : {}),
  };
}

function joinNotes(a: string, b: string): string {
  if (a.includes(b)) return a;
  if (b.includes(a)) return b;
  return `${a}\n${b}`;
}

function unionBy(list: readonly string[], key: (x: string) => string): string[] {
  const seen = new Set<string>();
  return list.filter((x) => {
    const k = key(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sameFields(a: Contact, b: Contact): boolean {
  const same = (x: readonly string[], y: readonly string[]) =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  return a.name === b.name && a.note === b.note && same(a.emails, b.emails) && same(a.groups, b.groups);
}

function mergeRemoved(a: readonly RemovedContact[], b: readonly RemovedContact[]): RemovedContact[] {
  const byId = new Map<string, RemovedContact>();
  for (const r of [...a, ...b]) {
    const had = byId.get(r.id);
    if (!had || r.at > had.at) byId.set(r.id, r);
  }
  const list = [...byId.values()];
  if (list.length > MAX_REMOVED) list.sort((x, y) => y.at - x.at).splice(MAX_REMOVED);
  return list;
}

function removedBy(c: Contact, removed: readonly RemovedContact[]): boolean {
  const edited = c.edited ?? 0;
  return removed.some(
    (r) =>
      r.at >= edited &&
      (r.id === c.id || (c.emails.length > 0 && c.emails.every((e) => r.addresses.includes(addressKey(e))))),
  );
}

export type FittedBook = { ok: true; book: AddressBook; dropped: number } | { ok: false; bytes: number };

/**
 * Makes the book fit in `maxBytes` by forgetting the least used correspondents: first the
 * usage of addresses no contact holds, then contacts with neither a note nor a group (those
 * the user only met in mail), lowest frecency first, with their usage. Contacts the user gave
 * a note or a group are never dropped; when they alone are too many, it says so (not ok).
 */
export function fitAddressBook(book: AddressBook, maxBytes: number, now: number): FittedBook {
  let bytes = bookBytes(book);
  if (bytes <= maxBytes) return { ok: true, book, dropped: 0 };
  const score = new Map(book.usage.map((u) => [u.address, frecency(u, now)]));
  const held = new Set(book.contacts.flatMap((c) => c.emails.map(addressKey)));
  type Candidate = { rank: number; contact: Contact | null; addresses: string[]; size: number };
  const size = (x: unknown) => new TextEncoder().encode(JSON.stringify(x)).length + 1;
  const usageSize = new Map(book.usage.map((u) => [u.address, size(u)]));
  const candidates: Candidate[] = [
    ...book.usage
      .filter((u) => !held.has(u.address))
      .map((u) => ({ rank: -1, contact: null, addresses: [u.address], size: size(u) })),
    ...book.contacts
      .filter((c) => !c.note && c.groups.length === 0)
      .map((c) => {
        const addresses = c.emails.map(addressKey);
        return {
          rank: Math.max(0, ...addresses.map((a) => score.get(a) ?? 0)),
          contact: c,
          addresses,
          size: size(c) + addresses.reduce((n, a) => n + (usageSize.get(a) ?? 0), 0),
        };
      }),
  ];
  candidates.sort(
    (x, y) =>
      x.rank - y.rank || (score.get(x.addresses[0] ?? "") ?? 0) - (score.get(y.addresses[0] ?? "") ?? 0),
  );
  const dropContacts = new Set<Contact>();
  const dropAddresses = new Set<string>();
  for (const c of candidates) {
    if (bytes <= maxBytes) break;
    if (c.contact) dropContacts.add(c.contact);
    for (const a of c.addresses) dropAddresses.add(a);
    bytes -= c.size;
  }
  const fitted: AddressBook = {
    ...book,
    contacts: book.contacts.filter((c) => !dropContacts.has(c)),
    usage: book.usage.filter((u) => !dropAddresses.has(u.address)),
  };
  const real = bookBytes(fitted);
  if (real > maxBytes) return { ok: false, bytes: real };
  return { ok: true, book: fitted, dropped: dropContacts.size };
}
