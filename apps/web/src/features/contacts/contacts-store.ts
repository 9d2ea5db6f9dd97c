import { liveQuery } from "dexie";
import { readAddressBook, type AddressBook } from "@pismo/protocol/contacts";

/**
 * Where an account's address book is kept. IMAP: this browser's localStorage, one key per
 * account (see browserContactsStore for why not the server). POP3: the account's IndexedDB,
 * next to its mail and settings, and in its settings file.
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

/**
 * IMAP's address book, in this browser. Kept on the server it would follow the user to other
 * devices, but the gateway has no call that stores an arbitrary message or METADATA entry yet,
 * and a folder of its own would show up in every other mail client's folder list; so for now
 * it lives here, per account, and travels as a vCard file (Export / Import vCard).
 */
export function browserContactsStore(accountEmail: string): ContactsStore {
  const key = `pismo.contacts:${accountEmail.toLowerCase()}`;
  const listeners = new Set<() => void>();
  const read = () => {
    try {
      return Promise.resolve(readAddressBook(JSON.parse(localStorage.getItem(key) ?? "null")));
    } catch {
      return Promise.resolve(readAddressBook(null));
    }
  };
  const write = (book: AddressBook) => {
    localStorage.setItem(key, JSON.stringify(book));
    for (const l of listeners) l();
    return Promise.resolve();
  };
  return {
    read,
    update: serialized(read, write),
    subscribe(listener) {
      listeners.add(listener);
      const onStorage = (e: StorageEvent) => {
        if (e.key === key) listener();
      };
      window.addEventListener("storage", onStorage);
      return () => {
        listeners.delete(listener);
        window.removeEventListener("storage", onStorage);
      };
    },
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
