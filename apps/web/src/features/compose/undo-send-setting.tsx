"use client";

import { useId, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { parseUndoSendSeconds, UNDO_SEND_MAX_SECONDS } from "@pismo/protocol/compose";

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
  const [value, setValue] = useState(() => String(readUndoSendSeconds()));
  const save = (text: string) => {
    setValue(text);
    // Only a whole number in bounds is kept; anything else leaves the stored delay as it was.
    if (text.trim() !== "" && parseUndoSendSeconds(text) === Number(text)) localStorage.setItem(KEY, text);
  };
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-2">
      <h3 id={`${id}-title`} className="text-base font-semibold">
        {t("undoSend.setting")}
      </h3>
      <div className="flex items-center gap-2">
        <label htmlFor={id}>{t("undoSend.delay")}</label>
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={0}
          max={UNDO_SEND_MAX_SECONDS}
          step={1}
          value={value}
          onChange={(e) => save(e.target.value)}
          onBlur={() => setValue(String(readUndoSendSeconds()))}
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
