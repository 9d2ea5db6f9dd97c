"use client";

import { useId, useState } from "react";
import { useTranslation } from "@/i18n/react";
import {
  defaultVacation,
  sieveNeeds,
  vacationNeeds,
  vacationSchema,
  type Vacation,
} from "@pismo/protocol/rules";
import { buttonClass } from "@/components/ui/dialog";
import { WholeNumberInput } from "@/components/ui/whole-number-input";
import { vacationProblem } from "./rule-problems";
import { extensionList } from "./rule-words";
import { useUnsavedInSettings } from "./settings-dialog";
import { lacking, type SieveExtensions } from "./sieve-support";

const inputClass =
  "rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm disabled:opacity-50 dark:border-slate-600 dark:bg-slate-800";

/**
 * Out of office (Sieve vacation, RFC 5230): runs on the server, so IMAP only. On a server that
 * does not run it (`sieveExtensions`), it is not offered; one set up already is shown as it is,
 * said so, with a way to remove it (the server takes no script with it). Without RFC 5260's
 * dates, the first and last day are not offered.
 */
export function VacationForm({
  value,
  sieveExtensions = null,
  onSave,
}: {
  value: Vacation;
  /** The Sieve extensions the server runs; null when not known (everything is offered). */
  sieveExtensions?: SieveExtensions;
  /** Resolves once saved; rejects when not (its owner says why). */
  onSave: (v: Vacation) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [v, setV] = useState<Vacation>(value);
  const [addresses, setAddresses] = useState(value.addresses.join(", "));
  // What the server keeps: as given, then as last saved from here. Any other value is an edit
  // not saved yet, and closing Settings asks first.
  const [kept, setKept] = useState(value);
  const listed = (text: string) =>
    text
      .split(",")
      .map((a) => a.trim())
      .filter(Boolean);
  useUnsavedInSettings(
    JSON.stringify({ ...v, addresses: [] }) !== JSON.stringify({ ...kept, addresses: [] }) ||
      listed(addresses).join(",") !== kept.addresses.join(","),
  );
  const [error, setError] = useState<string | null>(null);
  const noReply = lacking(sieveExtensions, sieveNeeds.vacation);
  // Said only where the reply runs: without it, the note above says more.
  const noDays = noReply.length > 0 ? [] : lacking(sieveExtensions, sieveNeeds.vacationDays);
  const datesNote = useId();
  const replyNote = useId();
  // Set up on the server (the script has it): shown, not hidden, until it is removed.
  const setUp = vacationNeeds(kept).length > 0;
  const offered = noReply.length === 0 || setUp;

  const remove = () => {
    setError(null);
    onSave(defaultVacation).then(
      () => {
        setKept(defaultVacation);
        setV(defaultVacation);
        setAddresses("");
      },
      () => undefined,
    );
  };

  const save = (next: Vacation) => {
    const list = listed(addresses);
    const parsed = vacationSchema.safeParse({ ...next, addresses: list });
    if (!parsed.success) {
      setError(vacationProblem(parsed.error.issues[0], list, t));
      return;
    }
    setError(null);
    onSave(parsed.data).then(
      () => setKept(parsed.data),
      () => undefined,
    );
  };

  return (
    // A form: Enter in a one-line field saves, as the Save button does. Its own checks say
    // what is wrong in the page's words (the browser's would stop a "0" days with a bubble).
    <form
      noValidate
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        save(v);
      }}
    >
      <p className="text-xs text-slate-500">{t("filters.vacationHint")}</p>
      {noReply.length > 0 && (
        <p id={replyNote} role="note" className="text-xs text-amber-800 dark:text-amber-300">
          {t(setUp ? "filters.vacationUnsupportedSet" : "filters.vacationUnsupported", {
            extensions: extensionList(noReply, t),
          })}
        </p>
      )}
      <fieldset disabled={!offered} className="space-y-2">
        <label className="flex items-center gap-2">
          <button
            type="button"
            role="switch"
            aria-checked={v.enabled}
            aria-label={t("filters.vacation")}
            aria-describedby={noReply.length > 0 ? replyNote : undefined}
            onClick={() => setV({ ...v, enabled: !v.enabled })}
            className={`relative h-5 w-9 shrink-0 rounded-full ${v.enabled ? "bg-accent" : "bg-slate-300 dark:bg-slate-600"}`}
          >
            <span
              className={`absolute top-0.5 h-4 w-4 rounded-full bg-white transition-all ${v.enabled ? "left-4" : "left-0.5"}`}
            />
          </button>
          <span aria-hidden>{t("filters.vacation")}</span>
        </label>
        <label className="flex flex-col gap-1">
          {t("filters.vacationSubject")}
          <input
            className={inputClass}
            maxLength={200}
            value={v.subject}
            onChange={(e) => setV({ ...v, subject: e.target.value.replace(/[\r\n]/g, " ") })}
          />
        </label>
        <label className="flex flex-col gap-1">
          {t("filters.vacationMessage")}
          <textarea
            className={inputClass}
            rows={4}
            maxLength={10000}
            value={v.message}
            onChange={(e) => setV({ ...v, message: e.target.value })}
          />
        </label>
        <div className="flex flex-wrap gap-3">
          <label className="flex flex-col gap-1">
            {t("filters.firstDay")}
            <input
              type="date"
              className={inputClass}
              disabled={noDays.length > 0 && v.firstDay === null}
              aria-describedby={noDays.length > 0 ? datesNote : undefined}
              value={v.firstDay ?? ""}
              onChange={(e) => setV({ ...v, firstDay: e.target.value || null })}
            />
          </label>
          <label className="flex flex-col gap-1">
            {t("filters.lastDay")}
            <input
              type="date"
              className={inputClass}
              disabled={noDays.length > 0 && v.lastDay === null}
              aria-describedby={noDays.length > 0 ? datesNote : undefined}
              value={v.lastDay ?? ""}
              onChange={(e) => setV({ ...v, lastDay: e.target.value || null })}
            />
          </label>
          <label className="flex flex-col gap-1">
            {t("filters.days")}
            <WholeNumberInput
              min={1}
              max={365}
              className={`${inputClass} w-24`}
              value={v.days}
              // 0 (under the least) while what is typed is not a number of days: Save says so.
              onChange={(days) => setV({ ...v, days: days ?? 0 })}
            />
          </label>
        </div>
        {noDays.length > 0 && (
          <p id={datesNote} className="text-xs text-slate-500">
            {t("filters.datesUnsupported", { extensions: extensionList(noDays, t) })}
          </p>
        )}
        <label className="flex flex-col gap-1">
          {t("filters.addresses")}
          <input className={inputClass} value={addresses} onChange={(e) => setAddresses(e.target.value)} />
        </label>
        {error && (
          <p
            role="alert"
            className="rounded-lg bg-red-50 px-3 py-2 text-red-800 dark:bg-red-950/40 dark:text-red-200"
          >
            {error}
          </p>
        )}
        <div className="flex flex-wrap gap-2">
          <button type="submit" className={buttonClass.primary}>
            {t("filters.saveVacation")}
          </button>
          {noReply.length > 0 && setUp && (
            <button type="button" className={buttonClass.secondary} onClick={remove}>
              {t("filters.removeVacation")}
            </button>
          )}
        </div>
      </fieldset>
    </form>
  );
}
