"use client";

import { useEffect, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { Dialog, buttonClass } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { signOut } from "../sign-in/session-api";
import { downloadMbox } from "../shared/mbox-download";
import { mboxEntries } from "./pop3-export";
import type { Pop3Store } from "./pop3-store";

/** The messages that exist only in this browser, as one mbox file. */
async function exportOnlyHere(store: Pop3Store): Promise<void> {
  const rows = await store.onlyHere();
  await downloadMbox(mboxEntries(store, rows), rows.length, "pismo-only-in-this-browser.mbox");
}

/**
 * Signing out of a POP3 account asks what becomes of the mail pulled into this browser: kept
 * for the next sign-in here, or wiped (a shared computer). Either way a running pull stops
 * first (`onLeave`), so it does not write into a store being wiped. Mail a pull removed from
 * the server (and mail sent from here) has its only copy here: the dialog says how many such
 * messages there are and offers them as an mbox file before they can be removed.
 */
export function Pop3SignOutDialog({
  open,
  store,
  onCancel,
  onLeave,
  onSignedOut,
}: {
  open: boolean;
  store: Pop3Store;
  onCancel: () => void;
  onLeave: () => void;
  onSignedOut: () => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const [onlyHere, setOnlyHere] = useState<number | null>(null);
  useEffect(() => {
    if (!open) return;
    let live = true;
    store.countOnlyHere().then(
      (count) => {
        if (live) setOnlyHere(count);
      },
      () => undefined,
    );
    return () => {
      live = false;
      // Counted afresh each time the dialog opens.
      setOnlyHere(null);
    };
  }, [open, store]);
  const finish = async (wipe: boolean) => {
    onCancel();
    onLeave();
    if (wipe) {
      await store.wipe();
      toast(t("pop3.wiped"));
    }
    await signOut().catch(() => undefined);
    onSignedOut();
  };
  return (
    <Dialog open={open} title={t("pop3.signOutTitle")} onClose={onCancel}>
      <p className="mb-4 text-sm">{t("pop3.signOutQuestion")}</p>
      {onlyHere !== null && onlyHere > 0 && (
        <p
          role="note"
          className="mb-4 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
        >
          {t("pop3.onlyHere", { count: onlyHere })}
        </p>
      )}
      <div className="flex flex-col gap-2">
        {onlyHere !== null && onlyHere > 0 && (
          <button type="button" className={buttonClass.secondary} onClick={() => void exportOnlyHere(store)}>
            {t("pop3.exportOnlyHere")}
          </button>
        )}
        <button type="button" className={buttonClass.secondary} onClick={() => void finish(false)}>
          {t("pop3.keepMail")}
        </button>
        <button type="button" className={buttonClass.danger} onClick={() => void finish(true)}>
          {t("pop3.wipeMail")}
        </button>
        <button type="button" className={buttonClass.ghost} onClick={onCancel}>
          {t("mail.cancel")}
        </button>
      </div>
    </Dialog>
  );
}
