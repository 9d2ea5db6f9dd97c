"use client";

import { lazy, useEffect, useState, type ComponentProps } from "react";
import type { ImapReadingPane as ReadingPaneType } from "./imap-reading-pane";

// The parts of the IMAP mailbox that the first rows do not need load after them, each a chunk
// of its own: the reading view (with the HTML policy and the sender checks), conversations,
// and the settings' sections (identities, contacts, filters).
let loadedReadingPane: typeof ReadingPaneType | null = null;
const loadMessageView = () =>
  import("./imap-reading-pane").then((m) => {
    loadedReadingPane = m.ImapReadingPane;
    return m;
  });
const loadConversationList = () => import("../conversations/imap-conversation-list");
const loadConversationView = () => import("../conversations/imap-conversation-view");
const loadSettingsSections = () => import("./imap-settings-sections");

const LazyReadingPane = lazy(() => loadMessageView().then((m) => ({ default: m.ImapReadingPane })));

/**
 * The reading pane. Once its code is loaded (usePreloadReading) it renders directly: through
 * React.lazy it would suspend on its first render however loaded the code, and React holds a
 * suspended boundary's content back for 300 ms after showing its fallback.
 */
export function ImapReadingPane(props: ComponentProps<typeof LazyReadingPane>) {
  // Chosen once per mount, so a pane shown before the code arrived is not mounted twice.
  const [Loaded] = useState(() => loadedReadingPane);
  return Loaded ? <Loaded {...props} /> : <LazyReadingPane {...props} />;
}
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
