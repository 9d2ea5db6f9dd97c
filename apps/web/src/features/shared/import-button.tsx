"use client";

import { useRef, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";

/** Import messages: chooses mbox or .eml files for the folder shown (either protocol). */
export function ImportMessagesButton({
  disabled = false,
  onFiles,
}: {
  disabled?: boolean;
  /** Resolves when the files are in (or said not to be): until then the button waits, so a
   * second click does not import them twice. */
  onFiles: (files: File[]) => Promise<void>;
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept=".mbox,.mbx,.eml,application/mbox,message/rfc822"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = "";
          if (files.length === 0) return;
          setBusy(true);
          void onFiles(files).finally(() => setBusy(false));
        }}
      />
      <button
        type="button"
        className={`${buttonClass.ghost} whitespace-nowrap`}
        disabled={disabled || busy}
        aria-busy={busy}
        title={t("mail.importMailHint")}
        onClick={() => input.current?.click()}
      >
        {t("mail.importMail")}
      </button>
    </>
  );
}
