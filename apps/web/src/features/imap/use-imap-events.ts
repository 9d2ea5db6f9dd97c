"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useState } from "react";
import type { MailEvent } from "@pismo/protocol/schemas";
import { batcher } from "@/lib/batch";
import { useTRPC } from "@/trpc/client";
import { useConnection } from "@/trpc/connection";
import { applyFlagEvents, followWindowTotals, setCounts } from "./imap-cache";

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
  const { reportMailServer } = useConnection();
  // Several events for one folder within a few ms (a MOVE of 50 messages) make one refetch.
  const [refetchFolder] = useState(() =>
    batcher<string>(30, (folders) => {
      const lists = [...new Set(folders)].map((f) =>
        qc.invalidateQueries(trpc.imap.list.queryFilter({ folder: f })),
      );
      // A conversation spans folders (a reply lands in Sent): every conversation window.
      void qc.invalidateQueries(trpc.imap.conversations.pathFilter());
      // The counts after the rows: Dovecot answers STATUS of the selected folder from the
      // connection's view of it, which only the list's FETCH brings up to date (a read on
      // another device announced before this connection heard of it kept the old count).
      void Promise.allSettled(lists).then(() => qc.invalidateQueries(trpc.imap.folders.queryFilter()));
    }),
  );

  // Mail that comes or goes changes the space it takes: the storage meter (and its warning) is
  // asked again, once for a run of events, instead of at its next five-minute look.
  const [refreshQuota] = useState(() =>
    batcher<null>(2_000, () => void qc.invalidateQueries(trpc.imap.quota.queryFilter())),
  );

  // Flag changes are applied together, a frame's worth at a time: a whole folder marked read
  // brings one per message (10,000 in a row), and applied one by one they kept the page busy
  // for seconds (applyFlagEvents).
  const [queueFlags] = useState(() =>
    batcher<Extract<MailEvent, { type: "flags" }>>(16, (batch) => {
      if (applyFlagEvents(qc, trpc, batch)) void qc.invalidateQueries(trpc.imap.folders.queryFilter());
      void qc.invalidateQueries(trpc.imap.conversations.pathFilter());
    }),
  );

  useEffect(() => followWindowTotals(qc, trpc), [qc, trpc]);

  useSubscription(
    trpc.imap.events.subscriptionOptions(undefined, {
      onData(event: MailEvent) {
        onEvent?.(event);
        switch (event.type) {
          case "flags":
            queueFlags(event);
            break;
          case "exists":
          case "expunge":
          case "changed":
            refetchFolder(event.folder);
            refreshQuota(null);
            break;
          case "counts": {
            // Space changes with the number of messages, not with what is read.
            const before = qc
              .getQueryData(trpc.imap.folders.queryKey())
              ?.find((f) => f.path === event.folder)?.messages;
            if (before !== event.messages) refreshQuota(null);
            setCounts(qc, trpc, event.folder, event.messages, event.unseen);
            // A folder not under IDLE changed (found by the periodic LIST-STATUS): its cached
            // windows are refreshed if anything shows them.
            void qc.invalidateQueries(trpc.imap.list.queryFilter({ folder: event.folder }));
            void qc.invalidateQueries(trpc.imap.conversations.pathFilter());
            break;
          }
          case "folders":
            void qc.invalidateQueries(trpc.imap.folders.queryFilter());
            break;
          case "quota":
            qc.setQueryData(trpc.imap.quota.queryKey(), event.quota);
            break;
          case "connection":
            reportMailServer(event.state === "live");
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
