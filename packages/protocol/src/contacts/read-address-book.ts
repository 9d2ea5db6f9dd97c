import type { AddressBook, Contact, RemovedContact, Usage } from "./address-book-schema";

/**
 * A stored book as read back: what is damaged is left out, what is whole is kept. It reads
 * what addressBookSchema accepts (unknown keys dropped), checked by hand because the browser
 * reads its copy of the book when the mail view first shows, and that load carries no zod;
 * read-address-book.test.ts holds it to the schema.
 */
export function readAddressBook(value: unknown): AddressBook {
  const book = isRecord(value) ? value : {};
  const contacts = keep(book.contacts, contactOf);
  const usage = keep(book.usage, usageOf);
  const removed = keep(book.removed, removedOf);
  const whole =
    isRecord(value) &&
    sameLength(book.contacts, contacts) &&
    sameLength(book.usage, usage) &&
    (book.removed === undefined || sameLength(book.removed, removed));
  // A whole book keeps an empty list of removals as it was; a damaged one drops it.
  const withRemoved = whole ? book.removed !== undefined : removed.length > 0;
  return { contacts, usage, ...(withRemoved ? { removed } : {}) };
}

type Fields = Record<string, unknown>;

const isRecord = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === "string";
// zod's number: finite only.
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const sameLength = (list: unknown, kept: unknown[]) => Array.isArray(list) && list.length === kept.length;

function keep<T>(list: unknown, read: (item: unknown) => T | null): T[] {
  if (!Array.isArray(list)) return [];
  const out: T[] = [];
  for (const item of list) {
    const r = read(item);
    if (r !== null) out.push(r);
  }
  return out;
}

function contactOf(v: unknown): Contact | null {
  if (!isRecord(v)) return null;
  const { id, name, emails, note, groups, edited, collected } = v;
  if (!isString(id) || id.length < 1 || !isString(name) || !isString(note)) return null;
  if (!isStrings(emails) || !isStrings(groups)) return null;
  if (edited !== undefined && !isNumber(edited)) return null;
  if (collected !== undefined && typeof collected !== "boolean") return null;
  return {
    id,
    name,
    emails: [...emails],
    note,
    groups: [...groups],
    ...(edited !== undefined ? { edited } : {}),
    ...(collected !== undefined ? { collected } : {}),
  };
}

function usageOf(v: unknown): Usage | null {
  if (!isRecord(v)) return null;
  const { address, score, last, count } = v;
  if (!isString(address) || !isNumber(score) || !isNumber(last) || !isNumber(count)) return null;
  return { address, score, last, count };
}

function removedOf(v: unknown): RemovedContact | null {
  if (!isRecord(v)) return null;
  const { id, addresses, at } = v;
  if (!isString(id) || !isStrings(addresses) || !isNumber(at)) return null;
  return { id, addresses: [...addresses], at };
}
