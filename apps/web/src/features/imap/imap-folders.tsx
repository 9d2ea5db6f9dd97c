"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { memo, useRef, useState } from "react";
import { useTranslation } from "@/i18n/react";
import type { SpecialUse } from "@pismo/protocol/schemas";
import { formatCount } from "@pismo/protocol/format";
import { buttonClass } from "@/components/ui/dialog";
import { Svg } from "@/components/ui/icons";
import { FolderActions, FolderNameError } from "@/features/shared/folder-dialog";
import { useToast } from "@/components/ui/toast";
import { describeError } from "@/lib/errors";
import { localeOf } from "@/i18n";
import { useTRPC } from "@/trpc/client";
import { folderDepth, folderLabel } from "./folder-label";
import { folderNameProblem } from "./folder-name";

const icons: Record<SpecialUse | "folder", string> = {
  inbox: "M3 13h5l2 3h4l2-3h5M5 5h14l2 8v6H3v-6z",
  drafts: "M4 20h4L19 9l-4-4L4 16zM14 6l4 4",
  sent: "M3 11l18-8-8 18-2-8z",
  archive: "M3 5h18v4H3zM5 9v10h14V9M10 13h4",
  junk: "M12 3l9 16H3zM12 10v4M12 17h.01",
  trash: "M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13",
  folder: "M3 6h6l2 2h10v11H3z",
};

/** The folder tree; memoized, so opening a message (which changes none of its props) skips it. */
export const ImapFolders = memo(function ImapFolders({
  current,
  onOpen,
  onPress,
  onDropMessages,
}: {
  current: string;
  onOpen: (path: string) => void;
  /**
   * A folder's button is pressed (the click comes on release): its rows can be asked for now.
   * Called again with the current folder when the press ends without a click (dragged off,
   * cancelled), so what was started for the other folder is taken back.
   */
  onPress?: (path: string) => void;
  onDropMessages: (
    to: string,
    payload: { folder: string; uids: number[]; uidValidity?: string },
    copy: boolean,
  ) => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const folders = useQuery(trpc.imap.folders.queryOptions());
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  // The folder pressed and not clicked yet.
  const pressed = useRef<string | null>(null);
  const press = (path: string) => {
    if (!onPress || path === current) return;
    pressed.current = path;
    onPress(path);
    // A click follows its pointerup in the same task; a press that ends without one (released
    // elsewhere, cancelled by a scroll) gives the current folder back.
    const end = () => {
      window.removeEventListener("pointerup", end, true);
      window.removeEventListener("pointercancel", end, true);
      setTimeout(() => {
        if (pressed.current !== path) return;
        pressed.current = null;
        onPress(current);
      }, 0);
    };
    window.addEventListener("pointerup", end, true);
    window.addEventListener("pointercancel", end, true);
  };

  const refresh = () => qc.invalidateQueries(trpc.imap.folders.queryFilter());
  const onError = (e: unknown) => toast(describeError(e, t), "error");
  // What the server or the gateway would refuse, said in words before anything is sent.
  const serverName = (name: string, parentPath: string, self: string | null) => {
    const problem = folderNameProblem(name, parentPath, self, folders.data ?? []);
    if (!problem) return;
    const values = problem.key === "mail.folderExists" ? { name: folderLabel(problem.folder, t) } : problem;
    throw new FolderNameError(t(problem.key, values));
  };
  const create = useMutation(
    trpc.imap.createFolder.mutationOptions({
      onSuccess: (path) => {
        void refresh();
        onOpen(path);
      },
    }),
  );
  const rename = useMutation(
    trpc.imap.renameFolder.mutationOptions({
      onSuccess: (path) => {
        void refresh();
        onOpen(path);
      },
    }),
  );
  const remove = useMutation(
    trpc.imap.deleteFolder.mutationOptions({
      onSuccess: () => {
        void refresh();
        onOpen("INBOX");
      },
    }),
  );
  const subscribe = useMutation(
    trpc.imap.setSubscribed.mutationOptions({ onSuccess: () => void refresh(), onError }),
  );
  // Unsubscribed folders are hidden (RFC 9051 LSUB semantics); "all folders" shows them to
  // subscribe again.
  const [showAll, setShowAll] = useState(false);

  const currentFolder = folders.data?.find((f) => f.path === current) ?? null;
  const canEdit = currentFolder !== null && currentFolder.specialUse === null;

  return (
    <nav aria-label={t("mail.folders")} className="flex min-h-0 flex-1 flex-col">
      <ul className="min-h-0 flex-1 space-y-0.5 overflow-y-auto px-2 py-2">
        {folders.data
          ?.filter((f) => showAll || f.subscribed || f.specialUse)
          .map((f) => {
            const label = folderLabel(f, t);
            const active = f.path === current;
            return (
              <li key={f.path} className="flex items-center gap-1">
                {showAll && (
                  <input
                    type="checkbox"
                    aria-label={`${t("mail.subscribed")}: ${label}`}
                    checked={f.subscribed}
                    disabled={f.specialUse === "inbox"}
                    onChange={(e) => subscribe.mutate({ path: f.path, subscribed: e.target.checked })}
                    className="ml-1"
                  />
                )}
                <button
                  type="button"
                  disabled={!f.selectable}
                  aria-current={active ? "page" : undefined}
                  aria-label={f.unseen > 0 ? `${label} ${t("mail.unreadCount", { count: f.unseen })}` : label}
                  onPointerDown={(e) => {
                    if (e.button === 0 && f.selectable) press(f.path);
                  }}
                  onClick={() => {
                    pressed.current = null;
                    onOpen(f.path);
                  }}
                  onDragOver={(e) => {
                    if (f.selectable && f.path !== current) {
                      e.preventDefault();
                      e.dataTransfer.dropEffect = e.ctrlKey || e.altKey ? "copy" : "move";
                      setDropTarget(f.path);
                    }
                  }}
                  onDragLeave={() => setDropTarget((d) => (d === f.path ? null : d))}
                  onDrop={(e) => {
                    e.preventDefault();
                    setDropTarget(null);
                    const raw = e.dataTransfer.getData("application/x-pismo-messages");
                    if (raw)
                      onDropMessages(
                        f.path,
                        JSON.parse(raw) as { folder: string; uids: number[]; uidValidity?: string },
                        e.ctrlKey || e.altKey,
                      );
                  }}
                  style={{ paddingLeft: `${0.5 + folderDepth(f) * 0.9}rem` }}
                  className={`flex w-full items-center gap-2 rounded-lg py-1.5 pr-2 text-left text-sm transition ${
                    active
                      ? "bg-accent/10 font-semibold text-accent"
                      : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
                  } ${dropTarget === f.path ? "ring-2 ring-accent" : ""} disabled:opacity-50`}
                >
                  <Svg d={icons[f.specialUse ?? "folder"]} className="size-4" strokeWidth={1.8} />
                  <span className="min-w-0 flex-1 truncate">{label}</span>
                  {f.unseen > 0 && (
                    <span
                      aria-hidden
                      className="rounded-full bg-accent px-1.5 text-xs font-semibold text-white"
                    >
                      {formatCount(f.unseen, locale)}
                    </span>
                  )}
                </button>
              </li>
            );
          })}
      </ul>
      <FolderActions
        current={canEdit ? currentFolder : null}
        whenFixed="disabled"
        onCreate={async (name) => {
          serverName(name, "", null);
          await create.mutateAsync({ parentPath: null, name });
        }}
        onRename={async (folder, name) => {
          serverName(name, folder.parentPath, folder.path);
          await rename.mutateAsync({ path: folder.path, newName: name });
        }}
        onDelete={async (folder) => void (await remove.mutateAsync({ path: folder.path }))}
        confirmDelete={(folder) => t("mail.confirmDeleteFolder", { name: folder.name })}
      >
        <button
          type="button"
          className={buttonClass.ghost}
          aria-pressed={showAll}
          onClick={() => setShowAll((v) => !v)}
        >
          {t("mail.allFolders")}
        </button>
      </FolderActions>
    </nav>
  );
});
