"use client";

import { useEffect, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { Notice, NoticeArea } from "@/components/ui/notice";
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
    <NoticeArea className="bottom-4 justify-center">
      <Notice
        label={t("appInstall.update")}
        text={t("appInstall.ready")}
        action={{ label: t("appInstall.reload"), onClick: () => acceptUpdate(waiting) }}
        dismiss={{ label: t("appInstall.later"), onClick: () => setWaiting(null) }}
      />
    </NoticeArea>
  );
}
