"use client";

import type { ReactNode } from "react";
import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { EmptyTrashButton, ListTitleBar, SelectionBar } from "@/features/shared/mailbox-chrome";
import { MoveMenu } from "@/features/shared/message-parts";
import { ArchiveSpamButtons } from "../actions/action-buttons";
import { ARCHIVE, JUNK } from "../actions/pop3-actions";
import { ConversationToggle } from "../conversations/conversation-toggle";
import { Pop3ConversationList } from "../conversations/pop3-conversation-list";
import { SearchStatus } from "../search/search-status";
import { moveTargets } from "./pop3-folders";
import { Pop3MessageList } from "./pop3-message-list";
import { DRAFTS, INBOX, SENT, TRASH, type Pop3Store } from "./pop3-store";
import type { Pop3Mailbox } from "./use-pop3-mailbox";
import { useCompose } from "../compose/compose-context";
import { describeError } from "@/lib/errors";
import { ImportMessagesButton } from "@/features/shared/import-button";
import { ExportMboxButton } from "@/features/shared/export-button";
import { useImportReport } from "@/features/shared/import-report";
import type { ImportProgress } from "@/features/shared/import-messages";

/** The POP3 list pane: the folder's (or the search's) title and tools, the selection bar, and
 * the messages or conversations. */
export function Pop3ListPane({
  mailbox,
  store,
  pullPanel,
}: {
  mailbox: Pop3Mailbox;
  store: Pop3Store;
  /** Check mail and the pull's progress, here on a phone (null on a wide screen: by the folders). */
  pullPanel: ReactNode;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const {
    folder,
    folders,
    active,
    messages,
    total,
    searchScope,
    checked,
    selection,
    actions,
    actOn,
    conversations,
  } = mailbox;
  const { threaded, setThreaded, openKey, setOpenKey, open: openConversation } = conversations;
  const count = total ?? 0;
  const compose = useCompose();
  /** Import messages: each file said as it went (how many, or why none). */
  const report = useImportReport();
  const importFiles = async (files: readonly File[], onProgress: ImportProgress) => {
    try {
      report(mailbox.title, await mailbox.importFiles(files, onProgress));
    } catch (error) {
      toast(describeError(error, t), "error");
    }
  };
  /** The ticked messages forwarded as attachments, from this browser's copies (the code with
   * the compose window's). */
  const forwardSelection = async (ids: readonly string[]) => {
    try {
      const { pop3ForwardSource, WithoutBody, MAX_FORWARDED_MESSAGES } =
        await import("../compose/forward-selection");
      if (ids.length > MAX_FORWARDED_MESSAGES)
        return toast(t("mail.forwardTooMany", { max: MAX_FORWARDED_MESSAGES }), "error");
      const source = await pop3ForwardSource(store, ids).catch((error: unknown) => {
        if (!(error instanceof WithoutBody)) throw error;
        toast(t("mail.forwardWithoutBody", { subject: error.subject }), "error");
        return undefined;
      });
      // Deleted meanwhile (another tab): said, not a click that does nothing.
      if (source === null) toast(t("mail.forwardGone"), "error");
      else if (source) compose.open({ mode: "forwardAttached", source });
    } catch (error) {
      // The code not loaded (a new version deployed meanwhile), the store not read.
      toast(describeError(error, t), "error");
    }
  };
  // This browser's Inbox fills only with a pull: an empty one says how to get the mail.
  const folderEmpty = folder === INBOX ? t("pop3.inboxEmpty") : t("mail.empty");
  return (
    <>
      <ListTitleBar
        title={active ? active.text : mailbox.title}
        onOpenFolders={() => mailbox.setPane("folders")}
      >
        {folder !== DRAFTS && !active && (
          <ConversationToggle
            on={threaded}
            onChange={(on) => {
              setThreaded(on);
              mailbox.setOpenUid(null);
              setOpenKey(null);
              mailbox.clear();
            }}
          />
        )}
        {active && (
          <button type="button" className={buttonClass.ghost} onClick={mailbox.search.leave}>
            {t("search.back")}
          </button>
        )}
        {!active && folder === TRASH && count > 0 && (
          <EmptyTrashButton
            count={count}
            name={mailbox.title}
            onEmpty={() =>
              void store.emptyTrash(count).then((emptied) => {
                if (emptied === null) toast(t("errors.CHANGED"), "error");
              })
            }
          />
        )}
        <ExportMboxButton
          folder={folder}
          disabled={count === 0 || folder === DRAFTS}
          onExport={mailbox.exportFolder}
        />
        <ImportMessagesButton disabled={folder === DRAFTS || active !== null} onFiles={importFiles} />
      </ListTitleBar>
      {pullPanel}
      {active && <SearchStatus count={count} scope={searchScope} running={messages === undefined} />}
      {checked.size > 0 && (
        <SelectionBar
          onSeen={(seen) => void actions.setSeen(selection, seen)}
          deleteLabel={folder === TRASH ? t("mail.deleteForever") : t("mail.delete")}
          onDelete={() => void mailbox.removeSelection()}
          {...(folder !== DRAFTS ? { onForward: () => void forwardSelection(selection) } : {})}
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
              onMove={(to) => void mailbox.moveSelection(to.id)}
            />
          )}
        </SelectionBar>
      )}
      {conversations.shown ? (
        <Pop3ConversationList
          folder={folder}
          conversations={conversations.conversations}
          openKey={openKey}
          emptyText={folderEmpty}
          onOpen={(key) => {
            if (!mailbox.closeSettings()) return;
            setOpenKey(key);
            mailbox.setPane("message");
          }}
          onDelete={() => {
            if (!openConversation) return;
            void actions.remove([...openConversation.folderMessageIds]);
            mailbox.leave();
          }}
          advanceRef={mailbox.advanceRef}
        />
      ) : (
        <Pop3MessageList
          rows={
            active
              ? { kind: "results", messages: messages ?? undefined, view: `${folder}\u0000${active.text}` }
              : { kind: "folder", store, folder, total, burstMs: mailbox.burstMs }
          }
          openUid={mailbox.openUid}
          checked={checked}
          emptyText={active ? t("search.empty", { query: active.text, scope: searchScope }) : folderEmpty}
          onOpen={mailbox.openMessage}
          onToggle={mailbox.toggle}
          onSelectRange={mailbox.add}
          onToggleAll={(on) => void mailbox.allUids().then((uids) => mailbox.setAll(uids, on))}
          onDelete={() => void mailbox.removeSelection()}
          advanceRef={mailbox.advanceRef}
        />
      )}
    </>
  );
}
