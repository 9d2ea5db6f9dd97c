import type { ContactsPort, IdentityStorage } from "@pismo/protocol/router";
import {
  CONTACTS_METADATA_ENTRY,
  CONTACTS_SETTINGS_SUBJECT,
  MAX_SERVER_BOOK_BYTES,
  addressBookSchema,
  bookBytes,
  fitAddressBook,
  mergeAddressBooks,
  type AddressBook,
} from "@pismo/protocol/contacts";
import type { ImapContext } from "./context";
import { ImapSettingsEntry } from "./settings-entry";

/**
 * An IMAP account's address book, kept on its server like the identities (a METADATA entry,
 * else a settings message of its own), so that it follows the user to every device. A device
 * saves its own book; another device may have saved since this one last read (a whole-book
 * write has no compare-and-set), so the book is merged with what the server holds now, and
 * that device's contacts join instead of being overwritten. The merged book is the answer: the
 * device learns of the others' changes from its save, with no read of its own. Deletions are
 * tombstones newer than the contact's last edit, so the merge brings back nothing deleted, and
 * a contact saved again after its deletion (Undo) stays. Past the server's bound, the least
 * used correspondents are forgotten (fitAddressBook, as the browser does).
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

  async save(book: AddressBook): Promise<{ storage: IdentityStorage; book: AddressBook }> {
    const { value: stored } = await this.entry.read();
    const written = stored && bookBytes(book) <= MAX_SERVER_BOOK_BYTES ? joined(book, stored) : book;
    const { storage } = await this.entry.save(written);
    return { storage, book: written };
  }
}

/** The device's book merged with the stored one, fitted to the bound; past it even so (kept
 * contacts alone too many), the device's book, which then stands or is refused on its own. A
 * book over the bound as sent is refused as it is, not cut down here. */
function joined(book: AddressBook, stored: AddressBook): AddressBook {
  const fit = fitAddressBook(mergeAddressBooks(book, stored), MAX_SERVER_BOOK_BYTES, Date.now());
  return fit.ok ? fit.book : book;
}
