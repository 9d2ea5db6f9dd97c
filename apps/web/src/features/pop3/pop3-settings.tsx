"use client";

import { FileImportButton } from "@/components/ui/file-import-button";
import { useId, useState, type ReactNode } from "react";
import { useTranslation } from "@/i18n/react";
import { useNotSavedRange } from "../shared/use-not-saved-range";
import { WholeNumberInput } from "@/components/ui/whole-number-input";
import { localActionTypes, type Rule } from "@pismo/protocol/rules";
import { suggestedDeleteAfterDays, type Pop3Policy } from "@pismo/protocol/pop3";
import { buttonClass } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { downloadBlob } from "@/lib/download";
import { RulesList } from "../filters/rules-list";
import { ContactsSection } from "../contacts/contacts-section";
import type { Pop3Settings, Pop3Store } from "./pop3-store";
import { AfterActingSetting } from "../actions/after-acting";
import { ReadReceiptSetting } from "../shared/read-receipt";
import { UndoSendSetting } from "../compose/undo-send-setting";
import { useStoragePersisted } from "./use-storage-persisted";
import { SettingsExportError } from "./local-settings";
import { describeError } from "@/lib/errors";

const inputClass =
  "rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm disabled:opacity-50 dark:border-slate-600 dark:bg-slate-800";
const DEFAULT_HEADERS_ONLY_KB = 50; // Thunderbird's default for "do not download messages larger than".

/**
 * The account's POP3 options (Thunderbird's set), its local filters, and the export/import
 * that carries them to another computer.
 */
export function Pop3SettingsPane({
  store,
  settings,
  onClose,
  draft,
  onDraftDone,
  identities,
}: {
  store: Pop3Store;
  settings: Pop3Settings;
  onClose: () => void;
  /** A rule to open in the editor at once ("Create rule from message"). */
  draft?: Rule | null;
  onDraftDone?: (saved: boolean) => void;
  /** The account's Identities and Signature sections, shown first. */
  identities?: ReactNode;
}) {
  const { t } = useTranslation();
  const notSaved = useNotSavedRange();
  const toast = useToast();
  const id = useId();
  const [fileError, setFileError] = useState<string | null>(null);
  const persisted = useStoragePersisted();
  const ruleFolders = [
    { id: "inbox", name: t("special.inbox") },
    ...settings.folders,
    { id: "trash", name: t("special.trash") },
  ];
  // The checkboxes answer at once; IndexedDB's copy follows a moment later. `shown` is the
  // policy as it was before the first change, then each one written here, the last being what
  // the page shows: a stored policy read back that is one of the earlier ones (the live query
  // lags a quick second click by up to its burst interval) is stale, and showing it flipped a
  // box just changed back, undoing a click landing then. Any other stored policy (an import,
  // another tab) replaces it.
  const [shown, setShown] = useState<Pop3Policy[]>([]);
  const [writing, setWriting] = useState(0);
  const mine = shown.at(-1);
  const stale =
    mine !== undefined &&
    !samePolicy(settings.policy, mine) &&
    (writing > 0 || shown.slice(0, -1).some((p) => samePolicy(p, settings.policy)));
  const policy = stale ? mine : settings.policy;
  // The last write read back: the history is done with.
  if (mine !== undefined && writing === 0 && samePolicy(settings.policy, mine)) setShown([]);

  const setPolicy = (patch: Partial<Pop3Policy>) => {
    const value = { ...policy, ...patch };
    setShown((before) => [...(before.length > 0 ? before : [settings.policy]), value].slice(-20));
    setWriting((n) => n + 1);
    void store.setPolicy(value).finally(() => setWriting((n) => n - 1));
  };

  async function importFile(file: File) {
    setFileError(null);
    const result = await store.importSettings(await file.text());
    if (result.ok)
      toast(
        t("pop3.imported", {
          folders: result.settings.folders.length,
          filters: (result.settings.rules ?? result.settings.filters).length,
        }),
      );
    else
      setFileError(
        t("pop3.importFailed", {
          // The file's own problem in the user's words; where in the file, as the parser says it.
          reason:
            result.code === "invalid"
              ? t("pop3.importInvalid", { detail: result.error.replace(/^Invalid settings file: /, "") })
              : t(result.code === "not-json" ? "pop3.importNotJson" : "pop3.importVersion"),
        }),
      );
  }

  async function exportFile() {
    setFileError(null);
    let file;
    try {
      file = await store.exportSettings();
    } catch (error) {
      // Said beside the buttons, as an import's problem is: a click that does nothing is not.
      setFileError(
        error instanceof SettingsExportError
          ? t("pop3.exportFailed", { detail: error.message })
          : describeError(error, t),
      );
      return;
    }
    downloadBlob([JSON.stringify(file, null, 2)], "application/json", "pismo-pop3-settings.json");
  }

  return (
    <section aria-label={t("pop3.settingsTitle")} className="flex min-h-0 flex-1 flex-col">
      <div className="flex h-11 shrink-0 items-center gap-2 border-b border-slate-200 px-4 dark:border-slate-800">
        <h2 className="flex-1 text-base font-semibold">{t("pop3.settingsTitle")}</h2>
        <button type="button" className={buttonClass.ghost} onClick={onClose}>
          {t("pop3.close")}
        </button>
      </div>
      <div className="min-h-0 flex-1 space-y-6 overflow-y-auto px-4 py-4 text-sm">
        {identities}
        <fieldset className="space-y-2">
          <legend className="mb-1 font-semibold">{t("pop3.serverCopies")}</legend>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={policy.leaveOnServer}
              onChange={(e) => setPolicy({ leaveOnServer: e.target.checked })}
            />
            {t("pop3.leaveCopy")}
          </label>
          <p
            role="note"
            className={`rounded-lg px-3 py-2 text-xs ${policy.leaveOnServer ? "bg-amber-50 text-amber-900 dark:bg-amber-950/40 dark:text-amber-200" : "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300"}`}
          >
            {policy.leaveOnServer ? t("pop3.leaveCopyWarning") : t("pop3.leaveCopyOff")}
          </p>
          {/* Mail removed from the server has its only copy here, in storage the browser may clear. */}
          {!policy.leaveOnServer && persisted === false && (
            <p
              role="note"
              className="rounded-lg bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
            >
              {t("pop3.mayBeCleared")}
            </p>
          )}
          <div className="flex flex-wrap items-center gap-2 pl-6">
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                disabled={!policy.leaveOnServer}
                checked={policy.deleteAfterDays !== null}
                onChange={(e) =>
                  setPolicy({ deleteAfterDays: e.target.checked ? suggestedDeleteAfterDays : null })
                }
              />
              {t("pop3.removeAfter")}
            </label>
            {/* Shown as typed and taken once in range; until then the value in force stays. */}
            <WholeNumberInput
              aria-label={t("pop3.days")}
              min={1}
              max={36500}
              disabled={!policy.leaveOnServer || policy.deleteAfterDays === null}
              value={policy.deleteAfterDays ?? suggestedDeleteAfterDays}
              onChange={(days) => days !== null && setPolicy({ deleteAfterDays: days })}
              invalidMessage={notSaved(1, 36500)}
              unit={t("pop3.days")}
              className={`${inputClass} w-20`}
            />
          </div>
          <label className="flex items-center gap-2 pl-6">
            <input
              type="checkbox"
              disabled={!policy.leaveOnServer}
              checked={policy.deleteWhenDeletedLocally}
              onChange={(e) => setPolicy({ deleteWhenDeletedLocally: e.target.checked })}
            />
            {t("pop3.removeWhenDeleted")}
          </label>
          <div className="flex flex-wrap items-center gap-2">
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={policy.headersOnlyAboveBytes !== null}
                onChange={(e) =>
                  setPolicy({
                    headersOnlyAboveBytes: e.target.checked ? DEFAULT_HEADERS_ONLY_KB * 1024 : null,
                  })
                }
              />
              {t("pop3.headersOnly")}
            </label>
            <WholeNumberInput
              aria-label={t("pop3.kb")}
              min={1}
              max={2 ** 30}
              disabled={policy.headersOnlyAboveBytes === null}
              value={Math.round((policy.headersOnlyAboveBytes ?? DEFAULT_HEADERS_ONLY_KB * 1024) / 1024)}
              onChange={(kb) => kb !== null && setPolicy({ headersOnlyAboveBytes: kb * 1024 })}
              invalidMessage={notSaved(1, 2 ** 30)}
              unit={t("pop3.kb")}
              className={`${inputClass} w-24`}
            />
          </div>
        </fieldset>

        <fieldset className="space-y-1">
          <legend className="mb-1 font-semibold">{t("pop3.checkEvery")}</legend>
          <div className="flex flex-wrap items-center gap-2">
            <WholeNumberInput
              aria-label={t("pop3.minutes")}
              min={0}
              max={1440}
              value={settings.checkEveryMinutes}
              onChange={(minutes) => minutes !== null && void store.setCheckEveryMinutes(minutes)}
              invalidMessage={notSaved(0, 1440)}
              unit={t("pop3.minutes")}
              className={`${inputClass} w-20`}
            />
          </div>
          <p className="text-xs text-slate-500">{t("pop3.checkEveryHint")}</p>
        </fieldset>

        <UndoSendSetting />
        <AfterActingSetting />
        <ReadReceiptSetting />
        <ContactsSection storedHint={t("contacts.storedPop3")} />

        <section aria-labelledby={`${id}-filters`} className="space-y-2">
          <h3 id={`${id}-filters`} className="font-semibold">
            {t("pop3.filters")}
          </h3>
          <p className="text-xs text-slate-500">{t("filters.localHint")}</p>
          <RulesList
            rules={settings.rules}
            folders={ruleFolders}
            actionTypes={localActionTypes}
            draft={draft ?? null}
            {...(onDraftDone ? { onDraftDone } : {})}
            onChange={(rules) => store.setRules(rules)}
          />
        </section>

        <section aria-labelledby={`${id}-vacation`} className="space-y-1">
          <h3 id={`${id}-vacation`} className="font-semibold">
            {t("filters.vacation")}
          </h3>
          <p
            role="note"
            className="rounded-lg bg-slate-100 px-3 py-2 text-xs text-slate-600 dark:bg-slate-800 dark:text-slate-300"
          >
            {t("filters.pop3Vacation")}
          </p>
        </section>

        <section className="space-y-2">
          <p className="text-xs text-slate-500">{t("pop3.exportHint")}</p>
          <div className="flex flex-wrap gap-2">
            <button type="button" className={buttonClass.secondary} onClick={() => void exportFile()}>
              {t("pop3.exportSettings")}
            </button>
            <FileImportButton
              label={t("pop3.importSettings")}
              inputLabel={t("pop3.settingsFile")}
              accept="application/json,.json"
              onFile={(file) => void importFile(file)}
            />
          </div>
          {fileError && (
            <p
              role="alert"
              className="rounded-lg bg-red-50 px-3 py-2 text-red-800 dark:bg-red-950/40 dark:text-red-200"
            >
              {fileError}
            </p>
          )}
        </section>
      </div>
    </section>
  );
}

/** The same policy, whatever the order of its fields. */
function samePolicy(a: Pop3Policy, b: Pop3Policy): boolean {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])] as (keyof Pop3Policy)[];
  return keys.every((k) => a[k] === b[k]);
}
