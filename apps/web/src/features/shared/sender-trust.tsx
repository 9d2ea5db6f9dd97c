"use client";

import type { TFunction } from "@/i18n/translate";
import { useTranslation } from "@/i18n/react";
import type { Address } from "@pismo/protocol/schemas";
import { checkSender, toUnicodeHost } from "@pismo/protocol/trust";
import type { ListInfo, NamedAddress, SenderVerdict, SenderWarning } from "@pismo/protocol/trust";

/** What the reading view says about who sent a message. */
export interface SenderTrustView {
  /** Null: nobody checked (no verdict of the server, no signature to check). */
  verdict: SenderVerdict | null;
  /** Pismo is checking the signature itself right now. */
  pending: boolean;
  warnings: SenderWarning[];
}

/**
 * The people the reader knows, for "this name is a contact's but the address is new".
 * Pismo has no address book yet: these are the people the reader has written to (the
 * compose panel remembers them in this browser). Senders seen in the list are not used: a
 * forger's earlier message would make the forger a "contact".
 */
export function knownContacts(): NamedAddress[] {
  try {
    const stored = JSON.parse(localStorage.getItem("pismo.recipients") ?? "[]") as unknown;
    if (!Array.isArray(stored)) return [];
    return stored
      .filter(
        (a): a is Address =>
          typeof a === "object" &&
          a !== null &&
          typeof (a as Address).address === "string" &&
          typeof (a as Address).name === "string",
      )
      .map((a) => ({ name: a.name, address: a.address }));
  } catch {
    return [];
  }
}

/** The warnings about a message's sender, from its parsed addresses and list headers. */
export function senderWarningsOf(
  m: { from: Address | null; replyTo: readonly Address[]; to: readonly Address[]; cc: readonly Address[] },
  list: ListInfo | null,
  verdict: SenderVerdict | null,
): SenderWarning[] {
  return checkSender({
    from: m.from,
    replyTo: m.replyTo,
    list,
    recipients: [...m.to, ...m.cc],
    contacts: knownContacts(),
    verifiedDomain: verdict?.status === "verified" ? (verdict.domain ?? null) : null,
  });
}

/** The sender is verified for the domain of the From address (its DMARC-aligned domain). */
export function isVerified(verdict: SenderVerdict | null | undefined): boolean {
  return verdict?.status === "verified";
}

/**
 * The small status next to From: Verified (with the domain, and who checked), a quiet Not
 * verified, or Failed in warning colours naming what failed. Nothing while no verdict exists.
 */
export function SenderStatus({ trust }: { trust: SenderTrustView }) {
  const { t } = useTranslation();
  const { verdict, pending } = trust;
  if (!verdict && !pending) return null;
  const base = "inline-flex flex-wrap items-center gap-x-1.5 rounded-md px-1.5 py-0.5 text-xs";
  if (!verdict)
    return (
      <span role="status" aria-label={t("trust.senderVerification")} className={`${base} text-slate-500`}>
        {t("trust.checking")}
      </span>
    );
  const domain = verdict.domain ? toUnicodeHost(verdict.domain) : "";
  if (verdict.status === "verified")
    return (
      <span
        role="status"
        aria-label={t("trust.senderVerification")}
        title={t("trust.verifiedTitle", { domain })}
        className={`${base} bg-emerald-50 text-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-200`}
      >
        <span className="font-semibold">✓ {t("trust.verified")}</span>
        {domain && <span>{t("trust.verifiedDomain", { domain })}</span>}
        {verdict.method === "pismo" && <span className="opacity-80">· {t("trust.checkedByPismo")}</span>}
      </span>
    );
  if (verdict.status === "failed") {
    const checks = (verdict.failed ?? []).map((c) => c.toUpperCase()).join(", ") || "DKIM";
    return (
      <span
        role="status"
        aria-label={t("trust.senderVerification")}
        className={`${base} bg-red-50 text-red-800 ring-1 ring-red-200 dark:bg-red-950/50 dark:text-red-200 dark:ring-red-900`}
      >
        <span className="font-semibold">⚠ {t("trust.failed")}</span>
        <span>
          {domain ? t("trust.failedWhat", { checks, domain }) : t("trust.failedWhatNoDomain", { checks })}
        </span>
        {verdict.method === "pismo" && <span className="opacity-80">· {t("trust.checkedByPismo")}</span>}
      </span>
    );
  }
  return (
    <span
      role="status"
      aria-label={t("trust.senderVerification")}
      title={t("trust.notVerifiedTitle")}
      className={`${base} text-slate-500 dark:text-slate-400`}
    >
      {t("trust.notVerified")}
      {verdict.viaList && <span>· {t("trust.viaList")}</span>}
    </span>
  );
}

/** One alert per way the sender dresses up as someone else, each saying exactly what. */
export function SenderWarnings({ warnings }: { warnings: readonly SenderWarning[] }) {
  const { t } = useTranslation();
  if (warnings.length === 0) return null;
  return (
    <>
      {warnings.map((w) => (
        <div
          key={w.kind}
          role="alert"
          className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100"
        >
          ⚠ {warningText(w, t)}
        </div>
      ))}
    </>
  );
}

function warningText(w: SenderWarning, t: TFunction) {
  switch (w.kind) {
    case "name-shows-other-address":
      return t("trust.warning.name-shows-other-address", { shown: w.shownAddress, actual: w.actualAddress });
    case "contact-name-new-address":
      return t("trust.warning.contact-name-new-address", { name: w.contactName, actual: w.actualAddress });
    case "reply-to-other-domain":
      return t("trust.warning.reply-to-other-domain", {
        replyTo: w.replyTo,
        fromDomain: toUnicodeHost(w.fromDomain),
      });
    case "lookalike-domain":
      return t("trust.warning.lookalike-domain", { ascii: w.ascii });
  }
}
