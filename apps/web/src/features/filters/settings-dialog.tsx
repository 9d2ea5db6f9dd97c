"use client";

import {
  createContext,
  useCallback,
  useContext,
  useId,
  useLayoutEffect,
  useState,
  type ReactNode,
} from "react";
import { useTranslation } from "@/i18n/react";
import { buttonClass, Dialog } from "@/components/ui/dialog";
import { AfterActingSetting } from "../actions/after-acting";
import { ReadReceiptSetting } from "../shared/read-receipt";
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
  const { unsaved, mayClose } = useSettingsEdits();
  return (
    <Dialog open={open} title={t("filters.settings")} onClose={onClose} mayClose={mayClose} wide>
      <UnsavedContext.Provider value={unsaved}>
        <div className="max-h-[75vh] space-y-6 overflow-y-auto pr-1 text-sm">
          {children}
          <UndoSendSetting />
          <AfterActingSetting />
          <ReadReceiptSetting />
        </div>
      </UnsavedContext.Provider>
      <div className="mt-4 flex justify-end">
        <button type="button" className={buttonClass.secondary} onClick={() => mayClose() && onClose()}>
          {t("filters.close")}
        </button>
      </div>
    </Dialog>
  );
}

const UnsavedContext = createContext<Set<string> | null>(null);

/**
 * The sections of Settings with edits not saved yet: leaving Settings (Escape, Close, or in
 * POP3's pane a message or folder opened beside it) would drop them with the sections, so it
 * asks first (`mayClose`). The sections say so through UnsavedSettings.
 */
export function useSettingsEdits() {
  const { t } = useTranslation();
  const [unsaved] = useState(() => new Set<string>());
  const mayClose = useCallback(
    () => unsaved.size === 0 || confirm(t("filters.discardUnsaved")),
    [unsaved, t],
  );
  return { unsaved, mayClose };
}

/** Where the sections of a Settings that is not SettingsDialog (POP3's pane) say they hold edits. */
export const UnsavedSettings = UnsavedContext.Provider;

/** A part of Settings says whether it holds edits not saved yet (a form being filled in). */
export function useUnsavedInSettings(dirty: boolean): void {
  const unsaved = useContext(UnsavedContext);
  const id = useId();
  useLayoutEffect(() => {
    if (!unsaved) return;
    if (dirty) unsaved.add(id);
    else unsaved.delete(id);
    return () => void unsaved.delete(id);
  }, [unsaved, id, dirty]);
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
    <button type="button" className={`${buttonClass.ghost} shrink-0 whitespace-nowrap`} onClick={onOpen}>
      {t("filters.settings")}
    </button>
  );
}
