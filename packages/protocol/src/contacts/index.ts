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
export type { AddressBook, Contact, Usage } from "./address-book";
export { FRECENCY_HALF_LIFE_MS, USE_WEIGHT, frecency, recordUse } from "./frecency";
export type { FrecencyState, UseKind } from "./frecency";
export { suggestRecipients } from "./suggest";
export type { RecipientSuggestion } from "./suggest";
