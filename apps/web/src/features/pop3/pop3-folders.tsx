"use client";

import { useState } from "react";
import { useTranslation } from "@/i18n/react";
import type { LocalFolder } from "@pismo/protocol/filters";
import { formatCount } from "@pismo/protocol/format";
import { FolderActions, FolderNameError } from "@/features/shared/folder-dialog";
import { localeOf } from "@/i18n";
import type { MoveTarget } from "../shared/message-parts";
import { DRAFTS, INBOX, SENT, TRASH, type Pop3Store } from "./pop3-store";

export function folderName(id: string, folders: readonly LocalFolder[], t: (k: string) => string): string {
  if (id === INBOX) return t("special.inbox");
  if (id === TRASH) return t("special.trash");
  if (id === DRAFTS) return t("special.drafts");
  if (id === SENT) return t("special.sent");
  return folders.find((f) => f.id === id)?.name ?? id;
}

/** The folders a message in `from` may be moved to: Inbox, the user's folders, Trash. */
export function moveTargets(
  from: string,
  folders: readonly LocalFolder[],
  t: (k: string) => string,
): MoveTarget[] {
  return [
    { id: INBOX, name: t("special.inbox") },
    ...folders,
    { id: TRASH, name: t("special.trash") },
  ].filter((f) => f.id !== from);
}

/** Local folders (POP3 has only local folders): Inbox, Drafts, Sent, the user's, Trash. */
export function Pop3Folders({
  store,
  folders,
  unread,
  current,
  onOpen,
  onDrop,
}: {
  store: Pop3Store;
  folders: readonly LocalFolder[];
  unread: Record<string, number>;
  current: string;
  onOpen: (id: string) => void;
  onDrop: (to: string, uids: string[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const all = [
    { id: INBOX, name: t("special.inbox") },
    { id: DRAFTS, name: t("special.drafts") },
    { id: SENT, name: t("special.sent") },
    ...folders,
    { id: TRASH, name: t("special.trash") },
  ];
  const custom = folders.find((f) => f.id === current) ?? null;
  // Two local folders of one name could not be told apart (in the list, in a filter's target).
  const taken = (name: string, self: string | null) => {
    const same = all.find((f) => f.id !== self && f.name.toLocaleLowerCase() === name.toLocaleLowerCase());
    if (same) throw new FolderNameError(t("mail.folderExists", { name: same.name }));
  };

  return (
    <nav aria-label={t("mail.folders")} className="flex min-h-0 flex-1 flex-col">
      <ul className="min-h-0 flex-1 space-y-0.5 overflow-y-auto px-2 py-2">
        {all.map((f) => {
          const count = unread[f.id] ?? 0;
          const active = f.id === current;
          // Drafts holds only drafts (store.move leaves it out): it takes no dropped messages.
          const takesDrops = f.id !== DRAFTS;
          return (
            <li key={f.id}>
              <button
                type="button"
                aria-current={active ? "true" : undefined}
                onClick={() => onOpen(f.id)}
                onDragOver={(e) => {
                  if (takesDrops && e.dataTransfer.types.includes("application/x-pismo-pop3")) {
                    e.preventDefault();
                    setDropTarget(f.id);
                  }
                }}
                onDragLeave={() => setDropTarget(null)}
                onDrop={(e) => {
                  e.preventDefault();
                  setDropTarget(null);
                  if (!takesDrops) return;
                  try {
                    const uids = JSON.parse(e.dataTransfer.getData("application/x-pismo-pop3")) as unknown;
                    if (Array.isArray(uids))
                      onDrop(
                        f.id,
                        uids.filter((u): u is string => typeof u === "string"),
                      );
                  } catch {
                    /* not ours */
                  }
                }}
                className={`flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm ${active ? "bg-accent/10 font-medium text-accent" : "hover:bg-slate-100 dark:hover:bg-slate-800"} ${dropTarget === f.id ? "ring-2 ring-accent" : ""}`}
              >
                <span className="min-w-0 flex-1 truncate">{f.name}</span>
                {count > 0 && (
                  <span className="shrink-0 text-xs tabular-nums text-slate-500">{` ${t("mail.unreadCount", { count: formatCount(count, locale), quantity: count })}`}</span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
      <FolderActions
        current={custom}
        whenFixed="hidden"
        groupLabel={t("pop3.folderActions")}
        onCreate={async (name) => {
          taken(name, null);
          onOpen((await store.createFolder(name)).id);
        }}
        onRename={async (folder, name) => {
          taken(name, folder.id);
          await store.renameFolder(folder.id, name);
        }}
        onDelete={async (folder) => {
          await store.deleteFolder(folder.id);
          onOpen(INBOX);
        }}
        confirmDelete={(folder) => t("pop3.confirmDeleteFolder", { name: folder.name })}
      />
    </nav>
  );
}
