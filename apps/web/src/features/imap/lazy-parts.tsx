"use client";

import { lazy, useEffect, useState, type ComponentProps, type ComponentType } from "react";
import { whenIdle } from "@/lib/when-idle";
import { useTranslation } from "@/i18n/react";
import { localeOf } from "@/i18n";
import type { ImapReadingPane as ReadingPaneType } from "./imap-reading-pane";

// The parts of the IMAP mailbox that the first rows do not need load after them, each a chunk
// of its own: the reading view (with the HTML policy and the sender checks), conversations,
// search results, and the settings' sections (identities, contacts, filters).
let loadedReadingPane: typeof ReadingPaneType | null = null;
const loadMessageView = () =>
  import("./imap-reading-pane").then((m) => {
    loadedReadingPane = m.ImapReadingPane;
    return m;
  });
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

/**
 * A part whose code loads apart and, once loaded (`preload`), renders directly: React.lazy
 * alone would suspend on its first render however loaded the code, and show its fallback for
 * at least 300 ms.
 */
function preloadable<P extends object>(load: () => Promise<ComponentType<P>>) {
  let loaded: ComponentType<P> | null = null;
  const preload = () =>
    load().then((component) => {
      loaded = component;
      return component;
    });
  const Lazy = lazy(() => preload().then((component) => ({ default: component })));
  function Part(props: P) {
    const [Loaded] = useState(() => loaded);
    const Shown = (Loaded ?? Lazy) as ComponentType<P>;
    return <Shown {...props} />;
  }
  return { Part, preload };
}

const conversationList = preloadable(() =>
  import("../conversations/imap-conversation-list").then((m) => m.ImapConversationList),
);
const conversationView = preloadable(() =>
  import("../conversations/imap-conversation-view").then((m) => m.ImapConversationView),
);
// Search results: the pane, its list and the merging of what the page already holds (~3.5 kB).
const searchPane = preloadable(() => import("../search/imap-search-pane").then((m) => m.ImapSearchPane));
export const ImapSearchPane = searchPane.Part;
export const ImapConversationList = conversationList.Part;
/** The conversation list's code, asked for while a sign-in in conversation view is on its way:
 * its first screen renders directly instead of waiting for the code after the answer. */
export const preloadConversationList = conversationList.preload;
export const ImapConversationView = conversationView.Part;
export const ImapSettingsSections = lazy(() =>
  loadSettingsSections().then((m) => ({ default: m.ImapSettingsSections })),
);

/**
 * Once rows are on screen and the browser is idle, the reading view's code is fetched,
 * evaluated and run once, so the first message opened after sign-in waits for no download
 * and pays no first-run costs.
 */
export function usePreloadReading(rowsShown: boolean): void {
  const { i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  useEffect(() => {
    if (!rowsShown) return;
    let cancelled = false;
    // The timeout: a busy page (rows streaming in) still gets the view within a second.
    const idle = (fn: () => void) => whenIdle(fn, { timeoutMs: 1_000, fallbackMs: 200 });
    let cancel = idle(() => {
      void loadMessageView().then(
        (view) => {
          // Then, in another idle moment, its first run (see warmReading), then the
          // conversations' and the search results' code, so switching to them never waits on a
          // download either.
          if (!cancelled)
            cancel = idle(() => {
              view.warmReading(locale);
              void Promise.all([
                conversationList.preload(),
                conversationView.preload(),
                searchPane.preload(),
              ]).catch(() => undefined);
            });
        },
        () => undefined,
      );
    });
    return () => {
      cancelled = true;
      cancel();
    };
  }, [rowsShown, locale]);
}
