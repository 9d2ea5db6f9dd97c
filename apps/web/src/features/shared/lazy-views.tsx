"use client";

import { lazy, Suspense, useEffect, type ComponentProps } from "react";

// The reading views (the HTML policy, the sender checks with their public suffix list, the
// conversation view) load after the first rows are on screen, while the browser is idle, not
// with the mailbox: the first screen paints sooner, and a message opened at once still finds
// its code there or on its way.
const loadImapView = () => import("../imap/imap-message-view");
const loadPop3View = () => import("../pop3/pop3-message-view");
const loadImapConversation = () => import("../conversations/imap-conversation-view");
const loadPop3Conversation = () => import("../conversations/pop3-conversation-view");

const ImapView = lazy(() => loadImapView().then((m) => ({ default: m.ImapMessageView })));
const Pop3View = lazy(() => loadPop3View().then((m) => ({ default: m.Pop3MessageView })));
const ImapConversation = lazy(() =>
  loadImapConversation().then((m) => ({ default: m.ImapConversationView })),
);
const Pop3Conversation = lazy(() =>
  loadPop3Conversation().then((m) => ({ default: m.Pop3ConversationView })),
);

/** After the mailbox has had time to show its first rows (they need a round trip to the mail
 * server), loads the reading views while the page is idle. */
export function usePreloadReading(protocol: "imap" | "pop3"): void {
  useEffect(() => {
    const load = () => {
      if (protocol === "imap") void loadImapView().then(loadImapConversation);
      else void loadPop3View().then(loadPop3Conversation);
    };
    let idle: number | null = null;
    const timer = setTimeout(() => {
      if (typeof requestIdleCallback === "function") idle = requestIdleCallback(load, { timeout: 1000 });
      else load();
    }, AFTER_FIRST_ROWS_MS);
    return () => {
      clearTimeout(timer);
      if (idle !== null) cancelIdleCallback(idle);
    };
  }, [protocol]);
}

/** Sign-in to rows takes about half a second on a near server; a message opened sooner loads
 * its view on the click. */
const AFTER_FIRST_ROWS_MS = 1500;

export function LazyImapMessageView(props: ComponentProps<typeof ImapView>) {
  return (
    <Suspense fallback={null}>
      <ImapView {...props} />
    </Suspense>
  );
}

export function LazyPop3MessageView(props: ComponentProps<typeof Pop3View>) {
  return (
    <Suspense fallback={null}>
      <Pop3View {...props} />
    </Suspense>
  );
}

export function LazyImapConversationView(props: ComponentProps<typeof ImapConversation>) {
  return (
    <Suspense fallback={null}>
      <ImapConversation {...props} />
    </Suspense>
  );
}

export function LazyPop3ConversationView(props: ComponentProps<typeof Pop3Conversation>) {
  return (
    <Suspense fallback={null}>
      <Pop3Conversation {...props} />
    </Suspense>
  );
}
