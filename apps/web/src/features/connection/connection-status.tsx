"use client";

import { useTranslation } from "@/i18n/react";
import { useConnection } from "@/trpc/connection";

const dot: Record<string, string> = {
  live: "bg-emerald-500",
  reconnecting: "bg-amber-500 animate-pulse",
  offline: "bg-slate-400",
};

/**
 * The live state of the WebSocket: `Live`, `Reconnecting…` or `Offline` (ui-contract); also
 * `Reconnecting…` while the gateway's own connection to the mail server is down, since nothing
 * is pushed then either.
 */
export function ConnectionStatus() {
  const { t } = useTranslation();
  const { status: socket, mailServerUp } = useConnection();
  const status = socket === "live" && !mailServerUp ? "reconnecting" : socket;
  return (
    <div
      role="status"
      aria-label={t("connection.label")}
      aria-live="polite"
      className="flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-400"
    >
      <span aria-hidden className={`inline-block size-2 rounded-full ${dot[status]}`} />
      {/* On a phone the header is tight: the usual state is its green dot alone (the word stays
          for screen readers); a connection that is not live says so in words. */}
      <span className={status === "live" ? "sr-only sm:not-sr-only" : undefined}>
        {t(`connection.${status}`)}
      </span>
    </div>
  );
}
