import { formatCount } from "@pismo/protocol/format";
import { localeOf } from "@/i18n";
import { useTranslation } from "@/i18n/react";

/**
 * The sentence a number setting that applies at once (no Save button) shows beside its field
 * while what is typed is not taken: "Not saved: enter a whole number from 1 to 36,500.", the
 * bounds in the reader's locale (WholeNumberInput's `invalidMessage`).
 */
export function useNotSavedRange(): (min: number, max: number) => string {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  return (min, max) =>
    t("mail.wholeNumber", { min: formatCount(min, locale), max: formatCount(max, locale) });
}
