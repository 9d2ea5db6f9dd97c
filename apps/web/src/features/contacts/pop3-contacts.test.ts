// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { noteAddresses, saveContact, emptyAddressBook } from "@pismo/protocol/contacts";
import { freshStore } from "../pop3/pop3-test-store";
import { indexedDbContactsStore } from "./contacts-store";

// A POP3 account's address book lives in its IndexedDB and travels in its settings file.

describe("POP3 address book", () => {
  it("is kept in the account's database and applies changes one after the other", async () => {
    const store = freshStore();
    const contacts = indexedDbContactsStore(
      () => store.contacts(),
      (b) => store.setContacts(b),
    );
    expect(await contacts.read()).toEqual(emptyAddressBook());
    // Two harvests started together: neither overwrites the other.
    await Promise.all([
      contacts.update((b) => noteAddresses(b, [{ name: "Ana", address: "ana@x.rs" }], "sent", 1)),
      contacts.update((b) => noteAddresses(b, [{ name: "Bob", address: "bob@x.rs" }], "read", 2)),
    ]);
    expect((await store.contacts()).contacts.map((c) => c.name)).toEqual(["Ana", "Bob"]);
  });

  it("goes out with Export settings and comes back with Import settings", async () => {
    const a = freshStore();
    await a.setContacts(
      saveContact(emptyAddressBook(), {
        id: "c-1",
        name: "Marija Jovanović",
        emails: ["marija@primer.rs"],
        note: "",
        groups: ["Tim"],
      }),
    );
    const file = await a.exportSettings();
    expect(file.contacts?.contacts).toHaveLength(1);

    const b = freshStore();
    const result = await b.importSettings(JSON.stringify(file));
    expect(result.ok).toBe(true);
    expect((await b.contacts()).contacts[0]?.name).toBe("Marija Jovanović");

    // A file from before contacts were exported leaves the book as it was.
    const { contacts: _dropped, ...older } = file;
    await b.importSettings(JSON.stringify(older));
    expect((await b.contacts()).contacts).toHaveLength(1);
  });
});
