"use client";

import { useContext, useEffect, useRef, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { describeError } from "@/lib/errors";
import { pickReplyIdentity, senderOf } from "@pismo/protocol/identities";
// The zod-free module alone: this file is loaded with the first screen (Settings).
import { bracketedMessageId } from "@pismo/protocol/receipts/report";
import type { Address, ReceiptSend } from "@pismo/protocol/schemas";
import { IdentitiesContext } from "../identities/identities-context";
import { focusableOutOfTabOrder } from "../shortcuts/use-mail-shortcuts";
import { ChoiceSetting, readChoice } from "./browser-choice";
import { receiptAsked } from "./display-message";

/** Whether requests are asked about (the default) or never shown: Settings → Read receipts. */
type ReceiptPolicy = "ask" | "never";
const KEY = "pismo.readReceipts";
const CHOICES: readonly [ReceiptPolicy, ...ReceiptPolicy[]] = ["ask", "never"];

/** The request the message view shows: receiptAsked, unless this browser never asks. */
export function shownReceipt(...args: Parameters<typeof receiptAsked>): AskedReceipt | null {
  if (!args[0] || readChoice(KEY, CHOICES) === "never") return null;
  return receiptAsked(...args);
}

/** The Settings section (as Roundcube's and Thunderbird's): ask each time, or never. */
export function ReadReceiptSetting() {
  const { t } = useTranslation();
  return (
    <ChoiceSetting
      storageKey={KEY}
      choices={CHOICES}
      title={t("readReceipt.setting")}
      legend={t("readReceipt.legend")}
      help={t("readReceipt.help")}
      label={(c) => t(`readReceipt.${c}`)}
    />
  );
}

/** What a message asks (receipts/request.ts's ReceiptRequest) and where it was delivered. */
export interface AskedReceipt {
  to: string[];
  elsewhere: boolean;
}

/**
 * A sender's request for a read receipt (RFC 8098), under the message's header: nothing is
 * sent unless the reader presses `Send receipt`, and either answer ends the question for this
 * message (on every device for IMAP: $MDNSent). Where the receipt would go is shown, with a
 * warning when that is not where the message came from (a tracker asking on a sender's behalf).
 * `answer(send)` sends (or declines) and notes it; its failure leaves the question open.
 */
export function ReadReceiptRequest({
  asked,
  answer,
  ready = true,
}: {
  asked: AskedReceipt;
  answer: (send: boolean) => Promise<void>;
  /** False while the identity to send as is not known yet: Send receipt waits for it. */
  ready?: boolean;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const section = useRef<HTMLElement>(null);
  const to = asked.to.join(", ");
  const reply = async (send: boolean) => {
    // Its buttons go with it (and are disabled meanwhile): the focus goes on to the message.
    const message = section.current?.contains(document.activeElement)
      ? section.current.closest<HTMLElement>("article")
      : null;
    setBusy(true);
    try {
      await answer(send);
      focusableOutOfTabOrder(message)?.focus();
      if (send) toast(t("readReceipt.sent"));
    } catch (error) {
      toast(describeError(error, t), "error");
    } finally {
      setBusy(false);
    }
  };
  return (
    <section
      ref={section}
      aria-label={t("readReceipt.region")}
      className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-sky-200 bg-sky-50 px-4 py-2 text-sm text-sky-950 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-100"
    >
      <p className="min-w-0 flex-1 basis-64">
        {t("readReceipt.asks")}{" "}
        <span
          className={`[overflow-wrap:anywhere] ${asked.elsewhere ? "font-medium text-amber-800 dark:text-amber-300" : ""}`}
        >
          {asked.elsewhere ? t("readReceipt.elsewhere", { to }) : t("readReceipt.goesTo", { to })}
        </span>
      </p>
      <span className="flex gap-2">
        <button
          type="button"
          className={buttonClass.secondary}
          disabled={busy || !ready}
          onClick={() => void reply(true)}
        >
          {t("readReceipt.send")}
        </button>
        <button type="button" className={buttonClass.ghost} disabled={busy} onClick={() => void reply(false)}>
          {t("readReceipt.decline")}
        </button>
      </span>
    </section>
  );
}

/**
 * The receipt the reader's press sends, for `message` (null: none asked): to where it asked,
 * about its subject and Message-ID, in the page's language, as the identity the message was
 * written to, as a reply's (else the account's own address). Asks for the identities once such
 * a message is shown (an IMAP account reads them from its server only when needed); `ready`
 * is false until they are in, so that a receipt is never sent as the wrong address.
 */
export function useReceiptToSend(
  message:
    { to: Address[]; cc: Address[]; subject?: string | null; messageId?: string | null } | null | undefined,
): { ready: boolean; receiptFor: (asked: AskedReceipt) => ReceiptSend } {
  const { i18n } = useTranslation();
  const identities = useContext(IdentitiesContext);
  const asking = message != null;
  useEffect(() => {
    if (asking) identities?.need();
  }, [asking, identities]);
  const receiptFor = (asked: AskedReceipt): ReceiptSend => {
    const found = identities && message ? pickReplyIdentity(identities.settings.identities, message) : null;
    return {
      to: asked.to,
      ...(found ? { from: senderOf(found) } : {}),
      subject: message?.subject ?? "",
      originalMessageId: bracketedMessageId(message?.messageId),
      language: i18n.language.startsWith("sr") ? "sr" : "en",
    };
  };
  return { ready: !identities || identities.loaded, receiptFor };
}
