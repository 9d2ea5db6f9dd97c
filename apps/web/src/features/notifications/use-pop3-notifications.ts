"use client";

import { useEffect, useRef } from "react";
import { useTranslation } from "@/i18n/react";
import type { StoredMessage } from "../pop3/pop3-database";
import { arrivedSince, notificationText } from "./new-mail";
import { announceNewMail } from "./notifier";
import { useNotificationClicks } from "./use-notification-clicks";

/**
 * POP3 mail arrives only by a pull: after a pull that stored messages, the unread ones that
 * filters left in the Inbox and that were not there before the pull make one notification.
 */
export function usePop3Notifications(opts: {
  running: boolean;
  /** Changes once per finished pull that stored messages. */
  storedAt: number | null;
  inbox: () => Promise<StoredMessage[]>;
  viewingInbox: boolean;
  open: (uid: string) => void;
}) {
  const { t } = useTranslation();
  const before = useRef<Promise<Set<string>> | null>(null);
  const latest = useRef(opts);
  useEffect(() => {
    latest.current = opts;
  });

  // What was in the Inbox when the pull began.
  useEffect(() => {
    if (opts.running) before.current = latest.current.inbox().then((rows) => new Set(rows.map((m) => m.uid)));
  }, [opts.running]);

  useEffect(() => {
    const baseline = before.current;
    if (opts.storedAt === null || !baseline) return;
    before.current = null;
    void (async () => {
      const known = await baseline;
      const rows = (await latest.current.inbox()).map((m) => ({ ...m, id: m.uid }));
      const arrived = arrivedSince(known, rows).filter((m) => !m.seen);
      const text = notificationText(
        arrived.map((m) => ({ id: m.uid, from: m.from || m.fromAddress, subject: m.subject })),
        {
          several: (count) => t("notifications.several", { count }),
          noSubject: t("notifications.noSubject"),
          unknownSender: t("notifications.unknownSender"),
        },
      );
      announceNewMail(text, latest.current.viewingInbox, () => {
        if (text) latest.current.open(text.open.id);
      });
    })().catch(() => undefined);
  }, [opts.storedAt, t]);

  useNotificationClicks((id) => latest.current.open(id));
}
