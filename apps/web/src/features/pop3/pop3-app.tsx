"use client";

import { FiltersUiContext } from "../filters/filters-context";
import { useEffect, useMemo } from "react";
import type { Account } from "@pismo/protocol/schemas";
import { MailLayout } from "@/features/shared/mail-layout";
import { MailRoots } from "@/features/shared/mail-roots";
import { useDocumentTitle } from "@/features/shared/mailbox-chrome";
import { ToastRoot } from "@/components/ui/toast";
import type { UiErrorCode } from "@/lib/errors";
import { useCompose } from "../compose/compose-context";
import { useTRPCClient } from "@/trpc/client";
import { indexedDbContactsStore } from "../contacts/contacts-store";
import { Pop3IdentitiesProvider } from "../identities/pop3-identities";
import { pop3DraftStore } from "./pop3-drafts";
import { DRAFTS, INBOX, Pop3Store, SENT, pop3DatabaseName, requestPersistentStorage } from "./pop3-store";
import { Pop3SignOutDialog } from "./pop3-sign-out-dialog";
import { Pop3FolderPane } from "./pop3-folder-pane";
import { Pop3ListPane } from "./pop3-list-pane";
import { PullPanel } from "./pull-panel";
import { useWideScreen } from "@/lib/wide-screen";
import { Pop3MessagePane } from "./pop3-message-pane";
import { usePop3Mailbox } from "./use-pop3-mailbox";
import { usePop3Pull } from "./use-pop3-pull";
import { usePop3Notifications } from "../notifications/use-pop3-notifications";
import { useFaviconBadge } from "../notifications/use-favicon-badge";
import { usePullChecks } from "./use-pull-checks";
import { JUNK } from "../actions/pop3-actions";
import { useMailShortcuts } from "../shortcuts/use-mail-shortcuts";

/** A POP3 account: mail pulled into this browser, read and sorted here. */
export function Pop3App(props: { account: Account; onSignedOut: (reason?: UiErrorCode) => void }) {
  const name = pop3DatabaseName(props.account);
  const store = useMemo(() => new Pop3Store(name), [name]);
  useEffect(() => () => store.close(), [store]);
  // Drafts and the sent copy are kept in this browser, next to the pulled mail.
  // A reopened draft's files go up again only where the gateway no longer holds them.
  const client = useTRPCClient();
  const drafts = useMemo(
    () => pop3DraftStore(store, (ids) => client.compose.uploadsHeld.query({ ids })),
    [store, client],
  );
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
        <MailRoots account={props.account} contacts={contacts} drafts={drafts}>
          <Pop3Mail {...props} store={store} />
        </MailRoots>
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
  const pull = usePop3Pull(store);
  const compose = useCompose();
  const mailbox = usePop3Mailbox(store, account, pull.running);
  const { folder, active, conversations, selection, actions, actOn } = mailbox;

  useEffect(() => {
    void requestPersistentStorage();
  }, []);

  const check = usePullChecks(pull, mailbox.settings?.checkEveryMinutes ?? 0);

  const inboxUnread = mailbox.unread?.[INBOX] ?? 0;
  useDocumentTitle(inboxUnread, mailbox.title);
  useFaviconBadge(inboxUnread);
  // A pull that brought Inbox mail raises one notification, unless the user is looking at it.
  usePop3Notifications({
    running: pull.running,
    storedAt: pull.outcome?.kind === "done" && pull.outcome.stored > 0 ? pull.outcome.at : null,
    inbox: () => store.list(INBOX),
    viewingInbox: folder === INBOX && active === null,
    open: (uid) => {
      if (!mailbox.openFolder(INBOX)) return;
      mailbox.setOpenUid(uid);
      mailbox.setPane("message");
    },
  });

  useMailShortcuts<string>({
    selection: conversations.shown && conversations.open ? conversations.open.folderMessageIds : selection,
    openId: conversations.shown ? conversations.openKey : mailbox.openUid,
    inJunk: folder === JUNK,
    compose: () => compose.open({ mode: "new" }),
    close: mailbox.closeOpen,
    archive: actOn((uids) => actions.archive(uids)),
    remove: actOn((uids) => actions.remove(uids)),
    spam: actOn((uids) => actions.spam(uids, folder !== JUNK)),
    setSeen: (uids, seen) => void actions.setSeen(uids, seen),
    setFlagged: (uids, flagged) => void store.setFlagged(uids, flagged),
    toggle: mailbox.toggle,
    goTo: (use) => mailbox.openFolder(use === "inbox" ? INBOX : use === "sent" ? SENT : DRAFTS),
  });

  // Check mail and the pull's progress: beside the folders on a wide screen, over the list on a
  // phone or a tablet (the screen a person is on there); rendered once, in one of the two.
  const wide = useWideScreen();
  const pullPanel = (
    <PullPanel
      state={pull.state}
      outcome={pull.outcome}
      onCheck={check}
      onCancel={() => void pull.cancel()}
    />
  );
  return (
    <FiltersUiContext.Provider value={mailbox.filtersUi}>
      <MailLayout
        // Nothing to read (closed by a way that left the pane as it was: Conversations turned off
        // on a wide screen, then the window narrowed): the list, not an empty reading pane.
        pane={mailbox.pane === "message" && mailbox.readingNothing ? "list" : mailbox.pane}
        onLeaveFolders={() => mailbox.setPane("list")}
        onLeaveMessage={() => {
          if (mailbox.closeSettings()) mailbox.closeOpen();
        }}
        folders={
          <Pop3FolderPane mailbox={mailbox} store={store} account={account} pullPanel={wide && pullPanel} />
        }
        list={<Pop3ListPane mailbox={mailbox} store={store} pullPanel={!wide && pullPanel} />}
        message={<Pop3MessagePane mailbox={mailbox} store={store} account={account} />}
      >
        <Pop3SignOutDialog
          open={mailbox.signingOut}
          store={store}
          pull={pull}
          onCancel={() => mailbox.setSigningOut(false)}
          onSignedOut={() => onSignedOut()}
        />
      </MailLayout>
    </FiltersUiContext.Provider>
  );
}
