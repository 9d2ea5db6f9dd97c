"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { ListWindow } from "@pismo/protocol/schemas";
import { useToast } from "@/components/ui/toast";
import { describeError } from "@/lib/errors";
import { useTRPC } from "@/trpc/client";
import { bumpUnread, dropRows, patchRows, snapshot } from "./imap-cache";

/**
 * Acting on mail: the UI changes at once (optimistic), and if the server refuses, it rolls
 * back and says why. The server's push then confirms the change on every other device.
 */
export function useImapActions() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();

  const fail = (rollback: () => void) => (error: unknown) => {
    rollback();
    toast(describeError(error, t), "error");
  };
  const settle = (folder: string) => () => {
    void qc.invalidateQueries(trpc.imap.folders.queryFilter());
    void qc.invalidateQueries(trpc.imap.list.queryFilter({ folder }));
    void qc.invalidateQueries(trpc.imap.conversations.pathFilter());
    void qc.invalidateQueries(trpc.imap.quota.queryFilter());
  };

  const flags = useMutation(trpc.imap.setFlags.mutationOptions());
  const move = useMutation(trpc.imap.move.mutationOptions());
  const copy = useMutation(trpc.imap.copy.mutationOptions());
  const remove = useMutation(trpc.imap.remove.mutationOptions());
  const empty = useMutation(trpc.imap.emptyFolder.mutationOptions());

  const unseenAmong = (folder: string, uids: number[]) => {
    const set = new Set(uids);
    const seenUnseen = new Map<number, boolean>();
    for (const [, window] of qc.getQueriesData<ListWindow>(trpc.imap.list.queryFilter({ folder }))) {
      for (const m of window?.messages ?? []) if (set.has(m.uid)) seenUnseen.set(m.uid, m.seen);
    }
    return [...seenUnseen.values()].filter((seen) => !seen).length;
  };

  return {
    setSeen(folder: string, uids: number[], seen: boolean) {
      const rollback = snapshot(qc, trpc);
      const delta = seen ? -unseenAmong(folder, uids) : uids.length - unseenAmong(folder, uids);
      patchRows(qc, trpc, folder, uids, { seen });
      bumpUnread(qc, trpc, folder, delta);
      flags.mutate({ folder, uids, seen }, { onError: fail(rollback) });
    },
    setFlagged(folder: string, uids: number[], flagged: boolean) {
      const rollback = snapshot(qc, trpc);
      patchRows(qc, trpc, folder, uids, { flagged });
      flags.mutate({ folder, uids, flagged }, { onError: fail(rollback) });
    },
    move(folder: string, uids: number[], to: string, toLabel: string) {
      const rollback = snapshot(qc, trpc);
      dropRows(qc, trpc, folder, uids);
      move.mutate(
        { folder, uids, to },
        {
          onError: fail(rollback),
          onSuccess: () => toast(t("mail.moved", { count: uids.length, folder: toLabel })),
          onSettled: settle(folder),
        },
      );
    },
    copy(folder: string, uids: number[], to: string, toLabel: string = to) {
      copy.mutate(
        { folder, uids, to },
        {
          onError: fail(() => undefined),
          onSuccess: () => toast(t("mail.copied", { count: uids.length, folder: toLabel })),
          onSettled: settle(to),
        },
      );
    },
    emptyTrash(folder: string) {
      empty.mutate({ path: folder }, { onError: fail(() => undefined), onSettled: settle(folder) });
    },
    remove(folder: string, uids: number[]) {
      const rollback = snapshot(qc, trpc);
      dropRows(qc, trpc, folder, uids);
      remove.mutate(
        { folder, uids },
        {
          onError: fail(rollback),
          onSuccess: () => toast(t("mail.deleted", { count: uids.length })),
          onSettled: settle(folder),
        },
      );
    },
  };
}
