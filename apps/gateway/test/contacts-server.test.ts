import { describe, expect, it } from "vitest";
import {
  CONTACTS_METADATA_ENTRY,
  MAX_SERVER_BOOK_BYTES,
  bookBytes,
  type AddressBook,
} from "@pismo/protocol/contacts";
import { SETTINGS_FOLDER, defaultIdentitySettings } from "@pismo/protocol/identities";
import { rejectionCode, twoDevicesAndRaw, useStack } from "./helpers";

const T = Date.UTC(2026, 10, 30, 12);

function bookOf(): AddressBook {
  return {
    contacts: [
      { id: "c-ana", name: "Ana Anić", emails: ["ana@x.rs"], note: "kolega", groups: ["Tim"], edited: T },
      { id: "c-bob", name: "Bob", emails: ["bob@x.rs"], note: "", groups: [], edited: T },
    ],
    usage: [{ address: "bob@x.rs", score: 1.5, last: T, count: 2 }],
    removed: [{ id: "c-old", addresses: ["old@x.rs"], at: T - 1000 }],
  };
}

/** The address book on the IMAP server: a METADATA entry where Dovecot offers it. */
describe("contacts on a server with METADATA (RFC 5464)", () => {
  const stack = useStack();

  it("saves the book in a private annotation that another device's session reads", async () => {
    const { one, two, raw, close } = await twoDevicesAndRaw(stack, "book");
    try {
      expect(await two.client.contacts.get.query()).toEqual({ book: null, storage: "metadata" });
      const book = bookOf();
      expect(await one.client.contacts.save.mutate({ book })).toEqual({ storage: "metadata", book });
      expect(await two.client.contacts.get.query()).toEqual({ book, storage: "metadata" });

      const got = await raw.command(`GETMETADATA "" (${CONTACTS_METADATA_ENTRY})`);
      expect(got.status).toMatch(/ OK/);
      expect(JSON.parse(got.literals[0]?.toString("utf8") ?? "null")).toEqual(book);

      // A value that does not validate reads as none saved, not as an error.
      const set = await raw.command(`SETMETADATA "" (${CONTACTS_METADATA_ENTRY} "{\\"contacts\\":7}")`);
      expect(set.status).toMatch(/ OK/);
      expect(await two.client.contacts.get.query()).toEqual({ book: null, storage: "metadata" });

      // Too large a book is refused with the reason, and what was stored stays.
      await one.client.contacts.save.mutate({ book });
      const huge: AddressBook = {
        contacts: [
          { id: "c-big", name: "x".repeat(MAX_SERVER_BOOK_BYTES), emails: [], note: "", groups: [] },
        ],
        usage: [],
      };
      const refused = await rejectionCode(() => one.client.contacts.save.mutate({ book: huge }));
      expect(refused.code).toBe("BAD_INPUT");
      expect(refused.message).toMatch(
        /contacts are too large to keep on the server \(\d+ KB; at most 256 KB\)/,
      );
      expect(await two.client.contacts.get.query()).toEqual({ book, storage: "metadata" });
    } finally {
      await close();
    }
  });

  it("a device that read the book before another saved does not overwrite the other's contacts", async () => {
    const { one, two, close } = await twoDevicesAndRaw(stack, "race");
    try {
      const contact = (id: string, name: string, email: string) => ({
        id,
        name,
        emails: [email],
        note: "",
        groups: [],
        edited: T,
      });
      await one.client.contacts.save.mutate({ book: { ...bookOf(), removed: [] } });
      // One saves Vesna; two, which read the book before that, saves Stevan and deletes Bob.
      await one.client.contacts.save.mutate({
        book: { contacts: [contact("c-vesna", "Vesna Vesić", "vesna@primer.rs")], usage: [] },
      });
      const saved = await two.client.contacts.save.mutate({
        book: {
          contacts: [contact("c-stevan", "Stevan Starić", "stevan@primer.rs")],
          usage: [],
          removed: [{ id: "c-bob", addresses: ["bob@x.rs"], at: T + 1 }],
        },
      });
      const names = (await one.client.contacts.get.query()).book?.contacts.map((c) => c.name).sort();
      expect(names).toEqual(["Ana Anić", "Stevan Starić", "Vesna Vesić"]);
      // The answer is the book as stored: two learns of Vesna from its own save.
      expect(saved.book.contacts.map((c) => c.name).sort()).toEqual(names);
    } finally {
      await close();
    }
  });

  it("a save that the stored book would take past the bound forgets the least used correspondents", async () => {
    const { one, two, close } = await twoDevicesAndRaw(stack, "fit");
    try {
      const now = Date.now();
      const full: AddressBook = { contacts: [], usage: [] };
      // Harvested correspondents, the most recent first, up to just under the bound.
      for (let i = 0; bookBytes(full) < MAX_SERVER_BOOK_BYTES - 2_000; i++) {
        const address = `correspondent.${i}@example.rs`;
        const padding = "x".repeat(400);
        full.contacts.push({
          id: `c-${i}`,
          name: `Correspondent ${i} ${padding}`,
          emails: [address],
          note: "",
          groups: [],
          edited: now,
        });
        full.usage.push({ address, score: 0.5, last: now - i * 60_000, count: 1 });
      }
      await one.client.contacts.save.mutate({ book: full });
      const nova = {
        id: "c-nova",
        name: `Nova ${"y".repeat(3_000)}`,
        emails: ["nova@x.rs"],
        note: "",
        groups: [],
        edited: now,
      };
      const saved = await two.client.contacts.save.mutate({
        book: { contacts: [nova], usage: [{ address: "nova@x.rs", score: 2, last: now, count: 3 }] },
      });
      const ids = saved.book.contacts.map((c) => c.id);
      expect(bookBytes(saved.book)).toBeLessThanOrEqual(MAX_SERVER_BOOK_BYTES);
      expect(ids).toContain("c-nova");
      expect(ids).toContain("c-0");
      expect(ids).not.toContain(full.contacts.at(-1)?.id);
      expect((await one.client.contacts.get.query()).book).toEqual(saved.book);
    } finally {
      await close();
    }
  });
});

describe("contacts and identities on a server without METADATA", () => {
  const stack = useStack({ mail: { metadata: false } });

  it("keeps each as a settings message of its own in the settings folder", async () => {
    const { user, one, two, raw, close } = await twoDevicesAndRaw(stack, "nometa");
    try {
      expect(await one.client.contacts.get.query()).toEqual({ book: null, storage: "folder" });
      const settings = defaultIdentitySettings(user.email);
      await one.client.identities.save.mutate({ settings });
      const first = bookOf();
      expect(await one.client.contacts.save.mutate({ book: first })).toEqual({
        storage: "folder",
        book: first,
      });
      // The second device deleted Bob: a tombstone newer than his last edit.
      const second: AddressBook = {
        ...first,
        contacts: first.contacts.slice(0, 1),
        removed: [...(first.removed ?? []), { id: "c-bob", addresses: ["bob@x.rs"], at: T + 1 }],
      };
      await two.client.contacts.save.mutate({ book: second });

      // Each reads its own message: saving the book twice removed only the older book.
      const got = await one.client.contacts.get.query();
      expect(got.storage).toBe("folder");
      expect(got.book?.contacts).toEqual(second.contacts);
      expect(await two.client.identities.get.query()).toMatchObject({ settings, storage: "folder" });
      const status = await raw.command(`STATUS "${SETTINGS_FOLDER}" (MESSAGES)`);
      expect(status.untagged.join("\n")).toMatch(/MESSAGES 2\)/);
    } finally {
      await close();
    }
  });
});
