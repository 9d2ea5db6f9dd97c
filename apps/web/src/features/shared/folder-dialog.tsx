"use client";

import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Dialog, buttonClass } from "@/components/ui/dialog";

export type FolderDialogKind = "new" | "rename" | "delete";

/** New, rename and delete folder, for server folders (IMAP) and local ones (POP3) alike. */
export function FolderDialog({
  kind,
  name,
  onName,
  confirmDelete,
  onSubmit,
  onClose,
}: {
  kind: FolderDialogKind | null;
  name: string;
  onName: (name: string) => void;
  /** The question asked before deleting: what happens to the folder's mail differs. */
  confirmDelete: string;
  onSubmit: (event: FormEvent) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={kind !== null}
      title={
        kind === "new"
          ? t("mail.newFolder")
          : kind === "rename"
            ? t("mail.renameFolder")
            : t("mail.deleteFolder")
      }
      onClose={onClose}
    >
      <form onSubmit={onSubmit} className="space-y-4">
        {kind === "delete" ? (
          <p className="text-sm">{confirmDelete}</p>
        ) : (
          <label className="block text-sm">
            <span className="mb-1 block font-medium">{t("mail.folderName")}</span>
            <input
              autoFocus
              required
              maxLength={200}
              value={name}
              onChange={(e) => onName(e.target.value)}
              className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 dark:border-slate-600 dark:bg-slate-800"
            />
          </label>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" className={buttonClass.secondary} onClick={onClose}>
            {t("mail.cancel")}
          </button>
          <button type="submit" className={kind === "delete" ? buttonClass.danger : buttonClass.primary}>
            {kind === "new" ? t("mail.create") : kind === "rename" ? t("mail.rename") : t("mail.delete")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
