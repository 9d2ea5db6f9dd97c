"use client";

import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";

/** Archive and Report spam / Not spam, for the open message's toolbar and the selection bar. */
export function ArchiveSpamButtons({
  inArchive,
  inJunk,
  onArchive,
  onSpam,
}: {
  inArchive: boolean;
  inJunk: boolean;
  onArchive: () => void;
  /** true: Report spam; false: Not spam. */
  onSpam: (spam: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      {!inArchive && (
        <button type="button" className={buttonClass.ghost} onClick={onArchive}>
          {t("actions.archive")}
        </button>
      )}
      <button type="button" className={buttonClass.ghost} onClick={() => onSpam(!inJunk)}>
        {inJunk ? t("actions.notSpam") : t("actions.reportSpam")}
      </button>
    </>
  );
}
