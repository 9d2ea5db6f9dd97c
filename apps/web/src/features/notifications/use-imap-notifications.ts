"use client";

import { useCallback, useEffect, useRef } from "react";
import { useTranslation } from "@/i18n/react";
import type { MailEvent } from "@pismo/protocol/schemas";
import { useTRPCClient } from "@/trpc/client";
import { forgetPlacedInInbox, newInInbox, notificationText } from "./new-mail";
import { announceNewMail } from "./notifier";
import { useNotificationPrefs } from "./notification-prefs";
import { useNotificationClicks } from "./use-notification-clicks";

const INBOX = "INBOX";

/**
 * New mail in the IMAP Inbox, from the push the app already receives (IDLE on the Inbox when
 * it is open, LIST-STATUS counts otherwise): the newest rows are read once per push and
 * compared with the highest UID seen so far. Returns the handler to give the event stream.
 */
export function useImapNotifications(opts: { viewingInbox: boolean; open: (uid: number) => void }) {
  const client = useTRPCClient();
  const { t } = useTranslation();
  const lastUid = useRef<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(opts);
  useEffect(() => {
    latest.current = opts;
  });
  // What this mailbox placed in its Inbox means nothing to the next one opened in this page.
  useEffect(() => forgetPlacedInInbox, []);

  const newestRows = useCallback(
    async () =>
      (await client.imap.list.query({ folder: INBOX, offset: 0, limit: 20, sort: "arrival" })).messages,
    [client],
  );

  // Nothing is asked of the server for users who want neither a notification nor a sound.
  const prefs = useNotificationPrefs();
  const enabled = prefs.desktop || prefs.sound;

  // What is already in the Inbox when the mailbox opens (or notifying is turned on) is not news.
  useEffect(() => {
    lastUid.current = null;
    if (!enabled) return;
    let stale = false;
    newestRows()
      .then((rows) => {
        if (!stale) lastUid.current = Math.max(lastUid.current ?? 0, ...rows.map((m) => m.uid));
      })
      .catch(() => undefined);
    return () => {
      stale = true;
      if (timer.current) clearTimeout(timer.current);
    };
  }, [newestRows, enabled]);

  const check = useCallback(async () => {
    const since = lastUid.current;
    if (since === null) return;
    const rows = await newestRows();
    const arrived = newInInbox(since, rows);
    lastUid.current = Math.max(since, ...rows.map((m) => m.uid));
    const text = notificationText(
      arrived.map((m) => ({
        id: String(m.uid),
        from: m.from?.name || m.from?.address || "",
        subject: m.subject,
      })),
      {
        several: (count) => t("notifications.several", { count }),
        noSubject: t("notifications.noSubject"),
        unknownSender: t("notifications.unknownSender"),
      },
    );
    announceNewMail(text, latest.current.viewingInbox, () => {
      if (text) latest.current.open(Number(text.open.id));
    });
  }, [newestRows, t]);

  useNotificationClicks((id) => latest.current.open(Number(id)));

  return useCallback(
    (event: MailEvent) => {
      const inbox =
        (event.type === "exists" || event.type === "counts") && event.folder.toUpperCase() === INBOX;
      if (!inbox) return;
      // EXISTS and the counts often come together: one look at the Inbox for both.
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        timer.current = null;
        check().catch(() => undefined);
      }, 250);
    },
    [check],
  );
}
