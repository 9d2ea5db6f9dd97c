"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { notificationPermission, useNotificationPrefs, writePrefs } from "./notification-prefs";

/**
 * The bell in the header: desktop notifications and the new-mail sound. The browser is asked
 * for permission only when the user turns desktop notifications on (a click), never at load:
 * browsers ignore or punish a prompt without a gesture, and it would greet every visitor.
 */
export function NotificationsSetting() {
  const { t } = useTranslation();
  const prefs = useNotificationPrefs();
  const [open, setOpen] = useState(false);
  const [permission, setPermission] = useState(notificationPermission);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const bell = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent) {
        if (event.key !== "Escape") return;
        // From inside the panel, the focus goes back to the bell (not to the page's body).
        if (root.current?.contains(document.activeElement)) bell.current?.focus();
        setOpen(false);
      } else if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  const toggleDesktop = async (on: boolean) => {
    if (!on) return writePrefs({ ...prefs, desktop: false });
    let granted = notificationPermission();
    if (granted === "default") granted = await Notification.requestPermission();
    setPermission(granted);
    writePrefs({ ...prefs, desktop: granted === "granted" });
  };

  const state =
    permission === "unsupported"
      ? t("notifications.unsupported")
      : permission === "denied"
        ? t("notifications.denied")
        : null;
  const active = prefs.desktop && permission === "granted";

  return (
    <div
      ref={root}
      className="relative"
      // Tab out of the panel closes it, as a click elsewhere does (a blur with nowhere to go is the
      // window's, such as the browser's permission prompt: the panel stays for its answer).
      onBlur={(e) => {
        const to = e.relatedTarget as Node | null;
        if (open && to && !root.current?.contains(to)) setOpen(false);
      }}
    >
      <button
        ref={bell}
        type="button"
        aria-label={t("notifications.button")}
        aria-expanded={open}
        aria-controls={panelId}
        title={t("notifications.button")}
        onClick={() => setOpen((o) => !o)}
        className="flex size-7 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
      >
        <svg
          aria-hidden
          viewBox="0 0 20 20"
          className="size-4"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
        >
          <path
            d="M10 3a4.5 4.5 0 0 0-4.5 4.5v3L4 13h12l-1.5-2.5v-3A4.5 4.5 0 0 0 10 3Z"
            strokeLinejoin="round"
          />
          <path d="M8.2 15.5a1.9 1.9 0 0 0 3.6 0" strokeLinecap="round" />
          {active ? <circle cx="15" cy="5" r="2.5" fill="currentColor" stroke="none" /> : null}
        </svg>
      </button>
      {open ? (
        <div
          id={panelId}
          role="group"
          aria-label={t("notifications.title")}
          className="absolute right-0 top-9 z-30 w-72 space-y-2 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <label className="flex items-start gap-2">
            <input
              type="checkbox"
              className="mt-0.5"
              checked={active}
              disabled={permission === "unsupported" || permission === "denied"}
              onChange={(e) => {
                // The box shows whether notifications are on, not the click: the browser may
                // refuse or the prompt be dismissed.
                const on = e.currentTarget.checked;
                e.currentTarget.checked = active;
                void toggleDesktop(on);
              }}
            />
            <span>
              {t("notifications.desktop")}
              <span className="block text-xs text-slate-500 dark:text-slate-400">
                {t("notifications.desktopHint")}
              </span>
            </span>
          </label>
          {state ? <p className="text-xs text-amber-700 dark:text-amber-400">{state}</p> : null}
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={prefs.sound}
              onChange={(e) => writePrefs({ ...prefs, sound: e.target.checked })}
            />
            <span>{t("notifications.sound")}</span>
          </label>
        </div>
      ) : null}
    </div>
  );
}
