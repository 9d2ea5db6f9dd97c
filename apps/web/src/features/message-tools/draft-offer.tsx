"use client";

import { useState } from "react";
import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";
import { localeOf } from "@/i18n";
import { useCompose } from "../compose/compose-context";
import { forgetUnsent, LOCAL_KEY, readLocalCopy, readUnsent, type LocalCopy } from "../compose/local-copy";
import { offerableCopy } from "./local-draft";

/**
 * After a tab closed while a message was being written, the next page of the same account
 * offers that message back: the copy the compose window kept in this browser at every change.
 * Then, one at a time, messages that could neither be sent nor saved in Drafts after their
 * window was replaced (kept apart: `UNSENT_KEY`).
 */
export function DraftOffer({ account }: { account: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const compose = useCompose();
  // Read once, when the mailbox opens: a message written in this page is not "left behind".
  const [copies, setCopies] = useState<{ copy: LocalCopy; apart: boolean }[]>(() => [
    ...[offerableCopy(readLocalCopy(account))].flatMap((copy) => (copy ? [{ copy, apart: false }] : [])),
    ...readUnsent(account).flatMap((kept) => {
      const copy = offerableCopy(kept);
      return copy ? [{ copy, apart: true }] : [];
    }),
  ]);
  const shown = copies[0];
  if (!shown || compose.request) return null;
  const { copy, apart } = shown;
  // Done with this one (continued or discarded): the next, if any, is offered after it.
  const next = () => {
    if (apart && copy.writer) forgetUnsent(copy.writer);
    setCopies((list) => list.slice(1));
  };
  const saved = new Date(copy.savedAt).toLocaleString(locale, {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  });
  return (
    <section
      aria-label={t("messageTools.unsentTitle")}
      className="fixed right-4 bottom-4 left-4 z-30 rounded-xl border border-slate-300 bg-white p-4 shadow-xl sm:left-auto sm:w-96 dark:border-slate-700 dark:bg-slate-900"
    >
      <h2 className="text-sm font-semibold">{t("messageTools.unsentTitle")}</h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
        {t(apart ? "messageTools.unsentFailedText" : "messageTools.unsentText", { time: saved })}
      </p>
      <p className="mt-2 truncate rounded bg-slate-50 px-2 py-1 text-sm dark:bg-slate-800">
        <span className="font-medium">{copy.fields.subject || t("mail.noSubject")}</span>
        {copy.fields.to && <span className="text-slate-500"> — {copy.fields.to}</span>}
      </p>
      {copy.draftUid !== null && (
        <p className="mt-1 text-xs text-slate-500">{t("messageTools.unsentAlsoInDrafts")}</p>
      )}
      <div className="mt-3 flex justify-end gap-2">
        <button
          type="button"
          className={buttonClass.ghost}
          onClick={() => {
            if (!apart) localStorage.removeItem(LOCAL_KEY);
            next();
          }}
        >
          {t("messageTools.discardDraft")}
        </button>
        <button
          type="button"
          className={buttonClass.primary}
          onClick={() => {
            compose.open({ mode: "saved", ref: copy.draftUid, fields: copy.fields });
            next();
          }}
        >
          {t("messageTools.continueDraft")}
        </button>
      </div>
    </section>
  );
}
