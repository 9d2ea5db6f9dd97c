"use client";

import { Suspense, useEffect, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { LinkCheckContent, readLinkCheckFragment } from "./link-check";

/** The page a marked link of an HTML message opens: the real destination, then Open or Cancel. */
export function LinkCheckPage() {
  return (
    // The catalog of the shown language loads on start (src/i18n).
    <Suspense fallback={null}>
      <LinkCheck />
    </Suspense>
  );
}

function leave() {
  // A tab a message link opened has one history entry and may close itself; otherwise go back.
  window.close();
  setTimeout(() => {
    if (window.history.length > 1) window.history.back();
    else window.location.replace("/");
  }, 150);
}

function LinkCheck() {
  const { t } = useTranslation();
  // Rendered in the browser only (the page loads it without server rendering).
  const [link] = useState(() => readLinkCheckFragment(window.location.hash));
  useEffect(() => {
    document.title = `${t("trust.checkLink")} · Pismo`;
  }, [t]);
  return (
    <main className="flex min-h-dvh items-start justify-center bg-slate-100 px-3 py-10 sm:items-center dark:bg-slate-950">
      <div
        role="dialog"
        aria-labelledby="check-link-title"
        className="w-[min(34rem,100%)] rounded-2xl border border-slate-200 bg-white p-5 text-slate-900 shadow-xl dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      >
        <h1 id="check-link-title" className="mb-3 text-base font-semibold">
          {t("trust.checkLink")}
        </h1>
        {link ? (
          <LinkCheckContent href={link.href} text={link.text} onCancel={leave} newTab={false} />
        ) : (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {t("trust.badLink")}
          </p>
        )}
      </div>
    </main>
  );
}
