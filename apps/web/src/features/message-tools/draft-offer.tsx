"use client";

import { useState } from "react";
import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";
import { localeOf } from "@/i18n";
import { useCompose } from "../compose/compose-context";
import { LOCAL_KEY, readLocalCopy } from "../compose/local-copy";
import { offerableCopy } from "./local-draft";

/**
 * After a tab closed while a message was being written, the next page of the same account
 * offers that message back: the copy the compose window kept in this browser at every change.
 */
export function DraftOffer({ account }: { account: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const compose = useCompose();
  // Read once, when the mailbox opens: a message written in this page is not "left behind".
  const [copy, setCopy] = useState(() => offerableCopy(readLocalCopy(account)));
  if (!copy || compose.request) return null;
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
        {t("messageTools.unsentText", { time: saved })}
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
            localStorage.removeItem(LOCAL_KEY);
            setCopy(null);
          }}
        >
          {t("messageTools.discardDraft")}
        </button>
        <button
          type="button"
          className={buttonClass.primary}
          onClick={() => {
            compose.open({ mode: "saved", ref: copy.draftUid, fields: copy.fields });
            setCopy(null);
          }}
        >
          {t("messageTools.continueDraft")}
        </button>
      </div>
    </section>
  );
}
