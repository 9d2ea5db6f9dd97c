import { liveQuery } from "dexie";
import type { AddressBook } from "@pismo/protocol/contacts";

/**
 * Where an account's address book is kept. IMAP: on the server, with a copy in this browser
 * (serverContactsStore). POP3: the account's IndexedDB, next to its mail and settings, and in
 * its settings file.
 */
export interface ContactsStore {
  read(): Promise<AddressBook>;
  /** A read-change-write; concurrent changes in this tab apply one after the other. */
  update(change: (book: AddressBook) => AddressBook): Promise<AddressBook>;
  /** Calls back when the book changed (in this tab or another). */
  subscribe(listener: () => void): () => void;
}

/** Runs changes one after the other, so two quick harvests never overwrite each other. */
function serialized(
  read: () => Promise<AddressBook>,
  write: (book: AddressBook) => Promise<void>,
): ContactsStore["update"] {
  let queue: Promise<unknown> = Promise.resolve();
  return (change) => {
    const next = queue.then(async () => {
      const book = change(await read());
      await write(book);
      return book;
    });
    queue = next.catch(() => undefined);
    return next;
  };
}

/** An address book kept in IndexedDB (POP3): Dexie's liveQuery tells of every change. */
export function indexedDbContactsStore(
  read: () => Promise<AddressBook>,
  write: (book: AddressBook) => Promise<void>,
): ContactsStore {
  return {
    read,
    update: serialized(read, write),
    subscribe(listener) {
      let first = true;
      const sub = liveQuery(read).subscribe({
        next: () => {
          // The first result is the current book, which the subscriber reads itself.
          if (first) first = false;
          else listener();
        },
        error: () => undefined,
      });
      return () => sub.unsubscribe();
    },
  };
}
