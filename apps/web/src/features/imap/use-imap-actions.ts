"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "@/i18n/react";
import type { ListWindow } from "@pismo/protocol/schemas";
import {
  undoRequest,
  type MailActionRequest,
  type MailActionResult,
  type Stopped,
} from "@pismo/protocol/actions";
import { uidsInRanges } from "@pismo/protocol/selection";
import { useUndo } from "../actions/undo";
import { notePlacedInInbox } from "../notifications/new-mail";
import { useToast } from "@/components/ui/toast";
import { GatewayError, describeError, errorCodeOf } from "@/lib/errors";
import { useTRPC } from "@/trpc/client";
import { folderLabel } from "./folder-label";
import {
  bumpUnread,
  clearRows,
  dropRows,
  markLeaving,
  optimistically,
  patchRows,
  setCounts,
  uidValidityOf,
} from "./imap-cache";

/** An undoable action not answered within this long shows that it is under way (ms). */
const WORKING_NOTICE_MS = 400;

/**
 * The UIDVALIDITY the caller's UIDs were read with, where the caller knows it (a search read
 * them, possibly under another UIDVALIDITY than the folder's cached list windows); absent, the
 * folder's cached windows' (`uidValidityOf`).
 */
export interface ReadWith {
  uidValidity?: string | undefined;
}

/**
 * Acting on mail: the UI changes at once (optimistic), and if the server refuses, it rolls
 * back and says why. The server's push then confirms the change on every other device.
 */
export function useImapActions() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const undo = useUndo();

  /**
   * Refused: the optimistic change goes back and the notice says why. A folder made again on
   * another device since its rows were listed (FOLDER_CHANGED: nothing was done) is listed
   * anew: its cached rows name other messages now. The rollback puts back only the acted-on
   * rows, on the cache as it is (`optimistically`); `refetch` then asks for the folder's rows
   * and counts again, so that what the page guessed is replaced by the server's (the undoable
   * actions' own settle does that for them).
   */
  const fail =
    (rollback: () => void, folder?: string, { refetch = false }: { refetch?: boolean } = {}) =>
    (error: unknown) => {
      rollback();
      toast(describeError(error, t), "error");
      if (folder === undefined) return;
      if (errorCodeOf(error) === "FOLDER_CHANGED") {
        void qc.resetQueries(trpc.imap.list.queryFilter({ folder }));
        void qc.resetQueries(trpc.imap.conversations.queryFilter({ folder }));
        void qc.invalidateQueries(trpc.imap.folders.queryFilter());
      } else if (refetch) {
        void qc.invalidateQueries(trpc.imap.list.queryFilter({ folder }));
        void qc.invalidateQueries(trpc.imap.conversations.pathFilter());
        void qc.invalidateQueries(trpc.imap.folders.queryFilter());
      }
    };
  /** The UIDVALIDITY the UIDs were read with, sent beside them (`ReadWith`, else uidValidityOf). */
  const listedWith = (folder: string, given?: string) => {
    const uidValidity = given ?? uidValidityOf(qc, trpc, folder);
    return uidValidity === undefined ? {} : { uidValidity };
  };
  const settle = (folder: string) => () => {
    void qc.invalidateQueries(trpc.imap.folders.queryFilter());
    void qc.invalidateQueries(trpc.imap.list.queryFilter({ folder }));
    void qc.invalidateQueries(trpc.imap.conversations.pathFilter());
    void qc.invalidateQueries(trpc.imap.quota.queryFilter());
  };

  /**
   * The rows are gone at once; an action the server takes longer over (a whole folder: about a
   * millisecond a message) says it is under way until its answer. The returned function ends
   * that: the notice goes, or stays to be replaced by the answer's own (`keepNotice`).
   */
  const workingNotice = (text: string) => {
    let stop: (() => void) | null = null;
    const timer = setTimeout(() => (stop = undo.working(text)), WORKING_NOTICE_MS);
    return ({ keepNotice = false }: { keepNotice?: boolean } = {}) => {
      clearTimeout(timer);
      if (!keepNotice) stop?.();
    };
  };

  /** A folder of the cached tree, with its counts. */
  const cachedFolder = (path: string) =>
    qc.getQueryData(trpc.imap.folders.queryKey())?.find((f) => f.path === path);

  const flags = useMutation(trpc.imap.setFlags.mutationOptions());
  const copy = useMutation(trpc.imap.copy.mutationOptions());
  const empty = useMutation(trpc.imap.emptyFolder.mutationOptions());
  const act = useMutation(trpc.actions.act.mutationOptions());

  /**
   * Runs an undoable action (optimistically gone from the list) and offers Undo in the notice.
   * On the promise, not mutate()'s per-call callbacks: those are dropped when the caller
   * unmounts, and the message view that asked closes at once.
   */
  const undoable = (asked: MailActionRequest, text: (result: MailActionResult, count: number) => string) => {
    const request: MailActionRequest = { ...asked, ...listedWith(asked.folder, asked.uidValidity) };
    const rollback = optimistically(qc, trpc, () => {
      const folder = cachedFolder(request.folder);
      // The folder's unread count goes with them: all of it when the whole folder moves (its
      // rows are mostly not loaded), else the unread among the rows shown.
      if (folder && request.uids.length >= folder.messages) setCounts(qc, trpc, folder.path, 0, 0);
      else bumpUnread(qc, trpc, request.folder, -unreadIn(seenNow(request.folder, request.uids)));
      dropRows(qc, trpc, request.folder, request.uids);
    });
    // Until the answer, a window fetched meanwhile leaves them out too (markLeaving).
    const stayOut = markLeaving(qc, request.folder, request.uids);
    const count = request.uids.length;
    const stopWorking = workingNotice(
      t(request.kind === "delete" ? "actions.deleting" : "actions.moving", { count }),
    );
    // Where they went: its cached windows (pages past the first included) are fetched again.
    let target: string | null = null;
    act
      .mutateAsync(request)
      .then(
        (result) => {
          target = result.to;
          placed(result);
          // Stopped part-way: what was done is said (and undone by Undo), then why the rest
          // was not; the lists are fetched again (below), so the rest shows where it stayed.
          const said = result.stopped
            ? `${text(result, result.moved.length)}. ${restStayed(count - result.moved.length, result.stopped)}`
            : text(result, count);
          const back = undoRequest(request, result);
          undo.done(
            said,
            back &&
              (async () => {
                try {
                  placed(await act.mutateAsync(back));
                } finally {
                  settle(request.folder)();
                  settle(back.folder)();
                }
              }),
          );
        },
        fail(() => {
          stopWorking();
          stayOut();
          rollback();
        }, request.folder),
      )
      .finally(() => {
        stayOut();
        stopWorking({ keepNotice: true });
        settle(request.folder)();
        if (target !== null && target !== request.folder)
          void qc.invalidateQueries(trpc.imap.list.queryFilter({ folder: target }));
      });
  };
  /** Messages moved into the Inbox here are not announced as new mail there. */
  const placed = (result: MailActionResult) => {
    if (result.to?.toUpperCase() === "INBOX") notePlacedInInbox(result.moved.flatMap((m) => m.newUid ?? []));
  };
  /** What a stopped action did not do, and why, in the server's words where they help. */
  const restStayed = (count: number, stopped: Stopped) =>
    t("actions.restStayed", {
      count,
      reason: describeError(new GatewayError(stopped.code, stopped.message), t),
    });
  const labelOf = (path: string | null) => {
    const f = path ? cachedFolder(path) : undefined;
    return f ? folderLabel(f, t) : (path ?? "");
  };
  /** Each message's read state as the list shows it now (for the counts' optimistic change). */
  const seenNow = (folder: string, uids: number[]) => {
    const set = new Set(uids);
    const states = new Map<number, boolean>();
    for (const [, window] of qc.getQueriesData<ListWindow>(trpc.imap.list.queryFilter({ folder })))
      for (const m of window?.messages ?? []) if (set.has(m.uid)) states.set(m.uid, m.seen);
    return states;
  };

  /** How many of these the list shows unread now. */
  const unreadIn = (states: ReadonlyMap<number, boolean>) =>
    [...states.values()].filter((seen) => !seen).length;

  const api = {
    /** `undoable: false` for the read mark that opening a message sets (no notice for that). */
    setSeen(
      folder: string,
      uids: number[],
      seen: boolean,
      { undoable = true, uidValidity }: { undoable?: boolean } & ReadWith = {},
    ) {
      const before = seenNow(folder, uids);
      const rollback = optimistically(qc, trpc, () => {
        const unread = unreadIn(before);
        patchRows(qc, trpc, folder, uids, { seen });
        // The whole folder: its count is known at once. Else only the rows the list holds say
        // how the count moves (a message never loaded was counted as read, so "Select all N"
        // then Mark as unread showed nearly twice the folder until the server's answer).
        const whole = cachedFolder(folder);
        if (whole && uids.length >= whole.messages)
          setCounts(qc, trpc, folder, whole.messages, seen ? 0 : whole.messages);
        else bumpUnread(qc, trpc, folder, seen ? -unread : before.size - unread);
      });
      // Without an Undo to offer, the gateway need not find out first which ones change.
      const whichChanged = undoable ? {} : { whichChanged: false };
      flags.mutateAsync({ folder, uids, seen, ...whichChanged, ...listedWith(folder, uidValidity) }).then(
        (ranges) => {
          // Which ones the server changed: the page knows the state only of the rows it holds.
          const changed = uidsInRanges(ranges);
          if (!undoable || changed.length === 0) return;
          undo.done(t(seen ? "actions.markedRead" : "actions.markedUnread", { count: uids.length }), () =>
            api.setSeen(folder, changed, !seen, { undoable: false, uidValidity }),
          );
        },
        fail(rollback, folder, { refetch: true }),
      );
    },
    setFlagged(folder: string, uids: number[], flagged: boolean) {
      const rollback = optimistically(qc, trpc, () => patchRows(qc, trpc, folder, uids, { flagged }));
      flags.mutate(
        { folder, uids, flagged, ...listedWith(folder) },
        { onError: fail(rollback, folder, { refetch: true }) },
      );
    },
    move(folder: string, uids: number[], to: string, toLabel: string, { uidValidity }: ReadWith = {}) {
      undoable({ kind: "move", folder, uids, to, ...(uidValidity ? { uidValidity } : {}) }, (_r, count) =>
        t("mail.moved", { count, folder: toLabel }),
      );
    },
    archive(folder: string, uids: number[]) {
      undoable({ kind: "archive", folder, uids }, (r, count) =>
        t("actions.archived", { count, folder: labelOf(r.to) }),
      );
    },
    /** Report spam (to Junk, `$Junk`) or Not spam (to the Inbox, `$NotJunk`). */
    spam(folder: string, uids: number[], spam: boolean) {
      undoable({ kind: "spam", folder, uids, spam }, (_r, count) =>
        t(spam ? "actions.reportedSpam" : "actions.notSpamDone", { count }),
      );
    },
    copy(folder: string, uids: number[], to: string, toLabel: string = to, { uidValidity }: ReadWith = {}) {
      copy.mutate(
        { folder, uids, to, ...listedWith(folder, uidValidity) },
        {
          onError: fail(() => undefined, folder),
          onSuccess: () => toast(t("mail.copied", { count: uids.length, folder: toLabel })),
          onSettled: settle(to),
        },
      );
    },
    emptyTrash(folder: string) {
      const count = cachedFolder(folder)?.messages ?? 0;
      const rollback = optimistically(qc, trpc, () => {
        clearRows(qc, trpc, folder);
        setCounts(qc, trpc, folder, 0, 0);
      });
      const stopWorking = workingNotice(t("actions.deleting", { count }));
      empty
        // The count the user confirmed: mail that came in meanwhile is not deleted unseen.
        .mutateAsync({ path: folder, expected: count })
        .then(
          (result) => {
            // Stopped part-way: how many went for good, and why the rest is still there (the
            // list is fetched again below and shows it).
            if (!result.stopped) return stopWorking();
            stopWorking({ keepNotice: true });
            undo.done(
              `${t("actions.deletedForGood", { count: result.deleted })}. ${restStayed(result.total - result.deleted, result.stopped)}`,
              null,
            );
          },
          fail(() => {
            stopWorking();
            rollback();
          }),
        )
        .finally(() => {
          stopWorking({ keepNotice: true });
          settle(folder)();
        });
    },
    remove(folder: string, uids: number[], { uidValidity }: ReadWith = {}) {
      undoable({ kind: "delete", folder, uids, ...(uidValidity ? { uidValidity } : {}) }, (r, count) =>
        r.to === null ? t("actions.deletedForGood", { count }) : t("mail.deleted", { count }),
      );
    },
  };
  return api;
}
