import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { addressBookSchema, contactSchema, removedContactSchema, usageSchema } from "./address-book-schema";
import type { AddressBook } from "./address-book-schema";
import { readAddressBook } from "./read-address-book";

/** The book as the schemas read it: the whole book, else each list's whole items. */
function bySchema(value: unknown): AddressBook {
  const whole = addressBookSchema.safeParse(value);
  if (whole.success) return whole.data;
  const v = (value ?? {}) as { contacts?: unknown; usage?: unknown; removed?: unknown };
  const keep = <T>(list: unknown, schema: z.ZodType<T>): T[] =>
    Array.isArray(list)
      ? list.flatMap((item) => {
          const r = schema.safeParse(item);
          return r.success ? [r.data] : [];
        })
      : [];
  const removed = keep(v.removed, removedContactSchema);
  return {
    contacts: keep(v.contacts, contactSchema),
    usage: keep(v.usage, usageSchema),
    ...(removed.length > 0 ? { removed } : {}),
  };
}

const contact = { id: "a", name: "Ana", emails: ["ana@x.rs"], note: "", groups: ["Tim"] };
const usage = { address: "ana@x.rs", score: 2.5, last: 1_700_000_000_000, count: 3 };
const removed = { id: "b", addresses: ["b@x.rs"], at: 1_700_000_000_000 };

const books: Array<[string, unknown]> = [
  ["nothing", null],
  ["not an object", 7],
  ["a list", [contact]],
  ["empty", { contacts: [], usage: [] }],
  ["whole", { contacts: [contact, { ...contact, id: "c", edited: 5 }], usage: [usage] }],
  ["whole, with removals", { contacts: [contact], usage: [usage], removed: [removed] }],
  ["whole, with no removals", { contacts: [contact], usage: [usage], removed: [] }],
  ["unknown keys", { contacts: [{ ...contact, extra: 1 }], usage: [{ ...usage, x: "y" }], other: true }],
  ["a contact without an id", { contacts: [{ ...contact, id: "" }, contact], usage: [] }],
  ["a contact with a bad address list", { contacts: [{ ...contact, emails: ["a", 3] }], usage: [] }],
  ["a contact with a bad edit time", { contacts: [{ ...contact, edited: "yesterday" }], usage: [] }],
  [
    "collected contacts",
    {
      contacts: [
        { ...contact, collected: true },
        { ...contact, id: "c", collected: false },
      ],
      usage: [],
    },
  ],
  [
    "a contact with a bad collected mark",
    { contacts: [{ ...contact, collected: "yes" }, contact], usage: [] },
  ],
  ["a contact missing its note", { contacts: [{ id: "a", name: "A", emails: [], groups: [] }], usage: [] }],
  ["usage not a list", { contacts: [contact], usage: 7 }],
  ["usage with a bad score", { contacts: [], usage: [{ ...usage, score: "high" }, usage] }],
  ["usage with an endless score", { contacts: [], usage: [{ ...usage, score: Infinity }] }],
  ["no usage", { contacts: [contact] }],
  ["damaged removals", { contacts: [contact], usage: [], removed: [{ id: "b" }, removed] }],
  ["removals not a list", { contacts: [contact], usage: [], removed: "all" }],
  ["damaged, without removals", { contacts: [null], usage: [], removed: [] }],
];

describe("readAddressBook", () => {
  it.each(books)("reads %s as the address book schema does", (_name, value) => {
    expect(readAddressBook(value)).toStrictEqual(bySchema(value));
  });

  it("does not hand back the stored lists themselves", () => {
    const stored = { contacts: [contact], usage: [usage] };
    const read = readAddressBook(stored);
    expect(read.contacts[0]).not.toBe(contact);
    expect(read.contacts[0]?.emails).not.toBe(contact.emails);
  });
});
