import { useQueryClient } from "@tanstack/react-query";
import type { Address, ListWindow } from "@pismo/protocol/schemas";
import { useTRPC } from "@/trpc/client";
import { noteCorrespondents } from "../contacts/contacts-context";

const RECIPIENTS_KEY = "pismo.recipients";

/**
 * Suggestions for the address fields: the senders and recipients of the message lists
 * already loaded, and the recipients this browser has sent to.
 */
export function useRecentAddresses(): Address[] {
  const qc = useQueryClient();
  const trpc = useTRPC();
  const seen = new Map<string, Address>();
  for (const [, window] of qc.getQueriesData<ListWindow>(trpc.imap.list.pathFilter())) {
    for (const m of window?.messages ?? []) {
      for (const a of [m.from, ...m.to])
        if (a?.address && !seen.has(a.address.toLowerCase())) seen.set(a.address.toLowerCase(), a);
      if (seen.size > 200) break;
    }
  }
  try {
    for (const a of JSON.parse(localStorage.getItem(RECIPIENTS_KEY) ?? "[]") as Address[])
      seen.set(a.address.toLowerCase(), a);
  } catch {
    /* a damaged list only loses suggestions */
  }
  return [...seen.values()];
}

export function rememberRecipients(list: Address[]) {
  // The address book ranks them higher and keeps the new ones as contacts.
  noteCorrespondents(list, "sent");
  try {
    const old = JSON.parse(localStorage.getItem(RECIPIENTS_KEY) ?? "[]") as Address[];
    const merged = [
      ...list,
      ...old.filter((a) => !list.some((b) => b.address.toLowerCase() === a.address.toLowerCase())),
    ].slice(0, 200);
    localStorage.setItem(RECIPIENTS_KEY, JSON.stringify(merged));
  } catch {
    /* suggestions only */
  }
}
