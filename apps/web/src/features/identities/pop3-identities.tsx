"use client";

import { useMemo, type ReactNode } from "react";
import { defaultIdentitySettings } from "@pismo/protocol/identities";
import type { Account } from "@pismo/protocol/schemas";
import { useLive } from "../pop3/use-live";
import type { Pop3Store } from "../pop3/pop3-store";
import { IdentitiesContext, type IdentitiesApi } from "./identities-context";

// Apart from the IMAP provider: this one reads IndexedDB (Dexie), which an IMAP mailbox never
// loads.
/** POP3: kept in this account's browser database, and in its exported settings file. */
export function Pop3IdentitiesProvider({
  account,
  store,
  children,
}: {
  account: Account;
  store: Pop3Store;
  children: ReactNode;
}) {
  const stored = useLive(() => store.identities().then((s) => ({ s })), [store]);
  const fallback = useMemo(() => defaultIdentitySettings(account.email), [account.email]);
  const api = useMemo<IdentitiesApi>(
    () => ({
      settings: stored?.s ?? fallback,
      loaded: stored !== undefined,
      saved: (stored?.s ?? null) !== null,
      // Read from the browser's own database with the rest: nothing to ask for ahead.
      need: () => {},
      refresh: () => {},
      save: (settings) => store.setIdentities(settings),
    }),
    [stored, fallback, store],
  );
  return <IdentitiesContext.Provider value={api}>{children}</IdentitiesContext.Provider>;
}
