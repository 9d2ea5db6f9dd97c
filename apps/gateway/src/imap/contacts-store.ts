import type { ContactsPort, IdentityStorage } from "@pismo/protocol/router";
import {
  CONTACTS_METADATA_ENTRY,
  CONTACTS_SETTINGS_SUBJECT,
  MAX_SERVER_BOOK_BYTES,
  addressBookSchema,
  bookBytes,
  mergeAddressBooks,
  type AddressBook,
} from "@pismo/protocol/contacts";
import type { ImapContext } from "./context";
import { ImapSettingsEntry } from "./settings-entry";

/**
 * An IMAP account's address book, kept on its server like the identities (a METADATA entry,
 * else a settings message of its own), so that it follows the user to every device. The
 * browser merges the server's book into its own before saving, but another device may save
 * between that read and this write (a whole-book write has no compare-and-set): the book is
 * merged again with what the server holds now, so that device's contacts join instead of being
 * overwritten. Deletions are tombstones newer than the contact's last edit, so the merge brings
 * back nothing deleted, and a contact saved again after its deletion (Undo) stays.
 */
export class ImapContactsStore implements ContactsPort {
  private readonly entry: ImapSettingsEntry<AddressBook>;

  constructor(ctx: () => Promise<ImapContext>, forceStorage?: IdentityStorage) {
    this.entry = new ImapSettingsEntry(ctx, {
      label: "contacts",
      entry: CONTACTS_METADATA_ENTRY,
      subject: CONTACTS_SETTINGS_SUBJECT,
      schema: addressBookSchema,
      maxBytes: MAX_SERVER_BOOK_BYTES,
      ...(forceStorage ? { forceStorage } : {}),
    });
  }

  async read(): Promise<{ book: AddressBook | null; storage: IdentityStorage }> {
    const { value, storage } = await this.entry.read();
    return { book: value, storage };
  }

  async save(book: AddressBook): Promise<{ storage: IdentityStorage }> {
    const { value: stored } = await this.entry.read();
    if (!stored) return this.entry.save(book);
    const merged = mergeAddressBooks(book, stored);
    // Merged past the bound: what this device sent, which then stands or is refused on its own.
    return this.entry.save(bookBytes(merged) <= MAX_SERVER_BOOK_BYTES ? merged : book);
  }
}
