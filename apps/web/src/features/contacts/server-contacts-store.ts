"use client";

import { useEffect, useMemo } from "react";
import {
  MAX_SERVER_BOOK_BYTES,
  emptyAddressBook,
  fitAddressBook,
  mergeAddressBooks,
  readAddressBook,
  type AddressBook,
} from "@pismo/protocol/contacts";
import { useTRPCClient } from "@/trpc/client";
import type { ContactsStore } from "./contacts-store";
import { onContactsNeeded } from "./contacts-context";

/** The server's copy of the book (contacts.get / contacts.save). */
export interface ServerBook {
  load(): Promise<AddressBook | null>;
  /** Merged there with the book stored now; answers the book as stored. */
  save(book: AddressBook): Promise<AddressBook>;
}

/** This device's copy, kept between visits for completion before the server answers. */
export interface BookCache {
  get(): string | null;
  set(json: string): void;
}

export interface ServerContactsStore extends ContactsStore {
  /** Saves this device's changes (the answer brings the other devices'); with none, or before
   * this page has merged the server's book once, reads the server's book, merges it with this
   * device's and saves the result when the server lacks something. Runs one at a time; a call
   * while one runs waits. */
  sync(): Promise<void>;
  /** Syncs now if a change waits for its save (the page is being hidden). */
  flush(): Promise<void>;
  /** The store is no longer used: a save still waiting for its timer is made now. */
  dispose(): void;
}

/** A change refused because the contacts the user kept (with a note or a group) would no
 * longer fit on the server; the book is left as it was. */
export class AddressBookFullError extends Error {
  constructor(
    readonly kb: number,
    readonly maxKb: number,
  ) {
    super(`The address book is too large to keep on the server (${kb} KB; at most ${maxKb} KB).`);
    this.name = "AddressBookFullError";
  }
}

/** After the last change, how long before the book goes to the server: reading through a
 * folder notes a sender per message, and those become one save, not one each. */
export const SAVE_DELAY_MS = 3_000;

/**
 * An IMAP account's address book, kept on its server so that it follows the user to other
 * devices, with this device's copy (memory and localStorage) for instant completion. Changes
 * apply to the copy at once; the server hears of them in one save a few seconds after the
 * last (and when the page is hidden). The page's first save reads the server's book and
 * merges it in first: until then the copy may lack what other devices saved (a new device's
 * copy is only the senders it has just collected), and it is never sent as it is. After that,
 * another device may still have saved meanwhile: the gateway merges the save with the book it
 * holds (mergeAddressBooks: union by address, a person's edit over what was collected, usage
 * maxed) and answers the result, which this device merges in, so a save is one request. A
 * sync with no change of this device's (focus) reads the server's book. The copy lives under
 * the same localStorage key the book was kept in before it moved to the server, so a book
 * kept only in this browser joins the server's on the first sync.
 */
export function serverContactsStore(
  server: ServerBook,
  cache: BookCache,
  opts: { delayMs?: number; onError?: (error: unknown) => void } = {},
): ServerContactsStore {
  const delayMs = opts.delayMs ?? SAVE_DELAY_MS;
  const listeners = new Set<() => void>();
  let book = fromCache(cache);
  /** Counts local changes, so a sync knows whether one came while it waited for the server. */
  let version = 0;
  let savedVersion = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  /** Whether the server's book was read and merged into the copy since the page started. */
  let merged = false;

  const notify = () => {
    for (const l of listeners) l();
  };
  const keep = (next: AddressBook) => {
    book = next;
    try {
      cache.set(JSON.stringify(next));
    } catch {
      // A full localStorage: the copy in memory and the server's still hold it.
    }
    notify();
  };

  const syncOnce = async () => {
    if (merged && version !== savedVersion) {
      const saving = version;
      const stored = await server.save(book);
      // With the changes made while the server answered.
      const current = fitted(mergeAddressBooks(book, stored));
      if (!same(current, book)) keep(current);
      savedVersion = saving;
      return;
    }
    const remote = (await server.load()) ?? emptyAddressBook();
    // `book` as it is now, with the changes made while the server answered.
    const current = fitted(mergeAddressBooks(book, remote));
    const saving = version;
    if (!same(current, book)) keep(current);
    merged = true;
    if (!same(current, remote)) await server.save(current);
    savedVersion = saving;
  };

  const sync = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await syncOnce();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      sync().catch((e: unknown) => opts.onError?.(e));
    }, delayMs);
  };

  let queue: Promise<unknown> = Promise.resolve();
  return {
    read: () => Promise.resolve(book),
    update(change) {
      const next = queue.then(() => {
        const changed = change(book);
        const fit = fitAddressBook(changed, MAX_SERVER_BOOK_BYTES, Date.now());
        if (!fit.ok)
          throw new AddressBookFullError(Math.ceil(fit.bytes / 1024), MAX_SERVER_BOOK_BYTES / 1024);
        version += 1;
        keep(fit.book);
        schedule();
        return fit.book;
      });
      queue = next.catch(() => undefined);
      return next;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    sync,
    flush() {
      if (!timer && version === savedVersion) return Promise.resolve();
      if (timer) clearTimeout(timer);
      timer = null;
      return sync();
    },
    dispose() {
      // A change still waiting for its timer goes now rather than never.
      if (timer) {
        clearTimeout(timer);
        timer = null;
        sync().catch((e: unknown) => opts.onError?.(e));
      }
    },
  };
}

function fromCache(cache: BookCache): AddressBook {
  try {
    return readAddressBook(JSON.parse(cache.get() ?? "null"));
  } catch {
    return emptyAddressBook();
  }
}

/** Harvested correspondents beyond the server's bound are forgotten, least used first; what
 * the user kept (a note, a group) never is, and then the server refuses with its reason. */
function fitted(book: AddressBook): AddressBook {
  const fit = fitAddressBook(book, MAX_SERVER_BOOK_BYTES, Date.now());
  return fit.ok ? fit.book : book;
}

function same(a: AddressBook, b: AddressBook): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The localStorage key of an account's copy (the key the book was kept under before). */
export function contactsCacheKey(accountEmail: string): string {
  return `pismo.contacts:${accountEmail.toLowerCase()}`;
}

/**
 * The signed-in IMAP account's server-backed address book: synced when something first uses it
 * (compose, Settings: the first screen after sign-in does not, and costs the server no command
 * for it), then when the window regains focus (another device may have added contacts), and
 * when the page is hidden (so a change made just before closing the tab is not left waiting
 * for its timer).
 */
export function useServerContactsStore(accountEmail: string): ContactsStore {
  const client = useTRPCClient();
  const store = useMemo(() => {
    const key = contactsCacheKey(accountEmail);
    return serverContactsStore(
      {
        load: () => client.contacts.get.query().then((r) => r.book),
        save: (book) => client.contacts.save.mutate({ book }).then((r) => r.book),
      },
      { get: () => localStorage.getItem(key), set: (json) => localStorage.setItem(key, json) },
      { onError: (e) => console.warn("contacts: not saved on the server", e) },
    );
  }, [client, accountEmail]);
  useEffect(() => {
    const warn = (e: unknown) => console.warn("contacts: not synced with the server", e);
    let needed = false;
    const run = () => void (needed && store.sync().catch(warn));
    const flush = () => void store.flush().catch(warn);
    const onVisibility = () => (document.visibilityState === "hidden" ? flush() : run());
    const stopNeeding = onContactsNeeded(() => {
      if (needed) return;
      needed = true;
      run();
    });
    window.addEventListener("focus", run);
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      stopNeeding();
      window.removeEventListener("focus", run);
      window.removeEventListener("pagehide", flush);
      document.removeEventListener("visibilitychange", onVisibility);
      store.dispose();
    };
  }, [store]);
  return store;
}
