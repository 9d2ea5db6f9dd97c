"use client";

import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { Address } from "@pismo/protocol/schemas";
import { emptyAddressBook, noteAddresses, type AddressBook, type UseKind } from "@pismo/protocol/contacts";
import type { ContactsStore } from "./contacts-store";

interface ContactsApi {
  book: AddressBook;
  /** False until the stored book has been read. */
  loaded: boolean;
  update(change: (book: AddressBook) => AddressBook): Promise<AddressBook>;
}

const ContactsContext = createContext<ContactsApi | null>(null);

const NEED_EVENT = "pismo:contacts-need";

/** The account's address book, or null outside an account (nothing to complete from). Using
 * it (compose's completion, Settings) is what has a server-kept book read: not the sign-in. */
export function useContacts(): ContactsApi | null {
  useEffect(() => {
    window.dispatchEvent(new Event(NEED_EVENT));
  }, []);
  return useContext(ContactsContext);
}

/** Calls `listener` whenever something starts using the address book. */
export function onContactsNeeded(listener: () => void): () => void {
  window.addEventListener(NEED_EVENT, listener);
  return () => window.removeEventListener(NEED_EVENT, listener);
}

const NOTE_EVENT = "pismo:contacts-note";
interface NoteDetail {
  addresses: Address[];
  kind: UseKind;
}

/**
 * Tells the signed-in account's address book that the user sent to or read from these
 * addresses: they rank higher in completion, and new ones become contacts. A window event,
 * so the places that send or open mail need no access to the store.
 */
export function noteCorrespondents(addresses: readonly Address[], kind: UseKind): void {
  if (typeof window === "undefined" || addresses.length === 0) return;
  window.dispatchEvent(
    new CustomEvent<NoteDetail>(NOTE_EVENT, { detail: { addresses: [...addresses], kind } }),
  );
}

/** A message the user opened: its sender joins the address book (once per message shown). */
export function useNoteRead(from: Address | null | undefined): void {
  const address = from?.address ?? "";
  const name = from?.name ?? "";
  useEffect(() => {
    if (address) noteCorrespondents([{ name, address }], "read");
  }, [address, name]);
}

export function ContactsRoot({
  store,
  self,
  children,
}: {
  store: ContactsStore;
  /** The account's own address: never a contact of itself. */
  self: string;
  children: ReactNode;
}) {
  const [state, setState] = useState<{ store: ContactsStore; book: AddressBook } | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      void store.read().then((book) => {
        if (live) setState({ store, book });
      });
    load();
    const unsubscribe = store.subscribe(load);
    const onNote = (e: Event) => {
      const { addresses, kind } = (e as CustomEvent<NoteDetail>).detail;
      // Noting who was read or written to is a side matter: a refused change (an IMAP book the
      // server cannot take) must never disturb opening or sending the message.
      store
        .update((book) => noteAddresses(book, addresses, kind, Date.now(), { self: [self] }))
        .catch(() => undefined);
    };
    window.addEventListener(NOTE_EVENT, onNote);
    return () => {
      live = false;
      unsubscribe();
      window.removeEventListener(NOTE_EVENT, onNote);
    };
  }, [store, self]);
  const current = state?.store === store ? state : null;
  const api = useMemo<ContactsApi>(
    () => ({
      book: current?.book ?? emptyAddressBook(),
      loaded: current !== null,
      update: (change) =>
        store.update(change).then((book) => {
          setState({ store, book });
          return book;
        }),
    }),
    [current, store],
  );
  return <ContactsContext.Provider value={api}>{children}</ContactsContext.Provider>;
}
