"use client";

import { useTranslation } from "react-i18next";
import { FlagIcon, PaperclipIcon } from "@/components/ui/icons";

/** The two cells of a message row, the same for IMAP and POP3 lists: a selection checkbox,
 * then who, when, what, and the marks. */
export function MessageRowCells({
  m,
  who,
  subject,
  date,
  size,
  checked,
  onToggle,
}: {
  m: { seen: boolean; flagged: boolean; hasAttachment: boolean };
  who: string;
  subject: string;
  date: string;
  size?: string;
  checked: boolean;
  onToggle: () => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <div role="gridcell" className="pt-0.5" onClick={(e) => e.stopPropagation()}>
        <input type="checkbox" aria-label={t("mail.selectMessage")} checked={checked} onChange={onToggle} />
      </div>
      <div role="gridcell" className="min-w-0 flex-1">
        <div className="flex items-baseline gap-2">
          {!m.seen && (
            <span aria-hidden className="size-2 shrink-0 translate-y-[-1px] rounded-full bg-accent" />
          )}
          <span
            className={`min-w-0 flex-1 truncate ${m.seen ? "text-slate-700 dark:text-slate-300" : "font-semibold"}`}
          >
            {who}
          </span>
          <span className="shrink-0 text-xs tabular-nums text-slate-500 dark:text-slate-400">{date}</span>
        </div>
        <div className="mt-0.5 flex items-baseline gap-2">
          <span
            className={`min-w-0 flex-1 truncate ${m.seen ? "text-slate-600 dark:text-slate-400" : "font-medium text-slate-900 dark:text-slate-100"}`}
          >
            {subject}
          </span>
          {m.hasAttachment && (
            <span title={t("mail.hasAttachment")} className="shrink-0 text-slate-400">
              <PaperclipIcon />
            </span>
          )}
          {m.flagged && (
            <span title={t("mail.flagged")} className="shrink-0 text-red-500">
              <FlagIcon />
            </span>
          )}
          {size && <span className="shrink-0 text-xs tabular-nums text-slate-400">{size}</span>}
        </div>
      </div>
    </>
  );
}
