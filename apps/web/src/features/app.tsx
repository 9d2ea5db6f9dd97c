"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { i18n } from "@/i18n";
import { ConnectionRoot, useConnection } from "@/trpc/connection";
import { useTRPC } from "@/trpc/client";
import type { UiErrorCode } from "@/lib/errors";
import { ConnectionStatus } from "./connection/connection-status";
import { Preferences } from "./settings/preferences";
import { SignInPage } from "./sign-in/sign-in-page";
import { MailApp } from "./mail/mail-app";

export function App() {
  return (
    <I18nextProvider i18n={i18n}>
      <ConnectionRoot>
        <Shell />
      </ConnectionRoot>
    </I18nextProvider>
  );
}

function Shell() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { restart } = useConnection();
  const session = useQuery({ ...trpc.session.current.queryOptions(), staleTime: Infinity });
  const [notice, setNotice] = useState<UiErrorCode | null>(null);

  const afterSessionChange = (next: UiErrorCode | null = null) => {
    setNotice(next);
    // The new socket carries the new cookie; the session query refetches through it.
    restart();
  };

  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex h-12 shrink-0 items-center justify-between gap-3 border-b border-slate-200 bg-white px-3 dark:border-slate-800 dark:bg-slate-900">
        <div className="flex items-baseline gap-2">
          <span className="text-lg font-semibold tracking-tight text-accent">{t("app.name")}</span>
          <span className="hidden text-xs text-slate-500 sm:inline dark:text-slate-400">{t("app.tagline")}</span>
        </div>
        <div className="flex items-center gap-3">
          <ConnectionStatus />
          <Preferences />
        </div>
      </header>
      {session.data ? (
        <MailApp account={session.data} onSignedOut={(reason) => afterSessionChange(reason ?? null)} />
      ) : session.isPending ? null : (
        <SignInPage notice={notice} onSignedIn={() => afterSessionChange()} />
      )}
    </div>
  );
}
