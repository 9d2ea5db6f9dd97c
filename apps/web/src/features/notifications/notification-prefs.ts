import { useSyncExternalStore } from "react";

/** Kept in this browser: permission to notify is the browser's, per site. */
export interface NotificationPrefs {
  desktop: boolean;
  sound: boolean;
}

const KEY = "pismo.notifications";
const OFF: NotificationPrefs = { desktop: false, sound: false };
const listeners = new Set<() => void>();
let cached: { raw: string | null; prefs: NotificationPrefs } | null = null;

export function parsePrefs(raw: string | null): NotificationPrefs {
  if (!raw) return OFF;
  try {
    const value = JSON.parse(raw) as Partial<Record<keyof NotificationPrefs, unknown>> | null;
    return { desktop: value?.desktop === true, sound: value?.sound === true };
  } catch {
    return OFF;
  }
}

export function readPrefs(): NotificationPrefs {
  let raw: string | null = null;
  try {
    raw = localStorage.getItem(KEY);
  } catch {
    // Storage blocked: notifications stay off.
  }
  if (cached?.raw !== raw) cached = { raw, prefs: parsePrefs(raw) };
  return cached.prefs;
}

export function writePrefs(next: NotificationPrefs): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // Storage blocked: the choice lasts until the page closes.
    cached = { raw: JSON.stringify(next), prefs: next };
  }
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useNotificationPrefs(): NotificationPrefs {
  return useSyncExternalStore(subscribe, readPrefs, () => OFF);
}

/** "granted", "denied", "default", or "unsupported" where the browser has no Notification. */
export function notificationPermission(): NotificationPermission | "unsupported" {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}
