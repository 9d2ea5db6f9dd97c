"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { defaultIdentitySettings, type IdentitySettings } from "@pismo/protocol/identities";
import type { Account } from "@pismo/protocol/schemas";
import { useTRPC } from "@/trpc/client";

/**
 * The account's identities and signatures, wherever they are kept: an IMAP account's on its
 * server (so every device shows the same), a POP3 account's in this browser. Settings and
 * compose read them through this one context.
 */
export interface IdentitiesApi {
  /** What is in effect: the saved settings, or the account's own address with no signature. */
  settings: IdentitySettings;
  /** False until the stored settings were read (compose then starts without a signature). */
  loaded: boolean;
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
        save: () => Promise.reject(new Error("No identity store")),
      },
    [api, account.email],
  );
}

/** IMAP: kept on the server (METADATA, or a settings message), read again whenever a window
 * regains focus, so a change made on another device shows without a reload. */
export function ImapIdentitiesProvider({ account, children }: { account: Account; children: ReactNode }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const query = useQuery({ ...trpc.identities.get.queryOptions(), staleTime: 0, retry: 1 });
  const mutation = useMutation(
    trpc.identities.save.mutationOptions({
      onSettled: () => void qc.invalidateQueries(trpc.identities.get.queryFilter()),
    }),
  );
  const stored = query.data?.settings ?? null;
  const { mutateAsync } = mutation;
  // One default object per account: the settings form keeps its edits while the object it
  // started from is current, so loading must not hand it a new, equal one.
  const fallback = useMemo(() => defaultIdentitySettings(account.email), [account.email]);
  const api = useMemo<IdentitiesApi>(
    () => ({
      settings: stored ?? fallback,
      loaded: query.isFetched,
      saved: stored !== null,
      save: async (settings) => {
        await mutateAsync({ settings });
        qc.setQueryData(trpc.identities.get.queryKey(), (old) =>
          old ? { ...old, settings } : { settings, storage: "metadata" as const },
        );
      },
    }),
    [stored, fallback, query.isFetched, mutateAsync, qc, trpc],
  );
  return <IdentitiesContext.Provider value={api}>{children}</IdentitiesContext.Provider>;
}
