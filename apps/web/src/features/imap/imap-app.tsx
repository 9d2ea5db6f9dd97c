"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Account, ListSort } from "@pismo/protocol/schemas";
import { buttonClass } from "@/components/ui/dialog";
import { MailLayout, type MailPane as Pane } from "@/features/shared/mail-layout";
import { ToastRoot } from "@/components/ui/toast";
import { ComposeRoot, useCompose } from "../compose/compose-context";
import { LazyComposePanel } from "../compose/lazy-compose-panel";
import type { UiErrorCode } from "@/lib/errors";
import { useTRPC } from "@/trpc/client";
import { ImapFolders } from "./imap-folders";
import { folderLabel } from "./folder-label";
import { ImapMessageList } from "./imap-message-list";
import { ImapMessageView } from "./imap-message-view";
import { QuotaMeter } from "./quota-meter";
import { signOut } from "../sign-in/session-api";
import { useImapActions } from "./use-imap-actions";
import { useImapEvents } from "./use-imap-events";

export function ImapApp(props: { account: Account; onSignedOut: (reason?: UiErrorCode) => void }) {
  return (
    <ToastRoot>
      <ComposeRoot>
        <ImapMailbox {...props} />
        <LazyComposePanel account={props.account} />
      </ComposeRoot>
    </ToastRoot>
  );
}

function ImapMailbox({
  account,
  onSignedOut,
}: {
  account: Account;
  onSignedOut: (reason?: UiErrorCode) => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const actions = useImapActions();
  const [folder, setFolder] = useState("INBOX");
  const [sort, setSort] = useState<ListSort>("arrival");
  const [open, setOpen] = useState<{
    uid: number;
    neighbours: { prev: number | null; next: number | null };
  } | null>(null);
  const [checked, setChecked] = useState<Set<number>>(new Set());
  const [pane, setPane] = useState<Pane>("list");
  const folders = useQuery(trpc.imap.folders.queryOptions());
  const watch = useMutation(trpc.imap.watch.mutationOptions());
  const compose = useCompose();

  useImapEvents((reason) => onSignedOut(reason));

  // IDLE follows the folder the user looks at (one connection, one selected mailbox).
  useEffect(() => {
    watch.mutate({ folder });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [folder]);

  const current = folders.data?.find((f) => f.path === folder);
  const inboxUnread = folders.data?.find((f) => f.specialUse === "inbox")?.unseen ?? 0;
  useEffect(() => {
    document.title = `${inboxUnread > 0 ? `(${inboxUnread}) ` : ""}${current ? folderLabel(current, t) : ""} — Pismo`;
  }, [inboxUnread, current, t]);

  const openFolder = (path: string) => {
    setFolder(path);
    setOpen(null);
    setChecked(new Set());
    setPane("list");
  };
  const selection = checked.size > 0 ? [...checked] : open ? [open.uid] : [];
  const targets = (folders.data ?? []).filter((f) => f.selectable && f.path !== folder);

  const doSignOut = async () => {
    await signOut().catch(() => undefined);
    onSignedOut();
  };

  return (
    <MailLayout
      pane={pane}
      folders={
        <>
          <div className="px-2 pt-2">
            <button
              type="button"
              className={`${buttonClass.primary} w-full py-2`}
              onClick={() => compose.open({ mode: "new" })}
            >
              {t("mail.compose")}
            </button>
          </div>
          <ImapFolders
            current={folder}
            onOpen={openFolder}
            onDropMessages={(to, payload, copy) => {
              const target = folders.data?.find((f) => f.path === to);
              if (copy) actions.copy(payload.folder, payload.uids, to, target ? folderLabel(target, t) : to);
              else actions.move(payload.folder, payload.uids, to, target ? folderLabel(target, t) : to);
              setChecked(new Set());
              if (open && payload.uids.includes(open.uid) && !copy) setOpen(null);
            }}
          />
          <QuotaMeter
            onShowLargest={() => {
              openFolder("INBOX");
              setSort("size");
            }}
          />
          <div className="flex items-center justify-between gap-2 border-t border-slate-200 px-3 py-2 text-xs dark:border-slate-800">
            <span className="truncate text-slate-500" title={account.email}>
              {account.email}
            </span>
            <button type="button" className={buttonClass.ghost} onClick={() => void doSignOut()}>
              {t("mail.signOut")}
            </button>
          </div>
        </>
      }
      list={
        <>
          <div className="flex h-11 shrink-0 items-center gap-2 border-b border-slate-200 px-3 dark:border-slate-800">
            <button
              type="button"
              className={`${buttonClass.ghost} md:hidden`}
              aria-label={t("mail.openFolders")}
              onClick={() => setPane("folders")}
            >
              ☰
            </button>
            <h1 className="min-w-0 flex-1 truncate text-base font-semibold">
              {current ? folderLabel(current, t) : folder}
            </h1>
            {current?.specialUse === "trash" && current.messages > 0 && (
              <button
                type="button"
                className={buttonClass.ghost}
                onClick={() => {
                  if (
                    confirm(
                      t("mail.confirmEmpty", { count: current.messages, name: folderLabel(current, t) }),
                    )
                  )
                    actions.emptyTrash(folder);
                }}
              >
                {t("mail.emptyTrash")}
              </button>
            )}
            <label className="sr-only" htmlFor="sort">
              {t("mail.sortBy")}
            </label>
            <select
              id="sort"
              value={sort}
              onChange={(e) => setSort(e.target.value as ListSort)}
              className="rounded-md border border-slate-300 bg-white px-1.5 py-1 text-xs dark:border-slate-700 dark:bg-slate-900"
            >
              <option value="arrival">{t("mail.sortArrival")}</option>
              <option value="date">{t("mail.sortDate")}</option>
              <option value="size">{t("mail.sortSize")}</option>
            </select>
          </div>
          {checked.size > 0 && (
            <div className="flex flex-wrap items-center gap-1 border-b border-slate-200 bg-slate-50 px-2 py-1 dark:border-slate-800 dark:bg-slate-900">
              <button
                type="button"
                className={buttonClass.ghost}
                onClick={() => actions.setSeen(folder, selection, true)}
              >
                {t("mail.markRead")}
              </button>
              <button
                type="button"
                className={buttonClass.ghost}
                onClick={() => actions.setSeen(folder, selection, false)}
              >
                {t("mail.markUnread")}
              </button>
              <button
                type="button"
                className={buttonClass.ghost}
                onClick={() => {
                  actions.remove(folder, selection);
                  setChecked(new Set());
                  setOpen(null);
                }}
              >
                {t("mail.delete")}
              </button>
              <select
                id="move-many"
                aria-label={t("mail.moveTo")}
                value=""
                onChange={(e) => {
                  const to = targets.find((f) => f.path === e.target.value);
                  if (to) {
                    actions.move(folder, selection, to.path, folderLabel(to, t));
                    setChecked(new Set());
                    setOpen(null);
                  }
                }}
                className="rounded-md bg-transparent px-1 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
              >
                <option value="">{t("mail.moveTo")}</option>
                {targets.map((f) => (
                  <option key={f.path} value={f.path}>
                    {folderLabel(f, t)}
                  </option>
                ))}
              </select>
              <select
                aria-label={t("mail.copyTo")}
                value=""
                onChange={(e) => {
                  const to = targets.find((f) => f.path === e.target.value);
                  if (to) {
                    actions.copy(folder, selection, to.path, folderLabel(to, t));
                    setChecked(new Set());
                  }
                }}
                className="rounded-md bg-transparent px-1 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
              >
                <option value="">{t("mail.copyTo")}</option>
                {targets.map((f) => (
                  <option key={f.path} value={f.path}>
                    {folderLabel(f, t)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <ImapMessageList
            folder={folder}
            sort={sort}
            openUid={open?.uid ?? null}
            checked={checked}
            onOpen={(uid, neighbours) => {
              // A draft opens where it can be finished: in the compose panel.
              if (current?.specialUse === "drafts") return compose.open({ mode: "draft", folder, uid });
              setOpen({ uid, neighbours });
              setPane("message");
            }}
            onToggle={(uid) =>
              setChecked((c) => {
                const n = new Set(c);
                if (n.has(uid)) n.delete(uid);
                else n.add(uid);
                return n;
              })
            }
            onToggleAll={(uids, on) => setChecked(on ? new Set(uids) : new Set())}
            onDelete={() => {
              if (selection.length) {
                actions.remove(folder, selection);
                setChecked(new Set());
                setOpen(null);
              }
            }}
          />
        </>
      }
      message={
        <>
          {open ? (
            <ImapMessageView
              key={`${folder}/${open.uid}`}
              folder={folder}
              uid={open.uid}
              neighbours={open.neighbours}
              folders={folders.data ?? []}
              onClose={() => {
                setOpen(null);
                setPane("list");
              }}
            />
          ) : (
            <p className="m-auto p-6 text-sm text-slate-500">{t("mail.noSelection")}</p>
          )}
        </>
      }
    ></MailLayout>
  );
}
