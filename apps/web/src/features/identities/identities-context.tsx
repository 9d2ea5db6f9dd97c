"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { defaultIdentitySettings, type IdentitySettings } from "@pismo/protocol/identities";
import type { Account } from "@pismo/protocol/schemas";
import { useTRPC } from "@/trpc/client";
import { IDENTITIES_QUERY, saveStoredIdentities } from "./imap-identities";

/**
 * The account's identities and signatures, wherever they are kept: an IMAP account's on its
 * server (so every device shows the same), a POP3 account's in this browser. Settings and
 * compose read them through this one context.
 */
export interface IdentitiesApi {
  /** What is in effect: the saved settings, or the account's own address with no signature. */
  settings: IdentitySettings;
  /** False until the stored settings were read (compose waits for them, for the signature). */
  loaded: boolean;
  /** Asks for the stored settings: an IMAP account's are read from its server only once
   * something needs them (compose, Settings), not with the first screen. */
  need(): void;
  /** Asks for them and reads them again now (Settings' editor opening: another device may have
   * changed them since they were read). */
  refresh(): void;
  /** Whether anything was ever saved. */
  saved: boolean;
  save(settings: IdentitySettings): Promise<void>;
}

/** Provided by ImapIdentitiesProvider here, or Pop3IdentitiesProvider (pop3-identities.tsx). */
export const IdentitiesContext = createContext<IdentitiesApi | null>(null);

/** The account's identities; outside a provider only the account's own address. */
export function useIdentities(account: Account): IdentitiesApi {
  const api = useContext(IdentitiesContext);
  return useMemo(
    () =>
      api ?? {
        settings: defaultIdentitySettings(account.email),
        loaded: true,
        saved: false,
        need: () => {},
        refresh: () => {},
        save: () => Promise.reject(new Error("No identity store")),
      },
    [api, account.email],
  );
}

/** The account's identities, read now if they were not yet (what shows or starts from them). */
export function useNeededIdentities(account: Account): IdentitiesApi {
  const api = useIdentities(account);
  const { need } = api;
  useEffect(() => need(), [need]);
  return api;
}

/** IMAP: kept on the server (METADATA, or a settings message), read the first time compose or
 * Settings needs them (the sign-in's first screen does not), then again whenever the tab is
 * back in view and when Settings' editor opens, so a change made on another device shows
 * without a reload. A save is refused when they changed since (see saveStoredIdentities). */
export function ImapIdentitiesProvider({ account, children }: { account: Account; children: ReactNode }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [wanted, setWanted] = useState(false);
  const need = useCallback(() => setWanted(true), []);
  const refresh = useCallback(() => {
    setWanted(true);
    // Not yet wanted, the query is disabled and this reads nothing: enabling it reads them.
    void qc.invalidateQueries(trpc.identities.get.queryFilter());
  }, [qc, trpc]);
  const query = useQuery({ ...trpc.identities.get.queryOptions(), ...IDENTITIES_QUERY, enabled: wanted });
  const mutation = useMutation(trpc.identities.save.mutationOptions());
  const shown = query.data;
  const stored = shown?.settings ?? null;
  const { mutateAsync } = mutation;
  // One default object per account: the settings form keeps its edits while the object it
  // started from is current, so loading must not hand it a new, equal one.
  const fallback = useMemo(() => defaultIdentitySettings(account.email), [account.email]);
  const api = useMemo<IdentitiesApi>(
    () => ({
      settings: stored ?? fallback,
      loaded: query.isFetched,
      saved: stored !== null,
      need,
      refresh,
      // With the version of the settings this object shows: the ones the form edited.
      save: (settings) =>
        saveStoredIdentities(qc, trpc.identities.get.queryKey(), mutateAsync, settings, shown),
    }),
    [stored, shown, fallback, query.isFetched, need, refresh, mutateAsync, qc, trpc],
  );
  return <IdentitiesContext.Provider value={api}>{children}</IdentitiesContext.Provider>;
}
