"use client";

import { lazy, useEffect } from "react";

// The parts of the IMAP mailbox that the first rows do not need load after them, each a chunk
// of its own: the reading view (with the HTML policy and the sender checks), conversations,
// and the settings' sections (identities, contacts, filters).
const loadMessageView = () => import("./imap-reading-pane");
const loadConversationList = () => import("../conversations/imap-conversation-list");
const loadConversationView = () => import("../conversations/imap-conversation-view");
const loadSettingsSections = () => import("./imap-settings-sections");

export const ImapReadingPane = lazy(() => loadMessageView().then((m) => ({ default: m.ImapReadingPane })));
export const ImapConversationList = lazy(() =>
  loadConversationList().then((m) => ({ default: m.ImapConversationList })),
);
export const ImapConversationView = lazy(() =>
  loadConversationView().then((m) => ({ default: m.ImapConversationView })),
);
export const ImapSettingsSections = lazy(() =>
  loadSettingsSections().then((m) => ({ default: m.ImapSettingsSections })),
);

/**
 * Once rows are on screen and the browser is idle, the reading view's code is fetched,
 * evaluated and run once, so the first message opened after sign-in waits for no download
 * and pays no first-run costs.
 */
export function usePreloadReading(rowsShown: boolean): void {
  useEffect(() => {
    if (!rowsShown) return;
    let cancelled = false;
    let handle = 0;
    const idle = (fn: () => void) =>
      typeof window.requestIdleCallback === "function"
        ? // The timeout: a busy page (rows streaming in) still gets the view within a second.
          window.requestIdleCallback(fn, { timeout: 1_000 })
        : window.setTimeout(fn, 200);
    handle = idle(() => {
      void loadMessageView().then(
        (view) => {
          // Then, in another idle moment, its first run (see warmReading).
          if (!cancelled) handle = idle(() => view.warmReading());
        },
        () => undefined,
      );
    });
    return () => {
      cancelled = true;
      if (typeof window.cancelIdleCallback === "function") window.cancelIdleCallback(handle);
      else window.clearTimeout(handle);
    };
  }, [rowsShown]);
}
