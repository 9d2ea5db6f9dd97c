import { describe, expect, it } from "vitest";
import {
  deleteContact,
  emptyAddressBook,
  expandGroup,
  groupNames,
  mergeContacts,
  noteAddresses,
  readAddressBook,
  saveContact,
} from "./address-book";

const NOW = Date.UTC(2026, 10, 30, 12);
let n = 0;
const newId = () => `c-${++n}`;

describe("address book", () => {
  it("turns addresses met in mail into contacts, once, skipping the user's own", () => {
    let b = noteAddresses(
      emptyAddressBook(),
      [
        { name: "Ana", address: "ana@x.rs" },
        { name: "", address: "ANA@x.rs" },
        { name: "Me", address: "me@x.rs" },
        { name: "", address: "not an address" },
      ],
      "sent",
      NOW,
      { self: ["Me@x.rs"], newId },
    );
    expect(b.contacts.map((c) => c.emails)).toEqual([["ana@x.rs"]]);
    expect(b.usage).toEqual([{ address: "ana@x.rs", score: 1, last: NOW, count: 1 }]);
    b = noteAddresses(b, [{ name: "Ana Anić", address: "ana@X.rs" }], "read", NOW, { newId });
    expect(b.contacts).toHaveLength(1);
    expect(b.contacts[0]?.name).toBe("Ana"); // a name the user has is kept
    expect(b.usage[0]?.count).toBe(2);
  });

  it("keeps automatic senders read from out of the book", () => {
    const b = noteAddresses(
      emptyAddressBook(),
      [
        { name: "Banka", address: "no-reply@banka.rs" },
        { name: "", address: "MAILER-DAEMON@x.rs" },
        { name: "Noreply Nada", address: "nada.noreply@x.rs" },
      ],
      "read",
      NOW,
      { newId },
    );
    expect(b.contacts.map((c) => c.emails[0])).toEqual(["nada.noreply@x.rs"]);
  });

  it("gives a nameless contact the name a later message brings", () => {
    let b = noteAddresses(emptyAddressBook(), [{ name: "", address: "bob@x.rs" }], "sent", NOW, { newId });
    b = noteAddresses(b, [{ name: "Bob", address: "bob@x.rs" }], "read", NOW, { newId });
    expect(b.contacts[0]?.name).toBe("Bob");
  });

  it("marks the contacts it collects, until a person saves them", () => {
    let b = noteAddresses(emptyAddressBook(), [{ name: "Bob", address: "bob@x.rs" }], "read", NOW, { newId });
    expect(b.contacts[0]?.collected).toBe(true);
    b = saveContact(b, { ...b.contacts[0]!, note: "n" }, NOW + 1);
    expect(b.contacts[0]).not.toHaveProperty("collected");
    // A name filled in by a later message is no edit of the person's: it must not outdate theirs.
    b = saveContact(b, { ...b.contacts[0]!, name: "" }, NOW + 2);
    b = noteAddresses(b, [{ name: "Bob", address: "bob@x.rs" }], "read", NOW + 3, { newId });
    expect(b.contacts[0]).toMatchObject({ name: "Bob", edited: NOW + 2 });
    expect(b.contacts[0]).not.toHaveProperty("collected");
  });

  it("edits, deletes and groups contacts", () => {
    let b = saveContact(emptyAddressBook(), {
      id: "a",
      name: " Ana ",
      emails: ["ana@x.rs", " ", "ANA@x.rs", "ana@posao.rs"],
      note: "",
      groups: ["Tim", "tim", "Porodica"],
    });
    b = saveContact(b, { id: "b", name: "Bob", emails: ["bob@x.rs"], note: "n", groups: ["Tim"] });
    expect(b.contacts[0]).toEqual({
      id: "a",
      name: "Ana",
      emails: ["ana@x.rs", "ana@posao.rs"],
      note: "",
      groups: ["Tim", "Porodica"],
      edited: expect.any(Number) as number,
    });
    expect(groupNames(b)).toEqual([
      { name: "Porodica", members: 1 },
      { name: "Tim", members: 2 },
    ]);
    expect(expandGroup(b, "TIM")).toEqual([
      { name: "Ana", address: "ana@x.rs" },
      { name: "Bob", address: "bob@x.rs" },
    ]);
    b = saveContact(b, { id: "b", name: "Bob B", emails: ["bob@x.rs"], note: "", groups: [] });
    expect(expandGroup(b, "Tim")).toHaveLength(1);
    expect(deleteContact(b, "a").contacts.map((c) => c.id)).toEqual(["b"]);
  });

  it("merges imported contacts into the ones with the same address", () => {
    const b = saveContact(emptyAddressBook(), {
      id: "a",
      name: "",
      emails: ["ana@x.rs"],
      note: "",
      groups: [],
    });
    const result = mergeContacts(
      b,
      [
        { name: "Ana Anić", emails: ["ANA@x.rs", "ana@posao.rs"], note: "iz vCard", groups: ["Tim"] },
        { name: "Bob", emails: ["bob@x.rs"], note: "", groups: [] },
      ],
      newId,
    );
    expect(result.added).toBe(1);
    expect(result.updated).toBe(1);
    expect(result.book.contacts[0]).toEqual({
      id: "a",
      name: "Ana Anić",
      emails: ["ana@x.rs", "ana@posao.rs"],
      note: "iz vCard",
      groups: ["Tim"],
      edited: expect.any(Number) as number,
    });
  });

  it("reads a damaged stored book, keeping what is whole", () => {
    expect(readAddressBook(null)).toEqual(emptyAddressBook());
    expect(
      readAddressBook({
        contacts: [{ id: "a", name: "A", emails: [], note: "", groups: [] }, { id: 3 }],
        usage: 7,
      }),
    ).toEqual({ contacts: [{ id: "a", name: "A", emails: [], note: "", groups: [] }], usage: [] });
  });
});
