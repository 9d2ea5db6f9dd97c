"use client";

import { useTranslation } from "@/i18n/react";
import { Dialog, buttonClass } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { signOut } from "../sign-in/session-api";
import type { Pop3Store } from "./pop3-store";

/**
 * Signing out of a POP3 account asks what becomes of the mail pulled into this browser: kept
 * for the next sign-in here, or wiped (a shared computer). Either way a running pull stops
 * first (`onLeave`), so it does not write into a store being wiped.
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
      <div className="flex flex-col gap-2">
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
