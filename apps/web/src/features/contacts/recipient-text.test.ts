import { describe, expect, it } from "vitest";
import { emptyAddressBook, saveContact } from "@pismo/protocol/contacts";
import { recipientEntry as entry } from "@pismo/protocol/compose";
import { expandTypedGroups, insertText, lastSeparator } from "./recipient-text";

const book = [
  { id: "a", name: "Ana Anić", emails: ["ana@x.rs"], note: "", groups: ["Tim"] },
  {
    id: "b",
    name: "Jovanović, Bojan",
    emails: ["bojan@x.rs", "b@kuca.rs"],
    note: "",
    groups: ["tim", "Porodica"],
  },
  { id: "c", name: "Bez grupe", emails: ["c@x.rs"], note: "", groups: [] },
].reduce(saveContact, emptyAddressBook());

describe("recipient text", () => {
  it("writes an entry the field reads back as one address", () => {
    expect(entry({ name: "Jovanović, Bojan", address: "bojan@x.rs" })).toBe("Jovanović Bojan <bojan@x.rs>");
    expect(entry({ name: "", address: "c@x.rs" })).toBe("c@x.rs");
    expect(insertText({ kind: "group", name: "Tim", members: [{ name: "A", address: "a@x.rs" }] })).toBe(
      "A <a@x.rs>",
    );
  });

  it("finds where the entry being typed starts", () => {
    expect(lastSeparator("ana@x.rs, bo")).toBe(8);
    expect(lastSeparator("a@x.rs; b@x.rs\nmar")).toBe(14);
    expect(lastSeparator("mar")).toBe(-1);
  });

  it("expands a group typed whole (any case, either script) into its members' first addresses", () => {
    expect(expandTypedGroups(book, "c@x.rs, TIM")).toBe(
      "c@x.rs, Ana Anić <ana@x.rs>, Jovanović Bojan <bojan@x.rs>",
    );
    expect(expandTypedGroups(book, "Тим")).toBe("Ana Anić <ana@x.rs>, Jovanović Bojan <bojan@x.rs>");
    expect(expandTypedGroups(book, "Timovi, tim@x.rs")).toBe("Timovi, tim@x.rs");
  });
});
