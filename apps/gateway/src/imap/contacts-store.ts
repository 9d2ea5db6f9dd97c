import type { ContactsPort, IdentityStorage } from "@pismo/protocol/router";
import {
  CONTACTS_METADATA_ENTRY,
  CONTACTS_SETTINGS_SUBJECT,
  MAX_SERVER_BOOK_BYTES,
  addressBookSchema,
  type AddressBook,
} from "@pismo/protocol/contacts";
import type { ImapContext } from "./context";
import { ImapSettingsEntry } from "./settings-entry";

/**
 * An IMAP account's address book, kept on its server like the identities (a METADATA entry,
 * else a settings message of its own), so that it follows the user to every device. The
 * browser merges before saving; here it is only validated and bounded in size.
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

  save(book: AddressBook): Promise<{ storage: IdentityStorage }> {
    return this.entry.save(book);
  }
}
