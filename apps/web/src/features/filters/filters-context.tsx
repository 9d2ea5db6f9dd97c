"use client";

import { createContext, useContext } from "react";
import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";

/** What the mailbox offers its parts: open Settings, or start a rule from a message. */
export interface FiltersUi {
  openSettings(): void;
  createRuleFrom(from: string | null, subject: string | null): void;
}

export const FiltersUiContext = createContext<FiltersUi | null>(null);

/** "Create rule from message", in the message view's toolbar of either protocol. */
export function CreateRuleButton({ from, subject }: { from: string | null; subject: string | null }) {
  const { t } = useTranslation();
  const ui = useContext(FiltersUiContext);
  if (!ui) return null;
  return (
    <button type="button" className={buttonClass.ghost} onClick={() => ui.createRuleFrom(from, subject)}>
      {t("filters.fromMessage")}
    </button>
  );
}
