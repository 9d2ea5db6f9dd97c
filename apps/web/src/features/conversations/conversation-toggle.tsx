"use client";

import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";

/** Conversations or single messages, in the list's title bar. */
export function ConversationToggle({ on, onChange }: { on: boolean; onChange: (on: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      aria-pressed={on}
      className={`${buttonClass.ghost} ${on ? "bg-accent/10 text-accent" : ""}`}
      onClick={() => onChange(!on)}
    >
      {t("conversations.toggle")}
    </button>
  );
}
