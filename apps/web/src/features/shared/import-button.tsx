"use client";

import { useRef } from "react";
import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";

/** Import messages: chooses mbox or .eml files for the folder shown (either protocol). */
export function ImportMessagesButton({
  disabled = false,
  onFiles,
}: {
  disabled?: boolean;
  onFiles: (files: File[]) => void;
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
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
          if (files.length > 0) onFiles(files);
        }}
      />
      <button
        type="button"
        className={`${buttonClass.ghost} whitespace-nowrap`}
        disabled={disabled}
        title={t("mail.importMailHint")}
        onClick={() => input.current?.click()}
      >
        {t("mail.importMail")}
      </button>
    </>
  );
}
