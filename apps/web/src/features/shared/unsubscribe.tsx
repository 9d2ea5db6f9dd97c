"use client";

import { useState } from "react";
import { useTranslation } from "@/i18n/react";
import { findLookalikeHost, toUnicodeHost, type Unsubscribe } from "@pismo/protocol/trust";
import { buttonClass, Dialog } from "@/components/ui/dialog";
import { useCompose } from "../compose/compose-context";

/**
 * `Unsubscribe` beside the sender of mail from a list (List-Unsubscribe, RFC 2369), as Gmail
 * and Apple Mail show it. It asks first, saying where the request goes: the sender's page
 * (opened in a new tab, without a referrer) or an unsubscribe message (the compose window,
 * filled in as the list asks, sent by the reader). Nothing is sent or opened without a press.
 */
export function UnsubscribeButton({ unsubscribe }: { unsubscribe: Unsubscribe }) {
  const { t } = useTranslation();
  const compose = useCompose();
  const [asking, setAsking] = useState(false);
  const { web, mailto } = unsubscribe;
  // The host as the reader knows it, unless it imitates another: then its A-label (punycode),
  // the form that cannot disguise itself, as a browser's address bar shows it.
  const hostname = web ? new URL(web).hostname : null;
  const host = hostname && (findLookalikeHost(hostname) ? hostname : toUnicodeHost(hostname));
  return (
    <>
      <button
        type="button"
        className="rounded-md px-1.5 py-0.5 text-xs text-accent underline-offset-2 hover:underline"
        onClick={() => setAsking(true)}
      >
        {t("unsubscribe.button")}
      </button>
      <Dialog open={asking} title={t("unsubscribe.title")} onClose={() => setAsking(false)}>
        {asking && (
          <div className="space-y-3 text-sm">
            <p>{t("unsubscribe.intro")}</p>
            <p className="text-xs text-slate-600 dark:text-slate-400">{t("unsubscribe.spamHint")}</p>
            <div className="flex flex-col items-start gap-3">
              {web && (
                <div className="space-y-1">
                  <button
                    type="button"
                    className={buttonClass.primary}
                    onClick={() => {
                      window.open(web, "_blank", "noopener,noreferrer");
                      setAsking(false);
                    }}
                  >
                    {t("unsubscribe.openPage", { host })}
                  </button>
                  <p className="break-all text-xs text-slate-500">{web}</p>
                </div>
              )}
              {mailto && (
                <div className="space-y-1">
                  <button
                    type="button"
                    className={web ? buttonClass.secondary : buttonClass.primary}
                    onClick={() => {
                      compose.open({
                        mode: "new",
                        to: mailto.address,
                        // The words lists' robots look for, where the list asks for none.
                        subject: mailto.subject ?? "unsubscribe",
                        text: mailto.body ?? "unsubscribe",
                      });
                      setAsking(false);
                    }}
                  >
                    {t("unsubscribe.writeMessage")}
                  </button>
                  <p className="text-xs text-slate-500 [overflow-wrap:anywhere]">
                    {t("unsubscribe.messageTo", { address: mailto.address })}
                  </p>
                </div>
              )}
            </div>
            <div className="flex justify-end">
              <button type="button" className={buttonClass.secondary} onClick={() => setAsking(false)}>
                {t("unsubscribe.cancel")}
              </button>
            </div>
          </div>
        )}
      </Dialog>
    </>
  );
}
