"use client";

import type { Rule } from "@pismo/protocol/rules";
import { FiltersUiContext } from "../filters/filters-context";
import { ruleFromMessage } from "../filters/rule-words";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Account } from "@pismo/protocol/schemas";
import { buttonClass } from "@/components/ui/dialog";
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
import { MoveMenu } from "@/features/shared/message-parts";
import { ToastRoot } from "@/components/ui/toast";
import type { UiErrorCode } from "@/lib/errors";
import { useConnection } from "@/trpc/connection";
import { ComposeRoot, useCompose } from "../compose/compose-context";
import { ContactsRoot } from "../contacts/contacts-context";
import { indexedDbContactsStore } from "../contacts/contacts-store";
import { LazyComposePanel } from "../compose/lazy-compose-panel";
import { DraftOffer } from "../message-tools/draft-offer";
import { downloadBlob } from "@/lib/download";
import { toMbox } from "./mbox";
import { Pop3Folders, folderName, moveTargets } from "./pop3-folders";
import { Pop3MessageList } from "./pop3-message-list";
import { Pop3SettingsPane } from "./pop3-settings";
import { Pop3IdentitiesProvider } from "../identities/pop3-identities";
import { IdentitySettingsSections } from "../identities/identity-settings";
import { pop3DraftStore } from "./pop3-drafts";
import {
  DRAFTS,
  INBOX,
  Pop3Store,
  SENT,
  TRASH,
  localBuiltIns,
  pop3DatabaseName,
  requestPersistentStorage,
} from "./pop3-store";
import { PullPanel } from "./pull-panel";
import { Pop3SignOutDialog } from "./pop3-sign-out-dialog";
import { SearchBox } from "../search/search-box";
import { SearchStatus } from "../search/search-status";
import { usePop3Search } from "../search/use-pop3-search";
import { useLive } from "./use-live";
import { ConversationToggle } from "../conversations/conversation-toggle";
import { Pop3ConversationList } from "../conversations/pop3-conversation-list";
import { Pop3ConversationView } from "../conversations/pop3-conversation-view";
import { Pop3MessageView } from "./pop3-message-view";
import { usePop3Conversations } from "../conversations/use-pop3-conversations";
import { usePop3Pull } from "./use-pop3-pull";
import { usePop3Notifications } from "../notifications/use-pop3-notifications";
import { useFaviconBadge } from "../notifications/use-favicon-badge";
import { usePullChecks } from "./use-pull-checks";
import { UndoRoot } from "../actions/undo";
import { ArchiveSpamButtons } from "../actions/action-buttons";
import { JUNK, ARCHIVE } from "../actions/pop3-actions";
import { usePop3Actions } from "../actions/use-pop3-actions";
import { ShortcutsRoot } from "../shortcuts/shortcuts";
import { useMailShortcuts } from "../shortcuts/use-mail-shortcuts";

/** A POP3 account: mail pulled into this browser, read and sorted here. */
export function Pop3App(props: { account: Account; onSignedOut: (reason?: UiErrorCode) => void }) {
  const name = pop3DatabaseName(props.account);
  const store = useMemo(() => new Pop3Store(name), [name]);
  useEffect(() => () => store.close(), [store]);
  // Drafts and the sent copy are kept in this browser, next to the pulled mail.
  const drafts = useMemo(() => pop3DraftStore(store), [store]);
  // The address book lives in the account's database too (and in its settings file).
  const contacts = useMemo(
    () =>
      indexedDbContactsStore(
        () => store.contacts(),
        (book) => store.setContacts(book),
      ),
    [store],
  );
  return (
    <ToastRoot>
      <Pop3IdentitiesProvider account={props.account} store={store}>
        <ContactsRoot store={contacts} self={props.account.email}>
          <UndoRoot>
            <ShortcutsRoot>
              <ComposeRoot account={props.account.email} drafts={drafts}>
                <Pop3Mail {...props} store={store} />
                <LazyComposePanel account={props.account} drafts={drafts} />
                <DraftOffer account={props.account.email} />
              </ComposeRoot>
            </ShortcutsRoot>
          </UndoRoot>
        </ContactsRoot>
      </Pop3IdentitiesProvider>
    </ToastRoot>
  );
}

function Pop3Mail({
  account,
  store,
  onSignedOut,
}: {
  account: Account;
  store: Pop3Store;
  onSignedOut: (reason?: UiErrorCode) => void;
}) {
  const { t } = useTranslation();
  const { status } = useConnection();
  const pull = usePop3Pull(store);
  const compose = useCompose();
  const [chosenFolder, setFolder] = useState(INBOX);
  const [openUid, setOpenUid] = useState<string | null>(null);
  const { checked, toggle, setAll, clear } = useChecked<string>();
  const [pane, setPane] = useState<Pane>("list");
  const [showSettings, setShowSettings] = useState(false);
  // A rule being started from a message ("Create rule from message") opens in Settings.
  const [ruleDraft, setRuleDraft] = useState<Rule | null>(null);
  const [signingOut, setSigningOut] = useState(false);

  const settings = useLive(() => store.settings(), [store]);
  const unread = useLive(() => store.unreadCounts(), [store]);
  const folders = useMemo(() => settings?.folders ?? [], [settings]);
  // A folder deleted (here or by an import) falls back to the Inbox.
  const folder =
    settings && !localBuiltIns.includes(chosenFolder) && !settings.folders.some((f) => f.id === chosenFolder)
      ? INBOX
      : chosenFolder;
  const {
    search,
    active,
    messages,
    scope: searchScope,
  } = usePop3Search(store, account.email, folder, folders);
  const conversations = usePop3Conversations(store, folder, account.email, active !== null);
  const { threaded, setThreaded, openKey, setOpenKey, open: openConversation } = conversations;

  useEffect(() => {
    void requestPersistentStorage();
  }, []);

  const check = usePullChecks(pull, settings?.checkEveryMinutes ?? 0);

  const inboxUnread = unread?.[INBOX] ?? 0;
  const title = folderName(folder, folders, t);
  useDocumentTitle(inboxUnread, title);
  useFaviconBadge(inboxUnread);
  // A pull that brought Inbox mail raises one notification, unless the user is looking at it.
  usePop3Notifications({
    running: pull.running,
    storedAt: pull.outcome?.kind === "done" && pull.outcome.stored > 0 ? pull.outcome.at : null,
    inbox: () => store.list(INBOX),
    viewingInbox: folder === INBOX && active === null,
    open: (uid) => {
      openFolder(INBOX);
      setOpenUid(uid);
      setPane("message");
    },
  });

  const openFolder = (id: string) => {
    search.leave();
    setFolder(id);
    setOpenUid(null);
    setOpenKey(null);
    clear();
    setShowSettings(false);
    setPane("list");
  };
  // A draft opens where it can be finished: in the compose panel.
  const openDraft = async (uid: string) => {
    const fields = await store.draft(uid);
    if (fields) compose.open({ mode: "saved", ref: uid, fields });
  };
  const selection = checked.size > 0 ? [...checked] : openUid ? [openUid] : [];
  const actions = usePop3Actions(store, folders);
  const actOn = (fn: (uids: string[]) => Promise<unknown>) => (uids: string[]) => {
    void fn(uids);
    clear();
    setOpenUid(null);
    setOpenKey(null);
    setPane("list");
  };
  useMailShortcuts<string>({
    selection: conversations.shown && openConversation ? openConversation.folderMessageIds : selection,
    openId: conversations.shown ? openKey : openUid,
    inJunk: folder === JUNK,
    compose: () => compose.open({ mode: "new" }),
    close: () => {
      setOpenUid(null);
      setOpenKey(null);
      setPane("list");
    },
    archive: actOn((uids) => actions.archive(uids)),
    remove: actOn((uids) => actions.remove(uids)),
    spam: actOn((uids) => actions.spam(uids, folder !== JUNK)),
    setSeen: (uids, seen) => void actions.setSeen(uids, seen),
    setFlagged: (uids, flagged) => void store.setFlagged(uids, flagged),
    toggle,
    selectRange: (uids) => setAll([...checked, ...uids], true),
    idOf: String,
    goTo: (use) => openFolder(use === "inbox" ? INBOX : use === "sent" ? SENT : DRAFTS),
  });

  const removeSelection = async () => {
    if (selection.length === 0) return;
    const { permanently } = await actions.remove(selection);
    if (permanently > 0 || folder !== TRASH) {
      setOpenUid(null);
      clear();
    }
  };
  const moveSelection = async (to: string) => {
    await actions.move(selection, to);
    clear();
    setOpenUid(null);
  };
  const exportFolder = async () => {
    const list = await store.list(folder);
    const entries = [];
    for (const m of list) {
      const raw = await store.raw(m.uid);
      if (raw) entries.push({ raw, fromAddress: m.fromAddress, date: m.sortKey });
    }
    downloadBlob([toMbox(entries) as BlobPart], "application/mbox", `${title}.mbox`);
  };

  const filtersUi = {
    openSettings: () => {
      setShowSettings(true);
      setPane("message");
    },
    createRuleFrom: (from: string | null, subject: string | null) => {
      setRuleDraft(ruleFromMessage(from, subject));
      setShowSettings(true);
      setPane("message");
    },
  };

  return (
    <FiltersUiContext.Provider value={filtersUi}>
      <MailLayout
        pane={pane}
        folders={
          <>
            <div className="border-b border-slate-200 p-3 dark:border-slate-800">
              <ComposeButton onCompose={() => compose.open({ mode: "new" })} />
            </div>
            <SearchBox
              search={search}
              folders={[
                ...localBuiltIns.map((id) => folderName(id, folders, t)),
                ...folders.map((f) => f.name),
              ]}
            />
            <PullPanel state={pull.state} outcome={pull.outcome} onCheck={check} onCancel={pull.cancel} />
            {status !== "live" && (
              <p className="border-b border-slate-200 px-3 py-2 text-xs text-slate-500 dark:border-slate-800">
                {t("pop3.offlineNote")}
              </p>
            )}
            <Pop3Folders
              store={store}
              folders={folders}
              unread={unread ?? {}}
              current={folder}
              onOpen={openFolder}
              onDrop={(to, uids) => {
                void actions.move(uids, to);
                clear();
              }}
            />
            <div className="flex flex-col gap-1 border-t border-slate-200 px-3 py-2 text-xs dark:border-slate-800">
              <button
                type="button"
                className={`${buttonClass.ghost} text-left`}
                aria-pressed={showSettings}
                onClick={() => {
                  setShowSettings((s) => !s);
                  setPane("message");
                }}
              >
                {t("pop3.settings")}
              </button>
              <div className="flex items-center justify-between gap-2">
                <AccountLine email={account.email} onSignOut={() => setSigningOut(true)} />
              </div>
            </div>
          </>
        }
        list={
          <>
            <ListTitleBar title={active ? active.text : title} onOpenFolders={() => setPane("folders")}>
              {folder !== DRAFTS && !active && (
                <ConversationToggle
                  on={threaded}
                  onChange={(on) => {
                    setThreaded(on);
                    setOpenUid(null);
                    setOpenKey(null);
                    clear();
                  }}
                />
              )}
              {active && (
                <button type="button" className={buttonClass.ghost} onClick={search.leave}>
                  {t("search.back")}
                </button>
              )}
              {!active && folder === TRASH && (messages?.length ?? 0) > 0 && (
                <EmptyTrashButton
                  count={messages?.length ?? 0}
                  name={title}
                  onEmpty={() => void store.emptyTrash()}
                />
              )}
              <button
                type="button"
                className={buttonClass.ghost}
                disabled={(messages?.length ?? 0) === 0 || folder === DRAFTS}
                onClick={() => void exportFolder()}
              >
                {t("pop3.exportMbox")}
              </button>
            </ListTitleBar>
            {active && (
              <SearchStatus
                count={messages?.length ?? 0}
                scope={searchScope}
                running={messages === undefined}
              />
            )}
            {checked.size > 0 && (
              <SelectionBar
                onSeen={(seen) => void actions.setSeen(selection, seen)}
                deleteLabel={folder === TRASH ? t("mail.deleteForever") : t("mail.delete")}
                onDelete={() => void removeSelection()}
              >
                {folder !== DRAFTS && folder !== SENT && (
                  <ArchiveSpamButtons
                    inArchive={folder === ARCHIVE}
                    inJunk={folder === JUNK}
                    onArchive={() => actOn((uids) => actions.archive(uids))(selection)}
                    onSpam={(spam) => actOn((uids) => actions.spam(uids, spam))(selection)}
                  />
                )}
                {folder !== DRAFTS && (
                  <MoveMenu
                    id="move-many"
                    label={t("mail.moveTo")}
                    targets={moveTargets(folder, folders, t)}
                    onMove={(to) => void moveSelection(to.id)}
                  />
                )}
              </SelectionBar>
            )}
            {conversations.shown ? (
              <Pop3ConversationList
                conversations={conversations.conversations}
                openKey={openKey}
                emptyText={t("mail.empty")}
                onOpen={(key) => {
                  setOpenKey(key);
                  setShowSettings(false);
                  setPane("message");
                }}
                onDelete={() => {
                  if (openConversation) void actions.remove([...openConversation.folderMessageIds]);
                  setOpenKey(null);
                }}
              />
            ) : (
              <Pop3MessageList
                messages={messages}
                openUid={openUid}
                checked={checked}
                emptyText={
                  active ? t("search.empty", { query: active.text, scope: searchScope }) : t("mail.empty")
                }
                onOpen={(uid) => {
                  if (folder === DRAFTS) void openDraft(uid);
                  else {
                    setOpenUid(uid);
                    setShowSettings(false);
                    setPane("message");
                  }
                }}
                onToggle={toggle}
                onToggleAll={(on) =>
                  setAll(
                    (messages ?? []).map((m) => m.uid),
                    on,
                  )
                }
                onDelete={() => void removeSelection()}
              />
            )}
          </>
        }
        message={
          <>
            {showSettings && settings ? (
              <Pop3SettingsPane
                store={store}
                settings={settings}
                draft={ruleDraft}
                onDraftDone={() => setRuleDraft(null)}
                identities={<IdentitySettingsSections account={account} storedWhere="browser" />}
                onClose={() => {
                  setShowSettings(false);
                  setPane("list");
                }}
              />
            ) : conversations.shown && openConversation ? (
              <Pop3ConversationView
                key={openConversation.key}
                store={store}
                folder={folder}
                conversation={openConversation}
                folders={folders}
                me={account.email}
                onClose={() => {
                  setOpenKey(null);
                  setPane("list");
                }}
              />
            ) : openUid ? (
              <Pop3MessageView
                key={openUid}
                store={store}
                uid={openUid}
                folders={folders}
                onClose={() => {
                  setOpenUid(null);
                  setPane("list");
                }}
                onDeleted={() => {
                  setOpenUid(null);
                  setPane("list");
                }}
              />
            ) : (
              <div className="m-auto max-w-sm space-y-2 p-6 text-center text-sm text-slate-500">
                <p>{t("mail.noSelection")}</p>
                <p className="text-xs">{t("pop3.localHint")}</p>
              </div>
            )}
          </>
        }
      >
        <Pop3SignOutDialog
          open={signingOut}
          store={store}
          onCancel={() => setSigningOut(false)}
          onLeave={pull.cancel}
          onSignedOut={() => onSignedOut()}
        />
      </MailLayout>
    </FiltersUiContext.Provider>
  );
}
