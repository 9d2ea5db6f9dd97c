"use client";

import { matchQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Suspense, useEffect, useRef, useState } from "react";
import { useTranslation } from "@/i18n/react";
import type { Account, Conversation, ListSort } from "@pismo/protocol/schemas";
import { formatCount } from "@pismo/protocol/format";
import { MailLayout, type MailPane as Pane } from "@/features/shared/mail-layout";
import {
  AccountLine,
  ComposeButton,
  EmptyTrashButton,
  ListTitleBar,
  SelectionBar,
  useChecked,
  useDocumentTitle,
} from "@/features/shared/mailbox-chrome";
import { MoveMenu } from "@/features/shared/move-menu";
import { MailRoots } from "@/features/shared/mail-roots";
import { ToastRoot, useToast } from "@/components/ui/toast";
import { useCompose } from "../compose/compose-context";
import { useServerContactsStore } from "../contacts/server-contacts-store";
import type { UiErrorCode } from "@/lib/errors";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import { useConnection } from "@/trpc/connection";
import { useStableCallback } from "@/features/shared/use-latest";
import { useOpenWhenReady } from "@/features/shared/open-when-ready";
import { ImapFolders } from "./imap-folders";
import { folderLabel, imapMoveTargets } from "./folder-label";
import { ImapMessageList } from "./imap-message-list";
import { useRefreshFolder } from "./use-message-window";
import { QuotaMeter } from "./quota-meter";
import { SortSelect } from "./sort-select";
import { signOut } from "../sign-in/session-api";
import { useImapActions } from "./use-imap-actions";
import type { MailEvent } from "@pismo/protocol/schemas";
import { useImapEvents } from "./use-imap-events";
import { uidValidityOf } from "./imap-cache";
import { useForwardRefs } from "./use-forward-refs";
import { useImportIntoFolder } from "./use-import-into-folder";
import { ImportMessagesButton } from "@/features/shared/import-button";
import { ExportMboxButton } from "@/features/shared/export-button";
import { ConversationToggle } from "../conversations/conversation-toggle";
import { useConversationMode } from "../conversations/conversation-mode";
import {
  ImapConversationList,
  ImapConversationView,
  ImapReadingPane,
  ImapSearchPane,
  ImapSettingsSections,
} from "./lazy-parts";

export { preloadConversationList } from "./lazy-parts";
import type { Rule } from "@pismo/protocol/rules";
import { FiltersUiContext } from "../filters/filters-context";
import { VacationBanner } from "../filters/vacation-banner";
import { ruleFromMessage } from "../filters/rule-words";
import { SettingsButton, SettingsDialog } from "../filters/settings-dialog";
import { ImapIdentitiesProvider } from "../identities/identities-context";
import { useFuzzyChoice } from "../search/fuzzy-choice";
import { SearchBox } from "../search/search-box";
import { useSearchText } from "../search/use-search-text";
import { useImapNotifications } from "../notifications/use-imap-notifications";
import { useFaviconBadge } from "../notifications/use-favicon-badge";
import { ArchiveSpamButtons } from "../actions/action-buttons";
import { useMailShortcuts } from "../shortcuts/use-mail-shortcuts";
import { useLeaveActedOn } from "../actions/after-acting";

export function ImapApp(props: { account: Account; onSignedOut: (reason?: UiErrorCode) => void }) {
  const contacts = useServerContactsStore(props.account.email);
  return (
    <ToastRoot>
      <ImapIdentitiesProvider account={props.account}>
        <MailRoots account={props.account} contacts={contacts}>
          <ImapMailbox {...props} />
        </MailRoots>
      </ImapIdentitiesProvider>
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
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const toast = useToast();
  const actions = useImapActions();
  const [folder, setFolder] = useState("INBOX");
  // When the shown folder was chosen, and what it was called (see "gone" below).
  const folderChosenAt = useRef(0);
  /** A folder was chosen and waits for its rows (onOpenFolder) before it is shown. */
  const choosing = useRef(false);
  const shownLabel = useRef("INBOX");
  const [sort, setSort] = useState<ListSort>("arrival");
  const [open, setOpen] = useState<{
    /** Set when opened from search results, which may be in another folder. */
    folder?: string;
    uid: number;
    neighbours: { prev: number | null; next: number | null };
  } | null>(null);
  const { checked, toggle, setAll, add, clear, drop } = useChecked<number>();
  // "Select all N in …" asking for the folder's UIDs: the selection's actions wait for them
  // (acting meanwhile would act on the rows loaded so far).
  const [selectingFolder, setSelectingFolder] = useState(false);
  const [threaded, setThreaded] = useConversationMode(account.email, folder);
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [pane, setPane] = useState<Pane>("list");
  const folders = useQuery(trpc.imap.folders.queryOptions());
  const watch = useMutation(trpc.imap.watch.mutationOptions());
  const compose = useCompose();
  const search = useSearchText(account.email, { live: false });
  const fuzzy = useFuzzyChoice();

  // Settings (Filters, out of office), and a rule being started from a message.
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [ruleDraft, setRuleDraft] = useState<Rule | null>(null);
  const filtersUi = {
    openSettings: () => setSettingsOpen(true),
    createRuleFrom: (from: string | null, subject: string | null) => {
      setRuleDraft(ruleFromMessage(from, subject));
      setSettingsOpen(true);
    },
  };

  // New Inbox mail raises a notification unless the user is looking at the Inbox.
  const onMailEvent = useImapNotifications({
    viewingInbox: folder === "INBOX" && !search.active,
    open: (uid) => {
      openFolder("INBOX");
      setOpen({ folder: "INBOX", uid, neighbours: { prev: null, next: null } });
      setPane("message");
    },
  });

  // IDLE follows the folder the user looks at (one connection, one selected mailbox); said
  // again on every new socket: a gateway restarted (or another one taking the session over)
  // knows nothing of it and would listen on the Inbox.
  const { epoch } = useConnection();
  useEffect(() => {
    watch.mutate({ folder });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [folder, epoch]);

  const current = folders.data?.find((f) => f.path === folder);
  const inboxUnread = folders.data?.find((f) => f.specialUse === "inbox")?.unseen ?? 0;
  useDocumentTitle(inboxUnread, current ? folderLabel(current, t) : "");
  useFaviconBadge(inboxUnread);

  const openFolder = (path: string) => {
    choosing.current = false;
    search.leave();
    folderChosenAt.current = Date.now();
    setFolder(path);
    setOpen(null);
    setConversation(null);
    clear();
    setPane("list");
  };
  // A folder deleted or renamed on another device while it is shown here: back to the Inbox,
  // saying so, rather than rows of a folder that is no longer there. Only a tree fetched after
  // the folder was opened counts (one made here is opened before the tree has it).
  useEffect(() => {
    if (current) shownLabel.current = folderLabel(current, t);
  }, [current, t]);
  useEffect(() => {
    // Not while another folder is being opened: the one shown may be the one this page just
    // renamed, whose new name opens once its rows are in.
    if (!folders.data || current || folder === "INBOX" || choosing.current) return;
    if (folders.dataUpdatedAt <= folderChosenAt.current) return;
    toast(t("mail.folderGone", { name: shownLabel.current }));
    openFolder("INBOX");
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [folders.data, folders.dataUpdatedAt, current, folder]);
  const selection = checked.size > 0 ? [...checked] : open ? [open.uid] : [];
  const targets = imapMoveTargets(folders.data ?? [], t, folder);

  const closeOpen = () => {
    setOpen(null);
    setConversation(null);
    setPane("list");
  };
  // The open message deleted, archived, moved or reported alone: back to the list, or on to the
  // message beside it (Settings, "After deleting or moving"), from the list shown.
  const { advanceRef, leave } = useLeaveActedOn(closeOpen);
  // A message deleted or moved elsewhere (another device, a filter) leaves the selection, and
  // the reading pane if it is the one open, with a word why. This page's own deletes close
  // the message before the server's notice comes.
  const onGone = useStableCallback((event: MailEvent) => {
    if (event.type !== "expunge" || event.uid === null) return;
    if (event.folder === folder) drop([event.uid]);
    if (open && open.uid === event.uid && (open.folder ?? folder) === event.folder && !conversation) {
      closeOpen();
      toast(t("mail.openGone"));
    }
  });
  const onEvent = useStableCallback((event: MailEvent) => {
    onMailEvent(event);
    onGone(event);
  });
  useImapEvents((reason) => onSignedOut(reason), onEvent);
  // The shown folder made again on another device (a window fetched with another UIDVALIDITY):
  // the UIDs selected or open here name other messages now, so they go.
  const qc = useQueryClient();
  /** The ticked messages forwarded as attachments (the code with the compose window's). */
  const forwardSelection = useForwardRefs();
  const importInto = useImportIntoFolder();
  const trpcClient = useTRPCClient();
  const onRenumbered = useStableCallback(() => {
    clear();
    if (open && (open.folder ?? folder) === folder) closeOpen();
  });
  useEffect(() => {
    const windows = [trpc.imap.list.pathFilter(), trpc.imap.conversations.pathFilter()];
    let listedWith = uidValidityOf(qc, trpc, folder);
    return qc.getQueryCache().subscribe((event) => {
      if (event.type !== "updated" || event.action.type !== "success") return;
      if (!windows.some((filter) => matchQuery(filter, event.query))) return;
      const window = event.action.data as { folder: string; uidValidity: string } | undefined;
      if (!window || window.folder !== folder) return;
      if (listedWith !== undefined && window.uidValidity !== listedWith) onRenumbered();
      listedWith = window.uidValidity;
    });
  }, [qc, trpc, folder, onRenumbered]);
  const actOn = (fn: (uids: number[]) => void) => (uids: number[]) => {
    // A conversation is acted on whole (its rows are not ticked one by one).
    const openAlone = checked.size === 0 && (threaded ? conversation !== null : open !== null);
    fn(uids);
    clear();
    if (openAlone) leave();
    else closeOpen();
  };
  // The folder's ticks stay out of a search: its actions are on the result opened.
  useEffect(() => {
    if (search.active) clear();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search.active]);
  // A message opened from search results may be in another folder.
  const where = checked.size === 0 && open?.folder !== undefined ? open.folder : folder;
  useMailShortcuts<number>({
    // Nothing to act on while "Select all N in …" is still asking for the folder's UIDs.
    selection: selectingFolder ? [] : threaded && conversation ? conversation.folderUids : selection,
    openId: threaded ? (conversation?.key ?? null) : (open?.uid ?? null),
    inJunk: current?.specialUse === "junk",
    compose: () => compose.open({ mode: "new" }),
    close: closeOpen,
    archive: actOn((uids) => actions.archive(where, uids)),
    remove: actOn((uids) => actions.remove(where, uids)),
    spam: actOn((uids) => actions.spam(where, uids, current?.specialUse !== "junk")),
    setSeen: (uids, seen) => actions.setSeen(where, uids, seen),
    setFlagged: (uids, flagged) => actions.setFlagged(where, uids, flagged),
    // Conversations are not selected one by one; search results have their own ticks (the
    // folder's UIDs would name other messages than a result's of another folder).
    toggle: (uid) => void (!threaded && !search.active && toggle(uid)),
    goTo: (use) => {
      const hit = folders.data?.find((f) => f.specialUse === use);
      if (hit) onOpenFolder(hit.path);
    },
  });

  // Opening a folder refreshes its first window (useRefreshFolder), asked for when its button is
  // pressed: the request is on its way before the click, and the gateway selects the folder
  // once for it and for IDLE. A folder with no rows cached yet is rendered once they are in
  // (useOpenWhenReady: the folder and its rows in one frame); one with rows cached at once.
  // Stable, so the memoized folder tree and quota meter skip the renders an opened message causes.
  const refreshFolder = useRefreshFolder();
  const pressedFolder = useRef<{ path: string; refresh: ReturnType<typeof refreshFolder> } | null>(null);
  const openWhenReady = useOpenWhenReady();
  const onOpenFolder = useStableCallback((path: string) => {
    choosing.current = true;
    const pressed = pressedFolder.current?.path === path ? pressedFolder.current.refresh : null;
    pressedFolder.current = null;
    const refresh = pressed ?? (path !== folder ? refreshFolder(path, sort) : null);
    openWhenReady(refresh && !refresh.cached ? refresh.rows : null, () => openFolder(path));
  });
  const onPressFolder = useStableCallback((path: string) => {
    watch.mutate({ folder: path });
    pressedFolder.current = path !== folder ? { path, refresh: refreshFolder(path, sort) } : null;
  });
  const onDropMessages = useStableCallback(
    (to: string, payload: { folder: string; uids: number[]; uidValidity?: string }, copy: boolean) => {
      const target = folders.data?.find((f) => f.path === to);
      const label = target ? folderLabel(target, t) : to;
      const at = { uidValidity: payload.uidValidity };
      if (copy) actions.copy(payload.folder, payload.uids, to, label, at);
      else actions.move(payload.folder, payload.uids, to, label, at);
      clear();
      if (!open || copy || payload.folder !== (open.folder ?? folder) || !payload.uids.includes(open.uid))
        return;
      if (payload.uids.length === 1) leave();
      else setOpen(null);
    },
  );
  const onShowLargest = useStableCallback(() => {
    openFolder("INBOX");
    setSort("size");
  });

  const doSignOut = async () => {
    await signOut().catch(() => undefined);
    onSignedOut();
  };

  return (
    <FiltersUiContext.Provider value={filtersUi}>
      <MailLayout
        // Nothing open (closed by a way that left the pane as it was: Conversations turned off
        // on a wide screen, then the window narrowed): the list, not an empty reading pane.
        pane={pane === "message" && !open && !conversation ? "list" : pane}
        onLeaveFolders={() => setPane("list")}
        onLeaveMessage={closeOpen}
        folders={
          <>
            <div className="px-2 pt-2">
              <ComposeButton onCompose={() => compose.open({ mode: "new" })} />
            </div>
            <SearchBox
              search={search}
              folders={(folders.data ?? []).filter((f) => f.selectable).map((f) => f.path)}
              fuzzy={fuzzy}
            />
            <ImapFolders
              current={folder}
              onOpen={onOpenFolder}
              onPress={onPressFolder}
              onDropMessages={onDropMessages}
            />
            <QuotaMeter onShowLargest={onShowLargest} />
            {/* Settings on a row of its own, as in POP3: the address beside Sign out has the
                sidebar's width (beside both it showed a few letters). */}
            <div className="flex flex-col items-start gap-1 border-t border-slate-200 px-3 py-2 text-xs dark:border-slate-800">
              <SettingsButton onOpen={() => setSettingsOpen(true)} />
              <div className="flex w-full items-center justify-between gap-2">
                <AccountLine email={account.email} onSignOut={() => void doSignOut()} />
              </div>
            </div>
          </>
        }
        list={
          search.active ? (
            <Suspense fallback={<p className="p-6 text-sm text-slate-500">{t("mail.loading")}</p>}>
              <ImapSearchPane
                search={search}
                fuzzy={fuzzy.value}
                currentFolder={folder}
                folders={folders.data ?? []}
                openRef={open?.folder !== undefined ? { folder: open.folder, uid: open.uid } : null}
                onOpen={(ref, neighbours) => {
                  setOpen({ folder: ref.folder, uid: ref.uid, neighbours });
                  setPane("message");
                }}
                onClosed={() => setOpen(null)}
                onOpenRemoved={leave}
                onOpenFolders={() => setPane("folders")}
                advanceRef={advanceRef}
              />
            </Suspense>
          ) : (
            <>
              <VacationBanner onOpen={() => setSettingsOpen(true)} />
              <ListTitleBar
                title={current ? folderLabel(current, t) : folder}
                onOpenFolders={() => setPane("folders")}
              >
                {current?.specialUse === "trash" && current.messages > 0 && (
                  <EmptyTrashButton
                    count={current.messages}
                    name={folderLabel(current, t)}
                    onEmpty={() => actions.emptyTrash(folder)}
                  />
                )}
                <ConversationToggle
                  on={threaded}
                  onChange={(on) => {
                    setThreaded(on);
                    setOpen(null);
                    setConversation(null);
                    clear();
                  }}
                />
                <SortSelect hidden={threaded} value={sort} onChange={setSort} />
                <ExportMboxButton
                  folder={folder}
                  disabled={!current || current.messages === 0}
                  onExport={async (onProgress) => {
                    if (!current) return;
                    const { exportImapFolder } = await import("./imap-export");
                    const label = folderLabel(current, t);
                    const { exported, left } = await exportImapFolder(
                      trpcClient,
                      current,
                      `${label}.mbox`,
                      onProgress,
                    );
                    if (left > 0)
                      toast(
                        t("mail.exportedNewest", {
                          count: formatCount(exported, i18n.language),
                          quantity: exported,
                          left: formatCount(left, i18n.language),
                          folder: label,
                        }),
                        "info",
                      );
                  }}
                />
                <ImportMessagesButton
                  disabled={current?.specialUse === "drafts"}
                  onFiles={(files, onProgress) =>
                    importInto(folder, current ? folderLabel(current, t) : folder, files, onProgress)
                  }
                />
              </ListTitleBar>
              {checked.size > 0 && (
                <SelectionBar
                  waiting={selectingFolder}
                  onSeen={(seen) => actions.setSeen(folder, selection, seen)}
                  {...(current?.specialUse !== "drafts"
                    ? {
                        onForward: () => {
                          const validity = uidValidityOf(qc, trpc, folder);
                          forwardSelection(
                            selection.map((uid) => ({ folder, uid })),
                            validity ? new Map([[folder, validity]]) : undefined,
                          );
                        },
                      }
                    : {})}
                  onDelete={() => {
                    actions.remove(folder, selection);
                    clear();
                    setOpen(null);
                  }}
                >
                  <ArchiveSpamButtons
                    inArchive={current?.specialUse === "archive"}
                    inJunk={current?.specialUse === "junk"}
                    onArchive={() => actOn((uids) => actions.archive(folder, uids))(selection)}
                    onSpam={(spam) => actOn((uids) => actions.spam(folder, uids, spam))(selection)}
                  />
                  <MoveMenu
                    id="move-many"
                    label={t("mail.moveTo")}
                    targets={targets}
                    onMove={(to) => {
                      actions.move(folder, selection, to.id, to.name);
                      clear();
                      setOpen(null);
                    }}
                  />
                  <MoveMenu
                    label={t("mail.copyTo")}
                    targets={targets}
                    onMove={(to) => {
                      actions.copy(folder, selection, to.id, to.name);
                      clear();
                    }}
                  />
                </SelectionBar>
              )}
              {threaded ? (
                <Suspense fallback={<p className="p-6 text-sm text-slate-500">{t("mail.loading")}</p>}>
                  <ImapConversationList
                    folder={folder}
                    openKey={conversation?.key ?? null}
                    onOpen={(c) => {
                      setConversation(c);
                      setPane("message");
                    }}
                    onDelete={() => {
                      if (!conversation) return;
                      if (conversation.folderUids.length) actions.remove(folder, conversation.folderUids);
                      leave();
                    }}
                    advanceRef={advanceRef}
                  />
                </Suspense>
              ) : (
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
                  onToggle={toggle}
                  onToggleAll={setAll}
                  onSelectRange={add}
                  folderName={current ? folderLabel(current, t) : folder}
                  selectingFolder={selectingFolder}
                  onSelectingFolder={setSelectingFolder}
                  onDelete={() => {
                    if (selection.length === 0) return;
                    const openAlone = checked.size === 0;
                    actions.remove(folder, selection);
                    clear();
                    if (openAlone) leave();
                    else setOpen(null);
                  }}
                  advanceRef={advanceRef}
                />
              )}
            </>
          )
        }
        message={
          <Suspense fallback={<p className="p-6 text-sm text-slate-500">{t("mail.loading")}</p>}>
            {threaded && conversation ? (
              <ImapConversationView
                key={`${folder}/${conversation.key}`}
                folder={folder}
                conversation={conversation}
                folders={folders.data ?? []}
                onClose={() => {
                  setConversation(null);
                  setPane("list");
                }}
                onRemoved={leave}
              />
            ) : open ? (
              <ImapReadingPane
                folder={open.folder ?? folder}
                uid={open.uid}
                neighbours={open.neighbours}
                folders={folders.data ?? []}
                onClose={() => {
                  setOpen(null);
                  setPane("list");
                }}
                onRemoved={leave}
              />
            ) : (
              <p className="m-auto p-6 text-sm text-slate-500">{t("mail.noSelection")}</p>
            )}
          </Suspense>
        }
      >
        <SettingsDialog
          open={settingsOpen}
          onClose={() => {
            setSettingsOpen(false);
            setRuleDraft(null);
          }}
        >
          {settingsOpen && (
            <Suspense fallback={<p className="text-sm text-slate-500">{t("mail.loading")}</p>}>
              <ImapSettingsSections
                account={account}
                folders={folders.data ?? []}
                draft={ruleDraft}
                onDraftDone={(saved) => {
                  setRuleDraft(null);
                  // Cancelled: back to the message it was started from (the dialog gives the
                  // focus back to its button), not to a Settings the user never opened.
                  if (!saved) setSettingsOpen(false);
                }}
              />
            </Suspense>
          )}
        </SettingsDialog>
      </MailLayout>
    </FiltersUiContext.Provider>
  );
}
