import type { QueryClient } from "@tanstack/react-query";
import type { SignInAnswer } from "@pismo/protocol/schemas";
import type { useTRPC } from "@/trpc/client";

type Trpc = ReturnType<typeof useTRPC>;

/**
 * Puts what the sign-in's answer carries where the first screen reads it (the session, the
 * folder tree, the Inbox's first window or conversations under the key the list asks with), so that
 * the mailbox paints from it without asking the gateway again.
 */
export function seedFirstScreen(qc: QueryClient, trpc: Trpc, answer: SignInAnswer, rows: number): void {
  qc.setQueryData(trpc.session.current.queryKey(), answer.account);
  const first = answer.firstScreen;
  if (!first) return;
  qc.setQueryData(trpc.imap.folders.queryKey(), first.folders);
  if (first.window)
    qc.setQueryData(
      trpc.imap.list.queryKey({ folder: first.window.folder, offset: 0, limit: rows, sort: "arrival" }),
      first.window,
    );
  if (first.conversations)
    qc.setQueryData(
      trpc.imap.conversations.queryKey({ folder: first.conversations.folder, offset: 0, limit: rows }),
      first.conversations,
    );
}
