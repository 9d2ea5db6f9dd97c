import { describe, expect, it } from "vitest";
import { emptyAddressBook, noteAddresses, saveContact, type AddressBook } from "./address-book";
import { suggestRecipients } from "./suggest";

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 30, 12);
let n = 0;
const newId = () => `c-${++n}`;

function book(): AddressBook {
  let b = emptyAddressBook();
  b = noteAddresses(b, [{ name: "Marija Jovanović", address: "marija@primer.rs" }], "read", NOW - DAY, {
    newId,
  });
  b = noteAddresses(b, [{ name: "Marko Marković", address: "marko@primer.rs" }], "sent", NOW - 200 * DAY, {
    newId,
  });
  b = noteAddresses(b, [{ name: "Ђорђе Петровић", address: "djordje@primer.rs" }], "sent", NOW - DAY, {
    newId,
  });
  return b;
}

const names = (list: ReturnType<typeof suggestRecipients>) => list.map((s) => s.name);

describe("suggestRecipients", () => {
  it("finds a name by its start, with or without diacritics and in either script", () => {
    for (const typed of ["Mar", "marija", "Мар", "jovanovic", "JOVANOVIĆ"])
      expect(names(suggestRecipients(book(), typed, { now: NOW })), typed).toContain("Marija Jovanović");
    expect(names(suggestRecipients(book(), "djo", { now: NOW }))).toEqual(["Ђорђе Петровић"]);
    expect(names(suggestRecipients(book(), "Пет", { now: NOW }))).toEqual(["Ђорђе Петровић"]);
  });

  it("matches the address at a word start, not in the middle of a word", () => {
    expect(names(suggestRecipients(book(), "primer", { now: NOW }))).toHaveLength(3);
    expect(suggestRecipients(book(), "arija", { now: NOW })).toEqual([]);
  });

  it("ranks by frecency: the recently read before the long-ago written", () => {
    expect(names(suggestRecipients(book(), "mar", { now: NOW }))).toEqual([
      "Marija Jovanović",
      "Marko Marković",
    ]);
    // Write to Marko three times this week: now he comes first.
    let b = book();
    for (const d of [3, 2, 1])
      b = noteAddresses(b, [{ name: "", address: "MARKO@primer.rs" }], "sent", NOW - d * DAY);
    expect(names(suggestRecipients(b, "mar", { now: NOW }))).toEqual(["Marko Marković", "Marija Jovanović"]);
  });

  it("puts the contact whose address was typed whole first, before a busier one only a word of whose address starts with it", () => {
    let b = noteAddresses(
      emptyAddressBook(),
      [{ name: "Marko", address: "marko@gmail.com" }],
      "sent",
      NOW - 90 * DAY,
      {
        newId,
      },
    );
    for (const d of [3, 2, 1])
      b = noteAddresses(b, [{ name: "Jelena Marko", address: "j.marko@gmail.com" }], "sent", NOW - d * DAY, {
        newId,
      });
    // Typed in part, the busier one comes first, as frecency says.
    expect(suggestRecipients(b, "marko", { now: NOW }).map((s) => s.kind === "person" && s.address)).toEqual([
      "j.marko@gmail.com",
      "marko@gmail.com",
    ]);
    // Typed whole (in any case), the one it names.
    for (const typed of ["marko@gmail.com", "Marko@Gmail.com"])
      expect(
        suggestRecipients(b, typed, { now: NOW }).map((s) => s.kind === "person" && s.address),
        typed,
      ).toEqual(["marko@gmail.com", "j.marko@gmail.com"]);
  });

  it("leaves out what the field already holds, and offers known addresses outside the book", () => {
    expect(names(suggestRecipients(book(), "mar", { now: NOW, exclude: ["Marija@primer.rs"] }))).toEqual([
      "Marko Marković",
    ]);
    const extra = [{ name: "Mara Lista", address: "mara@lista.rs" }];
    expect(names(suggestRecipients(book(), "mara", { now: NOW, extra }))).toEqual(["Mara Lista"]);
  });

  it("offers a group with its members", () => {
    let b = book();
    for (const c of b.contacts.slice(0, 2)) b = saveContact(b, { ...c, groups: ["Tim"] });
    const [first] = suggestRecipients(b, "ti", { now: NOW });
    expect(first).toEqual({
      kind: "group",
      name: "Tim",
      members: [
        { name: "Marija Jovanović", address: "marija@primer.rs" },
        { name: "Marko Marković", address: "marko@primer.rs" },
      ],
    });
  });

  it("offers nothing for empty text and at most `limit`", () => {
    expect(suggestRecipients(book(), "  ", { now: NOW })).toEqual([]);
    expect(suggestRecipients(book(), "primer", { now: NOW, limit: 2 })).toHaveLength(2);
  });
});
