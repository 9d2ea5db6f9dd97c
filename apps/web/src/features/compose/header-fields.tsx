"use client";

import { useState } from "react";
import { useTranslation } from "@/i18n/react";
import type { ComposeFields } from "./initial-draft";
import { useRecentAddresses } from "./recent-addresses";
import { RecipientField } from "./recipient-field";

/** To, Cc and Bcc (Cc and Bcc shown on request or when they hold something), and Subject. */
export function HeaderFields({
  fields,
  update,
  autoFocus,
}: {
  fields: ComposeFields;
  update: (patch: Partial<ComposeFields>) => void;
  autoFocus: boolean;
}) {
  const { t } = useTranslation();
  const suggestions = useRecentAddresses();
  const [showCc, setShowCc] = useState(false);
  return (
    <>
      <RecipientField
        label={t("compose.to")}
        name="to"
        value={fields.to}
        onChange={(to) => update({ to })}
        suggestions={suggestions}
        autoFocus={autoFocus}
        after={
          !showCc &&
          !fields.cc &&
          !fields.bcc && (
            <button
              type="button"
              className="shrink-0 px-1 text-xs text-slate-500 hover:underline"
              onClick={() => setShowCc(true)}
            >
              {t("compose.showCcBcc")}
            </button>
          )
        }
      />
      {(showCc || fields.cc || fields.bcc) && (
        <>
          <RecipientField
            label={t("compose.cc")}
            name="cc"
            value={fields.cc}
            onChange={(cc) => update({ cc })}
            suggestions={suggestions}
          />
          <RecipientField
            label={t("compose.bcc")}
            name="bcc"
            value={fields.bcc}
            onChange={(bcc) => update({ bcc })}
            suggestions={suggestions}
          />
        </>
      )}
      <div className="flex items-center gap-2 border-b border-slate-200 px-3 dark:border-slate-700">
        <label htmlFor="compose-subject" className="w-16 shrink-0 text-sm text-slate-500">
          {t("compose.subject")}
        </label>
        <input
          id="compose-subject"
          name="subject"
          value={fields.subject}
          onChange={(e) => update({ subject: e.target.value })}
          className="min-w-0 flex-1 bg-transparent py-2 text-sm outline-none"
        />
      </div>
    </>
  );
}
