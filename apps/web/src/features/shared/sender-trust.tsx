"use client";

import type { TFunction } from "@/i18n/translate";
import { useTranslation } from "@/i18n/react";
import type { Address } from "@pismo/protocol/schemas";
import { checkSender, toUnicodeHost } from "@pismo/protocol/trust";
import type { ListInfo, NamedAddress, SenderVerdict, SenderWarning } from "@pismo/protocol/trust";
import { remoteAllowedFor } from "@/lib/remote-content";

/** What the reading view says about who sent a message. */
export interface SenderTrustView {
  /** Null: nobody checked (no verdict of the server, no signature to check). */
  verdict: SenderVerdict | null;
  /** Pismo is checking the signature itself right now. */
  pending: boolean;
  warnings: SenderWarning[];
  /** Pismo can check the signature, but waits to be asked: shown as a "Check sender" button. */
  check?: () => void;
}

/**
 * The people the reader knows, for "this name is a contact's but the address is new": the
 * people the reader has written to (the compose panel remembers them in this browser). Senders
 * seen in the list, and the address book's contacts collected from mail read, are not used: a
 * forger's earlier message would make the forger a "contact".
 */
export function knownContacts(): readonly NamedAddress[] {
  return readContacts().list;
}

/** The list as last read, and its addresses lower-cased: parsed again only when it changed. */
let known: { raw: string | null; list: NamedAddress[]; addresses: Set<string> } | null = null;

function readContacts(): { list: NamedAddress[]; addresses: Set<string> } {
  let raw: string | null = null;
  try {
    raw = localStorage.getItem("pismo.recipients");
  } catch {
    /* no storage: nobody known */
  }
  if (known?.raw === raw) return known;
  let list: NamedAddress[] = [];
  try {
    const stored = JSON.parse(raw ?? "[]") as unknown;
    if (Array.isArray(stored))
      list = stored
        .filter(
          (a): a is Address =>
            typeof a === "object" &&
            a !== null &&
            typeof (a as Address).address === "string" &&
            typeof (a as Address).name === "string",
        )
        .map((a) => ({ name: a.name, address: a.address }));
  } catch {
    /* a damaged list: nobody known */
  }
  known = { raw, list, addresses: new Set(list.map((c) => c.address.trim().toLowerCase())) };
  return known;
}

/**
 * Pismo may check this sender's signature as soon as the message is shown, without being
 * asked. The check looks up DNS records of the From domain, and its nameservers learn when
 * the message was opened, as a remote image would tell its server. So it runs by itself
 * only for a sender the user already trusts that far: one whose remote content is always
 * shown, or one the user has written to. The gateway looks up nothing outside the From
 * domain, so a forged From of such a sender reaches only that sender's own nameservers.
 */
export function checksSenderUnasked(address: string | undefined): boolean {
  const key = address?.trim().toLowerCase();
  if (!key) return false;
  return remoteAllowedFor(key) || readContacts().addresses.has(key);
}

/**
 * What a reading view does about Pismo's own check of one message: ask the gateway now
 * (`run`), or offer "Check sender" (`offer`). A neighbour rendered out of sight does neither.
 */
export function selfCheckPlan(state: {
  /** The gateway can check this message (signed with From's domain, no verdict of the server). */
  selfCheck: boolean;
  /** checksSenderUnasked of its From address. */
  unasked: boolean;
  /** The user pressed "Check sender" for this message. */
  asked: boolean;
  standby: boolean;
}): { run: boolean; offer: boolean } {
  const wanted = state.unasked || state.asked;
  return {
    run: state.selfCheck && wanted && !state.standby,
    offer: state.selfCheck && !wanted && !state.standby,
  };
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
 * verified, or Failed in warning colours naming what failed. While no verdict exists:
 * "Check sender" where Pismo waits to be asked, else nothing.
 */
export function SenderStatus({ trust }: { trust: SenderTrustView }) {
  const { t } = useTranslation();
  const { verdict, pending, check } = trust;
  if (!verdict && !pending) {
    if (!check) return null;
    return (
      <button
        type="button"
        title={t("trust.checkSenderTitle")}
        onClick={check}
        className="rounded-md px-1.5 py-0.5 text-xs text-accent underline-offset-2 hover:underline"
      >
        {t("trust.checkSender")}
      </button>
    );
  }
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
