export {
  addressBookSchema,
  addressKey,
  contactFor,
  contactSchema,
  deleteContact,
  emptyAddressBook,
  expandGroup,
  groupNames,
  mergeContacts,
  newContactId,
  noteAddresses,
  readAddressBook,
  saveContact,
} from "./address-book";
export { MAX_REMOVED, MAX_USAGE, removedContactSchema } from "./address-book";
export type { AddressBook, Contact, RemovedContact, Usage } from "./address-book";
export {
  CONTACTS_METADATA_ENTRY,
  CONTACTS_SETTINGS_SUBJECT,
  MAX_SERVER_BOOK_BYTES,
  bookBytes,
  fitAddressBook,
  mergeAddressBooks,
} from "./sync";
export type { FittedBook } from "./sync";
export { FRECENCY_HALF_LIFE_MS, USE_WEIGHT, frecency, recordUse } from "./frecency";
export type { FrecencyState, UseKind } from "./frecency";
export { suggestRecipients } from "./suggest";
export type { RecipientSuggestion } from "./suggest";
