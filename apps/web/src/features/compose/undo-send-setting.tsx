"use client";

import { useId, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { parseUndoSendSeconds, UNDO_SEND_MAX_SECONDS } from "@pismo/protocol/compose";
import { WholeNumberInput } from "@/components/ui/whole-number-input";
import { useNotSavedRange } from "../shared/use-not-saved-range";

/** Where this browser keeps the Undo send delay: a choice about how this person works, kept
 * with the other browser preferences (language, theme) for both account types. */
const KEY = "pismo.undoSendSeconds";

/** The delay in seconds Send waits with Undo (0: at once). */
export function readUndoSendSeconds(): number {
  try {
    return parseUndoSendSeconds(localStorage.getItem(KEY));
  } catch {
    return parseUndoSendSeconds(null);
  }
}

/** The `Undo send` section of Settings (shaped as its other sections): a number of seconds, 0 to 30. */
export function UndoSendSetting() {
  const { t } = useTranslation();
  const id = useId();
  const notSaved = useNotSavedRange();
  const [seconds, setSeconds] = useState(readUndoSendSeconds);
  // Taken once a whole number in bounds; until then the stored delay stays, and the field says so.
  const save = (next: number | null) => {
    if (next === null) return;
    setSeconds(next);
    localStorage.setItem(KEY, String(next));
  };
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-2">
      <h3 id={`${id}-title`} className="text-base font-semibold">
        {t("undoSend.setting")}
      </h3>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={id}>{t("undoSend.delay")}</label>
        <WholeNumberInput
          id={id}
          min={0}
          max={UNDO_SEND_MAX_SECONDS}
          value={seconds}
          onChange={save}
          invalidMessage={notSaved(0, UNDO_SEND_MAX_SECONDS)}
          aria-describedby={`${id}-help`}
          className="w-20 rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
        />
      </div>
      <p id={`${id}-help`} className="text-xs text-slate-600 dark:text-slate-400">
        {t("undoSend.delayHelp")}
      </p>
    </section>
  );
}
