"use client";

import { useCallback, useSyncExternalStore } from "react";

/**
 * Whether a folder is listed as conversations, remembered per account and folder in this
 * browser (localStorage): the Inbox may be read as conversations while a mailing-list folder
 * stays a plain list.
 */
/** Conversations are listed 50 at a time (the first window too, which the sign-in may carry). */
export const CONVERSATION_PAGE = 50;

const storageKey = (account: string) => `pismo.conversations:${account.toLowerCase()}`;
const listeners = new Set<() => void>();

function read(account: string): Record<string, boolean> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey(account)) ?? "{}");
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, boolean>) : {};
  } catch {
    return {};
  }
}

/** Whether this browser lists `folder` of `account` as conversations (outside React: the sign-in). */
export function conversationModeOf(account: string, folder: string): boolean {
  return read(account)[folder] === true;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

export function useConversationMode(account: string, folder: string): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore(
    subscribe,
    () => conversationModeOf(account, folder),
    () => false,
  );
  const set = useCallback(
    (value: boolean) => {
      const all = read(account);
      if (value) all[folder] = true;
      else delete all[folder];
      try {
        localStorage.setItem(storageKey(account), JSON.stringify(all));
      } catch {
        // Storage full or blocked: the choice lasts for this page only.
      }
      for (const l of listeners) l();
    },
    [account, folder],
  );
  return [on, set];
}
