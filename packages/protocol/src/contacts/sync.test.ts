import { describe, expect, it } from "vitest";
import {
  deleteContact,
  emptyAddressBook,
  noteAddresses,
  saveContact,
  type AddressBook,
  type Contact,
} from "./address-book";
import { bookBytes, fitAddressBook, mergeAddressBooks } from "./sync";

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 30, 12);

function contact(id: string, email: string, edited: number, extra: Partial<Contact> = {}): Contact {
  return { id, name: id.toUpperCase(), emails: [email], note: "", groups: [], edited, ...extra };
}

function book(contacts: Contact[], usage: AddressBook["usage"] = []): AddressBook {
  return { contacts, usage };
}

describe("mergeAddressBooks", () => {
  it("keeps the contacts of both devices, one per address", () => {
    const here = book([contact("a", "ana@x.rs", 1), contact("b", "bob@x.rs", 1)]);
    // Harvested on the other device with its own id: the same person, not a second contact.
    const there = book([contact("a2", "ANA@x.rs", 1), contact("c", "cica@x.rs", 1)]);
    const merged = mergeAddressBooks(here, there);
    expect(merged.contacts.map((c) => c.id)).toEqual(["a", "b", "c"]);
  });

  it("takes the copy edited last, whole", () => {
    const here = book([contact("a", "ana@x.rs", NOW - DAY, { name: "Ana", note: "old" })]);
    const there = book([contact("a", "ana@x.rs", NOW, { name: "Ana Anić", note: "" })]);
    expect(mergeAddressBooks(here, there).contacts).toEqual(there.contacts);
    expect(mergeAddressBooks(there, here).contacts).toEqual(there.contacts);
  });

  it("keeps a removal, unless the contact was edited after it", () => {
    const both = book([contact("a", "ana@x.rs", NOW - DAY), contact("b", "bob@x.rs", NOW - DAY)]);
    const here = deleteContact(deleteContact(both, "a", NOW), "b", NOW);
    // The other device still has both; it renamed Bob after the removal here.
    const there = book([
      contact("a", "ana@x.rs", NOW - DAY),
      contact("b", "bob@x.rs", NOW + 1, { name: "Bob" }),
    ]);
    const merged = mergeAddressBooks(there, here);
    expect(merged.contacts.map((c) => c.id)).toEqual(["b"]);
    // A copy harvested elsewhere (another id) before the removal goes too.
    const harvested = book([contact("a9", "ana@x.rs", NOW - 2 * DAY)]);
    expect(mergeAddressBooks(harvested, here).contacts).toEqual([]);
  });

  it("takes the usage of the last use and the larger count, never a sum", () => {
    const here = book([], [{ address: "ana@x.rs", score: 2, last: NOW - DAY, count: 5 }]);
    const there = book(
      [],
      [
        { address: "ana@x.rs", score: 1, last: NOW, count: 3 },
        { address: "bob@x.rs", score: 1, last: NOW, count: 1 },
      ],
    );
    const merged = mergeAddressBooks(here, there);
    expect(merged.usage).toEqual([
      { address: "ana@x.rs", score: 1, last: NOW, count: 5 },
      { address: "bob@x.rs", score: 1, last: NOW, count: 1 },
    ]);
    // Saving again (merging with what was saved) changes nothing.
    expect(mergeAddressBooks(merged, there)).toEqual(merged);
    expect(mergeAddressBooks(merged, merged)).toEqual(merged);
  });

  it("brings another device's harvest into this one's", () => {
    let here = emptyAddressBook();
    here = noteAddresses(here, [{ name: "Ana", address: "ana@x.rs" }], "read", NOW, { newId: () => "h1" });
    let there = emptyAddressBook();
    there = noteAddresses(there, [{ name: "Bob", address: "bob@x.rs" }], "sent", NOW, { newId: () => "t1" });
    there = saveContact(there, { ...there.contacts[0]!, note: "kolega" }, NOW + 5);
    const merged = mergeAddressBooks(here, there);
    expect(merged.contacts.map((c) => [c.name, c.note])).toEqual([
      ["Ana", ""],
      ["Bob", "kolega"],
    ]);
    expect(merged.usage.map((u) => u.address).sort()).toEqual(["ana@x.rs", "bob@x.rs"]);
  });
});

describe("fitAddressBook", () => {
  function harvested(n: number): AddressBook {
    let b = emptyAddressBook();
    for (let i = 0; i < n; i++)
      b = noteAddresses(b, [{ name: `Person ${i}`, address: `p${i}@x.rs` }], "read", NOW - i * DAY, {
        newId: () => `id-${i}`,
      });
    return b;
  }

  it("leaves a book that fits as it is", () => {
    const b = harvested(3);
    expect(fitAddressBook(b, 10_000, NOW)).toEqual({ ok: true, book: b, dropped: 0 });
  });

  it("forgets the least used harvested correspondents first, never a contact with a note or group", () => {
    let b = harvested(40);
    // The least used of all, but the user gave it a group.
    b = saveContact(b, { ...b.contacts[39]!, groups: ["Tim"] }, NOW - 39 * DAY);
    const max = Math.floor(bookBytes(b) / 2);
    const fitted = fitAddressBook(b, max, NOW);
    expect(fitted.ok).toBe(true);
    if (!fitted.ok) return;
    expect(bookBytes(fitted.book)).toBeLessThanOrEqual(max);
    expect(fitted.dropped).toBeGreaterThan(0);
    const ids = fitted.book.contacts.map((c) => c.id);
    expect(ids).toContain("id-0");
    expect(ids).toContain("id-39");
    expect(ids).not.toContain("id-38");
    // Usage goes with its contact.
    expect(fitted.book.usage.map((u) => u.address)).not.toContain("p38@x.rs");
  });

  it("says so when the contacts the user kept are too many", () => {
    let b = harvested(10);
    b = { ...b, contacts: b.contacts.map((c) => ({ ...c, note: "kept" })) };
    const fitted = fitAddressBook(b, 200, NOW);
    expect(fitted).toEqual({ ok: false, bytes: expect.any(Number) as number });
  });
});

describe("mergeAddressBooks: what a person wrote against what was collected", () => {
  const curatedBob = () =>
    saveContact(
      emptyAddressBook(),
      {
        id: "c-bob",
        name: "Bob Smith",
        emails: ["bob@work.rs", "bob@home.rs"],
        note: "Ana's brother",
        groups: ["Family"],
      },
      NOW - DAY,
    );
  // A new phone reads a message from Bob's home address a day later.
  const phoneHarvest = () =>
    noteAddresses(emptyAddressBook(), [{ name: "Bob", address: "bob@home.rs" }], "read", NOW, {
      newId: () => "h-bob",
    });

  it("never lets a contact only collected replace one a person edited, however much newer", () => {
    for (const merged of [
      mergeAddressBooks(phoneHarvest(), curatedBob()),
      mergeAddressBooks(curatedBob(), phoneHarvest()),
    ]) {
      expect(merged.contacts).toEqual(curatedBob().contacts);
      // The harvest still counts for the ranking.
      expect(merged.usage.map((u) => u.address)).toEqual(["bob@home.rs"]);
    }
  });

  it("keeps a person's edit of a contact over a later collecting of the same contact", () => {
    const collected = noteAddresses(emptyAddressBook(), [{ name: "", address: "bob@x.rs" }], "read", NOW, {
      newId: () => "h-bob",
    });
    const edited = saveContact(collected, { ...collected.contacts[0]!, note: "from the gym" }, NOW + 1);
    // The first device, not yet knowing of the edit, fills in the name the next message gives.
    const renamed = noteAddresses(collected, [{ name: "Bob", address: "bob@x.rs" }], "read", NOW + 2);
    expect(renamed.contacts[0]?.edited).toBe(NOW + 2);
    expect(mergeAddressBooks(renamed, edited).contacts).toEqual(edited.contacts);
    expect(mergeAddressBooks(edited, renamed).contacts).toEqual(edited.contacts);
  });

  it("joins two contacts people kept under other ids, losing nothing either wrote", () => {
    const laptop = book([
      contact("c-ana", "ana@x.rs", NOW - DAY, {
        name: "Ana Anić",
        emails: ["ana@x.rs", "ana@posao.rs"],
        note: "kolega",
        groups: ["Tim"],
      }),
    ]);
    const phone = book([
      contact("p-ana", "ANA@x.rs", NOW, { name: "Ana", note: "rođendan 5. maja", groups: ["Porodica"] }),
    ]);
    const merged = mergeAddressBooks(phone, laptop);
    expect(merged.contacts).toEqual([
      {
        id: "c-ana",
        name: "Ana Anić",
        emails: ["ana@x.rs", "ana@posao.rs"],
        note: "kolega\nrođendan 5. maja",
        groups: ["Tim", "Porodica"],
        edited: NOW,
      },
    ]);
    expect(mergeAddressBooks(laptop, phone).contacts).toEqual(merged.contacts);
    // Saving again, with either device's copy, changes nothing.
    expect(mergeAddressBooks(merged, phone)).toEqual(merged);
    expect(mergeAddressBooks(laptop, merged)).toEqual(merged);
    // The user then takes Ana out of a group: the phone's stale copy does not put her back in.
    const fewer = saveContact(merged, { ...merged.contacts[0]!, groups: ["Tim"] }, NOW + DAY);
    expect(mergeAddressBooks(phone, fewer).contacts.map((c) => c.groups)).toEqual([["Tim"]]);
    expect(mergeAddressBooks(fewer, phone).contacts.map((c) => c.groups)).toEqual([["Tim"]]);
  });

  it("still deletes: a contact deleted on one device goes from the other's, collected copies too", () => {
    const joined = mergeAddressBooks(phoneHarvest(), curatedBob());
    const deleted = deleteContact(joined, "c-bob", NOW + DAY);
    expect(mergeAddressBooks(phoneHarvest(), deleted).contacts).toEqual([]);
    expect(mergeAddressBooks(deleted, curatedBob()).contacts).toEqual([]);
  });
});
