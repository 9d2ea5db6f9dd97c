"use client";

import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { acceptUpdate, registerAppWorker } from "./register-worker";

/**
 * Registers the service worker and, when a new version of Pismo has been deployed and its
 * worker is waiting, offers to reload onto it. It never reloads by itself: a message may be
 * half written.
 */
export function UpdateNotice() {
  const { t } = useTranslation();
  const [waiting, setWaiting] = useState<ServiceWorker | null>(null);
  useEffect(() => registerAppWorker(setWaiting), []);
  if (!waiting) return null;
  return (
    <div
      role="status"
      aria-label={t("appInstall.update")}
      className="fixed bottom-4 left-1/2 z-50 flex -translate-x-1/2 items-center gap-3 rounded-lg bg-slate-900 px-4 py-2 text-sm text-white shadow-lg dark:bg-slate-100 dark:text-slate-900"
    >
      <span>{t("appInstall.ready")}</span>
      <button
        type="button"
        className="rounded-md bg-accent px-2.5 py-1 font-medium text-white"
        onClick={() => acceptUpdate(waiting)}
      >
        {t("appInstall.reload")}
      </button>
      <button
        type="button"
        aria-label={t("appInstall.later")}
        className="px-1 text-slate-300 dark:text-slate-600"
        onClick={() => setWaiting(null)}
      >
        ×
      </button>
    </div>
  );
}
