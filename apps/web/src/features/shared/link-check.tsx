"use client";

import type { TFunction } from "@/i18n/translate";
import { useTranslation } from "@/i18n/react";
import { checkLink, highlightUrl, toUnicodeHost } from "@pismo/protocol/trust";
import type { LinkCheck } from "@pismo/protocol/trust";
import { buttonClass } from "@/components/ui/dialog";

/** A link the reader must see the real destination of before it opens, or null for an honest one. */
export function linkNeedsCheck(text: string, href: string): LinkCheck | null {
  const check = checkLink(text, href);
  return check.differs || check.alwaysAsk ? check : null;
}

/**
 * The app page that shows a link's real destination. Target and text travel in the
 * fragment, which the browser never sends to a server (so no log holds the link).
 */
export function linkCheckUrl(href: string, text: string): string {
  const params = new URLSearchParams({ to: href, text: text.trim().slice(0, 500) });
  return `${window.location.origin}/check-link#${params.toString()}`;
}

/** Reads what linkCheckUrl put in the fragment; null when it holds no http(s) or mailto target. */
export function readLinkCheckFragment(hash: string): { href: string; text: string } | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const href = params.get("to") ?? "";
  if (!/^(?:https?:\/\/|mailto:)/i.test(href)) return null;
  return { href, text: params.get("text") ?? "" };
}

/** The mark put after a marked link's text in an HTML message. */
export function linkMarkText(check: LinkCheck, t: TFunction): string {
  const domain = check.targetDomain ?? check.targetHost;
  if (!domain) return "⚠";
  return t("trust.linkMark", { domain: check.lookalike ? domain : toUnicodeHost(domain) });
}

/**
 * The real destination (its registrable domain highlighted, punycode for a lookalike host),
 * the link's text, why it is shown, and Open / Cancel. Open is a link so that it opens with
 * no referrer and no opener, as every link of a message does.
 */
export function LinkCheckContent({
  href,
  text,
  onCancel,
  newTab,
}: {
  href: string;
  text: string;
  onCancel: () => void;
  /** Open in a new tab (from the app) or in this one (the link check page). */
  newTab: boolean;
}) {
  const { t } = useTranslation();
  const check = checkLink(text, href);
  const parts = highlightUrl(href);
  return (
    <div className="space-y-3 text-sm">
      <div>
        <p className="text-slate-600 dark:text-slate-300">{t("trust.realDestination")}</p>
        <p
          className="mt-1 break-all rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-[13px] text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300"
          data-testid="link-destination"
        >
          {parts ? (
            <>
              {parts.before}
              <mark className="rounded bg-amber-200 px-0.5 font-semibold text-slate-950 dark:bg-amber-400">
                {parts.domain}
              </mark>
              {parts.after}
            </>
          ) : (
            href
          )}
        </p>
      </div>
      {text.trim() !== "" && (
        <div>
          <p className="text-slate-600 dark:text-slate-300">{t("trust.linkText")}</p>
          <p className="mt-1 break-words text-slate-900 dark:text-slate-100">{text.trim()}</p>
        </div>
      )}
      {check.reasons.length > 0 && (
        <ul className="list-disc space-y-0.5 pl-5 text-amber-900 dark:text-amber-200">
          {check.reasons.map((reason) => (
            <li key={reason}>{t(`trust.reason.${reason}`)}</li>
          ))}
        </ul>
      )}
      <div className="flex justify-end gap-2 pt-1">
        {/* In a <dialog> (showModal() focuses it by its attribute) or alone on /check-link's
            page (the page's first autofocus). */}
        {/* eslint-disable-next-line no-restricted-syntax */}
        <button type="button" className={buttonClass.secondary} onClick={onCancel} autoFocus>
          {t("trust.cancel")}
        </button>
        <a
          role="button"
          href={href}
          rel="noopener noreferrer"
          {...(newTab ? { target: "_blank" } : {})}
          className={buttonClass.primary}
          onClick={() => {
            if (newTab) onCancel();
          }}
        >
          {t("trust.open")}
        </a>
      </div>
    </div>
  );
}
