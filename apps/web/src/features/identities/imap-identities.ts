import type { QueryClient, QueryKey } from "@tanstack/react-query";
import { NO_IDENTITIES_VERSION, type IdentitySettings } from "@pismo/protocol/identities";
import type { IdentityStorage } from "@pismo/protocol/router";
import { errorCodeOf } from "@/lib/errors";

// The IMAP identities' reading and saving, apart from React (identities-context.tsx) so that a
// test can drive them with a QueryClient of its own.

/** identities.get's answer: `version` names what was read, for the save to send back. */
export interface StoredIdentities {
  settings: IdentitySettings | null;
  storage: IdentityStorage;
  version: string;
}

/**
 * How the identities query reads: whenever something shows them, and again whenever the tab is
 * back in view (TanStack's "window focus", which the app's QueryClient turns off for everything
 * else: trpc/connection.tsx), so that a change made on another device shows before this one is
 * edited. The save's version check still refuses what this read missed.
 */
export const IDENTITIES_QUERY = { staleTime: 0, retry: 1, refetchOnWindowFocus: true } as const;

/**
 * Saves the settings the page edited, carrying the version of the ones it showed (`shown`; none
 * read: NO_IDENTITIES_VERSION). The gateway refuses (CHANGED) when another device saved since:
 * then what is stored now is read before the refusal goes on to the form, which shows it with
 * the message, and nothing another device saved is written over.
 */
export async function saveStoredIdentities(
  qc: QueryClient,
  queryKey: QueryKey,
  send: (input: {
    settings: IdentitySettings;
    version: string;
  }) => Promise<{ storage: IdentityStorage; version: string }>,
  settings: IdentitySettings,
  shown: StoredIdentities | undefined,
): Promise<void> {
  try {
    const saved = await send({ settings, version: shown?.version ?? NO_IDENTITIES_VERSION });
    qc.setQueryData<StoredIdentities>(queryKey, { settings, storage: saved.storage, version: saved.version });
  } catch (e) {
    if (errorCodeOf(e) === "CHANGED") await qc.refetchQueries({ queryKey, exact: true });
    throw e;
  }
}
