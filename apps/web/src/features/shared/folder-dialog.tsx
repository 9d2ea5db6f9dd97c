"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "@/i18n/react";
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
              // In a <dialog>: showModal() focuses it by its attribute.
              // eslint-disable-next-line no-restricted-syntax
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

/**
 * New folder, Rename folder and Delete folder under a folder list, with their dialog. `current`
 * is the open folder when the user may rename or delete it; otherwise those two buttons are
 * disabled (IMAP: the folder stays in view) or left out (POP3: built-in folders).
 */
export function FolderActions<F extends { name: string }>({
  current,
  whenFixed,
  onCreate,
  onRename,
  onDelete,
  confirmDelete,
  groupLabel,
  children,
}: {
  current: F | null;
  whenFixed: "disabled" | "hidden";
  onCreate: (name: string) => void | Promise<void>;
  onRename: (folder: F, name: string) => void | Promise<void>;
  onDelete: (folder: F) => void | Promise<void>;
  confirmDelete: (folder: F) => string;
  /** Names the group of buttons for screen readers. */
  groupLabel?: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<{ kind: FolderDialogKind; folder: F | null } | null>(null);
  const [name, setName] = useState("");

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!dialog) return;
    if (dialog.kind === "new") await onCreate(name);
    if (dialog.kind === "rename" && dialog.folder) await onRename(dialog.folder, name);
    if (dialog.kind === "delete" && dialog.folder) await onDelete(dialog.folder);
    setDialog(null);
  }

  const editButtons = (
    <>
      <button
        type="button"
        className={buttonClass.ghost}
        disabled={!current}
        onClick={() => {
          if (!current) return;
          setName(current.name);
          setDialog({ kind: "rename", folder: current });
        }}
      >
        {t("mail.renameFolder")}
      </button>
      <button
        type="button"
        className={buttonClass.ghost}
        disabled={!current}
        onClick={() => {
          if (current) setDialog({ kind: "delete", folder: current });
        }}
      >
        {t("mail.deleteFolder")}
      </button>
    </>
  );

  return (
    <>
      <div
        className="flex flex-wrap gap-1 border-t border-slate-200 px-2 py-2 dark:border-slate-800"
        {...(groupLabel ? { role: "group", "aria-label": groupLabel } : {})}
      >
        <button
          type="button"
          className={buttonClass.ghost}
          onClick={() => {
            setName("");
            setDialog({ kind: "new", folder: null });
          }}
        >
          {t("mail.newFolder")}
        </button>
        {(current || whenFixed === "disabled") && editButtons}
        {children}
      </div>
      <FolderDialog
        kind={dialog?.kind ?? null}
        name={name}
        onName={setName}
        confirmDelete={dialog?.kind === "delete" && dialog.folder ? confirmDelete(dialog.folder) : ""}
        onSubmit={(e) => void submit(e)}
        onClose={() => setDialog(null)}
      />
    </>
  );
}
