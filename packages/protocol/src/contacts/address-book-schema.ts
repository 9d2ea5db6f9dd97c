import { z } from "zod";

// The address book's schemas, apart from its functions (address-book.ts): the gateway and the
// settings file validate with them; the browser's first load, which only notes and completes
// addresses, reads the stored book with read-address-book.ts and brings no zod.

export const contactSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  emails: z.array(z.string()),
  note: z.string(),
  /** Group names (vCard CATEGORIES): a group is every contact that names it. */
  groups: z.array(z.string()),
  /** When the contact was last created or changed (ms since the epoch): the newer side wins
   * when another device's copy of the book is merged in. Missing in books from before. */
  edited: z.number().optional(),
  /** Made from mail the user read or sent (noteAddresses) and never edited by a person since:
   * merging, it only adds its addresses to a contact a person edited, never replaces it,
   * however much newer (a new device collects the sender of the first message it opens).
   * Missing in books from before, whose contacts merge as edited by a person. */
  collected: z.boolean().optional(),
});
export type Contact = z.infer<typeof contactSchema>;

export const usageSchema = z.object({
  /** Lower case: the key. */
  address: z.string(),
  score: z.number(),
  last: z.number(),
  count: z.number(),
});
export type Usage = z.infer<typeof usageSchema>;

/** A deleted contact, remembered so that merging another device's older copy does not bring
 * it back: its id, its addresses (a copy harvested elsewhere has another id), and when. */
export const removedContactSchema = z.object({
  id: z.string(),
  addresses: z.array(z.string()),
  at: z.number(),
});
export type RemovedContact = z.infer<typeof removedContactSchema>;

export const addressBookSchema = z.object({
  contacts: z.array(contactSchema),
  usage: z.array(usageSchema),
  removed: z.array(removedContactSchema).optional(),
});
export type AddressBook = z.infer<typeof addressBookSchema>;
