"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useState } from "react";
import type { MailEvent } from "@pismo/protocol/schemas";
import { useTRPC } from "@/trpc/client";
import { bumpUnread, patchRows, seenInCache, setCounts } from "./imap-cache";

/**
 * Applies what the server pushes (IDLE on the open folder, LIST-STATUS for the rest) to the
 * cached data, so every open browser shows a change within about a second, with no polling.
 * After a reconnect of the IMAP connection (here) or of the WebSocket (the app shell),
 * everything shown is refetched: nothing that happened meanwhile is missed.
 */
export function useImapEvents(
  onSessionEnded: (reason: "SESSION_EXPIRED" | "NOT_SIGNED_IN") => void,
  /** Also sees every event (new-mail notifications). */
  onEvent?: (event: MailEvent) => void,
) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  // Several events for one folder within a few ms (a MOVE of 50 messages) make one refetch.
  const [refetchFolder] = useState(() => {
    const pending = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    return (folder: string) => {
      pending.add(folder);
      timer ??= setTimeout(() => {
        timer = null;
        const lists = [...pending].map((f) =>
          qc.invalidateQueries(trpc.imap.list.queryFilter({ folder: f })),
        );
        pending.clear();
        // A conversation spans folders (a reply lands in Sent): every conversation window.
        void qc.invalidateQueries(trpc.imap.conversations.pathFilter());
        // The counts after the rows: Dovecot answers STATUS of the selected folder from the
        // connection's view of it, which only the list's FETCH brings up to date (a read on
        // another device announced before this connection heard of it kept the old count).
        void Promise.allSettled(lists).then(() => qc.invalidateQueries(trpc.imap.folders.queryFilter()));
      }, 30);
    };
  });

  useSubscription(
    trpc.imap.events.subscriptionOptions(undefined, {
      onData(event: MailEvent) {
        onEvent?.(event);
        switch (event.type) {
          case "flags": {
            // The unread count follows the row's read state as this page knew it: the read
            // mark's own optimistic change gives 0, another device's ±1. Only a row this page
            // never held sends for the folder tree again (a LIST-STATUS of every folder, tens
            // to hundreds of ms on a large account, on the one connection an open waits for).
            const before = seenInCache(qc, trpc, event.folder, event.uid);
            patchRows(qc, trpc, event.folder, [event.uid], {
              seen: event.seen,
              flagged: event.flagged,
              answered: event.answered,
            });
            if (before === undefined) void qc.invalidateQueries(trpc.imap.folders.queryFilter());
            else if (before !== event.seen) bumpUnread(qc, trpc, event.folder, event.seen ? -1 : 1);
            void qc.invalidateQueries(trpc.imap.conversations.pathFilter());
            break;
          }
          case "exists":
          case "expunge":
          case "changed":
            refetchFolder(event.folder);
            break;
          case "counts":
            setCounts(qc, trpc, event.folder, event.messages, event.unseen);
            // A folder not under IDLE changed (found by the periodic LIST-STATUS): its cached
            // windows are refreshed if anything shows them.
            void qc.invalidateQueries(trpc.imap.list.queryFilter({ folder: event.folder }));
            void qc.invalidateQueries(trpc.imap.conversations.pathFilter());
            break;
          case "folders":
            void qc.invalidateQueries(trpc.imap.folders.queryFilter());
            break;
          case "quota":
            qc.setQueryData(trpc.imap.quota.queryKey(), event.quota);
            break;
          case "connection":
            if (event.state === "live") void qc.invalidateQueries();
            break;
          case "session-ended":
            onSessionEnded(event.reason);
            break;
        }
      },
    }),
  );
}
