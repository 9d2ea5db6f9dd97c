"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "@/i18n/react";
import { Dialog, buttonClass } from "@/components/ui/dialog";
import { describeError } from "@/lib/errors";

/** A name the folder's store refuses, with the sentence to show (already in the user's words). */
export class FolderNameError extends Error {}

export type FolderDialogKind = "new" | "rename" | "delete";

/** New, rename and delete folder, for server folders (IMAP) and local ones (POP3) alike. */
export function FolderDialog({
  kind,
  name,
  onName,
  confirmDelete,
  error,
  busy,
  onSubmit,
  onClose,
}: {
  kind: FolderDialogKind | null;
  name: string;
  onName: (name: string) => void;
  /** The question asked before deleting: what happens to the folder's mail differs. */
  confirmDelete: string;
  /** Why the last try did not take (the dialog stays open, the name as typed). */
  error: string | null;
  busy: boolean;
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
      {/* The form says what is wrong in the page's words: `required` alone stopped an empty
          name with the browser's bubble, in the browser's language. */}
      <form noValidate onSubmit={onSubmit} className="space-y-4">
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
              aria-invalid={error !== null || undefined}
              aria-describedby={error !== null ? "folder-dialog-error" : undefined}
              onChange={(e) => onName(e.target.value)}
              className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 dark:border-slate-600 dark:bg-slate-800"
            />
          </label>
        )}
        {error !== null && (
          <p id="folder-dialog-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" className={buttonClass.secondary} onClick={onClose}>
            {t("mail.cancel")}
          </button>
          <button
            type="submit"
            disabled={busy}
            className={kind === "delete" ? buttonClass.danger : buttonClass.primary}
          >
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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = (next: { kind: FolderDialogKind; folder: F | null } | null) => {
    setError(null);
    setDialog(next);
  };

  // Closed once the server (or this browser's store) has taken it; refused, it stays open with
  // the name as typed and why, in the user's words.
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!dialog || busy) return;
    const typed = name.trim();
    if (dialog.kind !== "delete" && typed === "") return setError(t("mail.folderNameEmpty"));
    setBusy(true);
    try {
      if (dialog.kind === "new") await onCreate(typed);
      if (dialog.kind === "rename" && dialog.folder) await onRename(dialog.folder, typed);
      if (dialog.kind === "delete" && dialog.folder) await onDelete(dialog.folder);
      open(null);
    } catch (e) {
      setError(e instanceof FolderNameError ? e.message : describeError(e, t));
    } finally {
      setBusy(false);
    }
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
          open({ kind: "rename", folder: current });
        }}
      >
        {t("mail.renameFolder")}
      </button>
      <button
        type="button"
        className={buttonClass.ghost}
        disabled={!current}
        onClick={() => {
          if (current) open({ kind: "delete", folder: current });
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
            open({ kind: "new", folder: null });
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
        error={error}
        busy={busy}
        onSubmit={(e) => void submit(e)}
        onClose={() => open(null)}
      />
    </>
  );
}
