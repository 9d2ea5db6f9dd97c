"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useLayoutEffect, useRef, useState } from "react";
import { warmFormats } from "@pismo/protocol/format";
import { localeOf } from "@/i18n";
import { useTranslation } from "@/i18n/react";
import { ConnectionRoot, useConnection } from "@/trpc/connection";
import { useTRPC } from "@/trpc/client";
import type { UiErrorCode } from "@/lib/errors";
import { whenIdle } from "@/lib/when-idle";
import { ConnectionStatus } from "./connection/connection-status";
import { Preferences } from "./settings/preferences";
import { SEARCH_SLOT_ID } from "./search/search-slot";
import { SignInPage } from "./sign-in/sign-in-page";
import { removeEarlySignIn, SIGNED_IN_HINT } from "./sign-in/early-sign-in";
import { AppHeader } from "./app-header";
import { seedFirstScreen } from "./sign-in/first-screen";
import { UpdateNotice } from "./app-install/update-notice";
import { offlineAccount, rememberOfflineAccount } from "./app-install/offline-account";
import { NotificationsSetting } from "./notifications/notifications-setting";
// The mail views load after sign-in, each with what it needs (IMAP: the list and the HTML
// policy; POP3: IndexedDB and the MIME parser): the sign-in page ships neither.
const ImapApp = lazy(() => import("./imap/imap-app").then((m) => ({ default: m.ImapApp })));
const Pop3App = lazy(() => import("./pop3/pop3-app").then((m) => ({ default: m.Pop3App })));

export function App() {
  return (
    <ConnectionRoot>
      {/* The shown language's catalog is fetched on start (src/i18n): nothing paints before it. */}
      <Suspense fallback={null}>
        <Shell />
      </Suspense>
    </ConnectionRoot>
  );
}

function Shell() {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const { restart, epoch, status } = useConnection();
  const qc = useQueryClient();
  const session = useQuery({ ...trpc.session.current.queryOptions(), staleTime: Infinity });
  const [notice, setNotice] = useState<UiErrorCode | null>(null);
  const hadSession = useRef(false);
  // POP3 mail is read from this browser even when a reload finds the gateway gone.
  const [offline] = useState(offlineAccount);
  useEffect(() => rememberOfflineAccount(session.data), [session.data]);
  const account = session.data ?? (session.data === undefined && status === "offline" ? offline : null);
  // Without the gateway's "signed in" hint cookie there is no session to wait for: the sign-in
  // form shows at once, not after a WebSocket has opened to ask.
  const [hinted] = useState(mayBeSignedIn);
  // The page's early copy of the sign-in form goes once this screen is mounted: a sign-in form
  // shown now has taken what was typed into it (its own render, before this effect).
  useLayoutEffect(removeEarlySignIn, []);

  // Every (re)opened socket may carry another session (sign-in, sign-out, gateway restart)
  // and may have missed pushes: refetch everything shown, the session first. Except the socket
  // reopened right after a sign-in whose answer seeded the first screen: that is fresh.
  const seeded = useRef(false);
  useEffect(() => {
    // Taken on every open: the first socket of the page may be the one that opens after the
    // sign-in (a sign-in sent before it had opened), and the flag must not outlive it.
    const fresh = seeded.current;
    seeded.current = false;
    if (epoch > 1 && !fresh) void qc.invalidateQueries();
  }, [epoch, qc]);

  // While the sign-in form waits for the reader, the mail view's code loads (the IMAP one, the
  // form's default) and the formatters of its first rows are built, so that signing in waits
  // for the server only.
  const showingForm = !account && !(session.isPending && (hinted || status === "offline"));
  const locale = localeOf(i18n.language);
  useEffect(() => {
    if (!showingForm) return;
    return whenIdle(
      () => {
        void import("./imap/imap-app");
        warmFormats(locale);
      },
      { timeoutMs: 2_000, fallbackMs: 500 },
    );
  }, [showingForm, locale]);

  // The session vanished under us (expired, gateway restarted): back to sign-in, saying why.
  useEffect(() => {
    if (session.data) hadSession.current = true;
    else if (session.data === null && hadSession.current) {
      hadSession.current = false;
      setNotice((n) => n ?? "SESSION_EXPIRED");
    }
  }, [session.data]);

  const afterSessionChange = (next: UiErrorCode | null = null) => {
    hadSession.current = false;
    setNotice(next);
    // The new socket carries the new cookie; the session query refetches through it.
    restart();
  };

  return (
    <div className="flex min-h-dvh flex-col">
      <AppHeader t={t}>
        {/* The mailbox puts its search box here (features/search/search-box.tsx). */}
        <div id={SEARCH_SLOT_ID} className="flex min-w-8 flex-1 justify-end md:min-w-0 md:justify-center" />
        <div className="flex min-w-0 items-center gap-2 sm:gap-3">
          <ConnectionStatus />
          {account ? <NotificationsSetting /> : null}
          <Preferences />
        </div>
      </AppHeader>
      {account ? (
        <Suspense fallback={<p className="m-auto text-sm text-slate-500">{t("mail.loading")}</p>}>
          {account.protocol === "pop3" ? (
            <Pop3App
              account={account}
              onSignedOut={(reason) => afterSessionChange(reason === "SESSION_EXPIRED" ? reason : null)}
            />
          ) : (
            <ImapApp
              account={account}
              onSignedOut={(reason) => afterSessionChange(reason === "SESSION_EXPIRED" ? reason : null)}
            />
          )}
        </Suspense>
      ) : session.isPending && (hinted || status === "offline") ? (
        status === "offline" ? (
          <p className="m-auto max-w-sm px-4 text-center text-sm text-slate-500">{t("appInstall.offline")}</p>
        ) : null
      ) : (
        <SignInPage
          key={notice ?? "none"}
          notice={notice}
          // The mail view's code loads while the server checks the password, not after.
          onSubmitting={(protocol, firstView) => {
            if (protocol === "pop3") void import("./pop3/pop3-app");
            // In conversation view the conversation list's code loads beside the sign-in too:
            // asked for after the answer, it was one more round trip before the first rows.
            // Through the mail view's own module, so the code is split as before.
            else
              void import("./imap/imap-app")
                .then((m) => (firstView === "conversations" ? m.preloadConversationList() : undefined))
                .catch(() => undefined);
          }}
          onSignedIn={(answer, rows) => {
            // The first screen paints from the answer; the socket that carries the new cookie
            // opens behind it.
            seedFirstScreen(qc, trpc, answer, rows);
            seeded.current = true;
            afterSessionChange();
          }}
        />
      )}
      <UpdateNotice />
    </div>
  );
}

/** Whether the gateway's hint cookie says this browser may hold a session. */
function mayBeSignedIn(): boolean {
  return typeof document !== "undefined" && SIGNED_IN_HINT.test(document.cookie);
}
