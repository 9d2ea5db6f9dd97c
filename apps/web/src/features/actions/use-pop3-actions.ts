"use client";

import { useTranslation } from "@/i18n/react";
import type { LocalFolder } from "@pismo/protocol/filters";
import { useToast } from "@/components/ui/toast";
import { describeError } from "@/lib/errors";
import { folderName } from "../pop3/pop3-folders";
import type { Pop3Store } from "../pop3/pop3-store";
import * as local from "./pop3-actions";
import { useUndo } from "./undo";

/** A POP3 account's move, delete, archive, read / unread and spam, each with Undo in the notice. */
export function usePop3Actions(store: Pop3Store, folders: readonly LocalFolder[]) {
  const { t } = useTranslation();
  const undo = useUndo();
  const toast = useToast();

  const run = async <T>(work: () => Promise<T>): Promise<T | null> => {
    try {
      return await work();
    } catch (error) {
      toast(describeError(error, t), "error");
      return null;
    }
  };

  return {
    async move(uids: string[], to: string) {
      const back = await run(() => local.moveMessages(store, uids, to));
      if (back) undo.done(t("mail.moved", { count: uids.length, folder: folderName(to, folders, t) }), back);
    },
    async remove(uids: string[]): Promise<{ permanently: number }> {
      const done = await run(() => local.removeMessages(store, uids));
      if (!done) return { permanently: 0 };
      undo.done(
        done.undo
          ? t("mail.deleted", { count: uids.length })
          : t("actions.deletedForGood", { count: done.permanently }),
        done.undo,
      );
      return done;
    },
    async archive(uids: string[]) {
      const back = await run(() => local.archiveMessages(store, uids, t("special.archive")));
      if (back) undo.done(t("actions.archived", { count: uids.length, folder: t("special.archive") }), back);
    },
    async spam(uids: string[], spam: boolean) {
      const back = await run(() =>
        local.reportSpam(store, uids, spam, {
          junk: t("special.junk"),
          rule: (sender) => t("actions.spamRuleName", { sender }),
        }),
      );
      if (back)
        undo.done(t(spam ? "actions.reportedSpam" : "actions.notSpamDone", { count: uids.length }), back);
    },
    async setSeen(uids: string[], seen: boolean) {
      const back = await run(() => local.setSeen(store, uids, seen));
      if (back)
        undo.done(t(seen ? "actions.markedRead" : "actions.markedUnread", { count: uids.length }), back);
    },
  };
}
