"use client";

import { useMemo, useState } from "react";
import { DRAFTS, type Pop3Store } from "../pop3/pop3-store";
import { useLive } from "../pop3/use-live";
import { useConversationMode } from "./conversation-mode";
import { pop3Conversations } from "./pop3-conversations";

/**
 * A POP3 folder's conversations, when the folder is listed as conversations, and the one
 * open. Conversations span folders (the local Sent), so they are threaded over the whole
 * store, and only while shown: a search lists the messages it found, one by one, and drafts
 * have no headers to thread by.
 */
export function usePop3Conversations(
  store: Pop3Store,
  folder: string,
  me: string,
  searching: boolean,
  /** See liveBurstMs: slower while a pull writes. */
  burstMs?: number,
) {
  const [threaded, setThreaded] = useConversationMode(me, folder);
  const [openKey, setOpenKey] = useState<string | null>(null);
  const shown = threaded && !searching && folder !== DRAFTS;
  const everything = useLive(
    () => (shown ? store.db.messages.toArray() : Promise.resolve(null)),
    [store, shown],
    burstMs,
  );
  const conversations = useMemo(
    () => (everything ? pop3Conversations(everything, folder, me) : undefined),
    [everything, folder, me],
  );
  const open = conversations?.find((c) => c.key === openKey) ?? null;
  return { threaded, setThreaded, shown, conversations, openKey, setOpenKey, open };
}
