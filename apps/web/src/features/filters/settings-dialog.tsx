"use client";

import type { ReactNode } from "react";
import { useTranslation } from "@/i18n/react";
import { buttonClass, Dialog } from "@/components/ui/dialog";
import { UndoSendSetting } from "../compose/undo-send-setting";

/**
 * Settings, for both protocols: a dialog with its sections. `Filters` is one of them; the
 * protocol's own options (POP3: server copies, export and import) come with it.
 */
export function SettingsDialog({
  open,
  onClose,
  children,
}: {
  open: boolean;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} title={t("filters.settings")} onClose={onClose} wide>
      <div className="max-h-[75vh] space-y-6 overflow-y-auto pr-1 text-sm">
        {children}
        <UndoSendSetting />
      </div>
      <div className="mt-4 flex justify-end">
        <button type="button" className={buttonClass.secondary} onClick={onClose}>
          {t("filters.close")}
        </button>
      </div>
    </Dialog>
  );
}

export function SettingsSection({ title, children }: { title: string; children: ReactNode }) {
  const id = `settings-${title.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h3 id={id} className="text-base font-semibold">
        {title}
      </h3>
      {children}
    </section>
  );
}

/** The header button that opens Settings. */
export function SettingsButton({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className={buttonClass.ghost} onClick={onOpen}>
      {t("filters.settings")}
    </button>
  );
}
