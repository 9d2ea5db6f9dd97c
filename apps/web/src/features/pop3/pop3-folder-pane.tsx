"use client";

import type { ReactNode } from "react";
import { useTranslation } from "@/i18n/react";
import type { Account } from "@pismo/protocol/schemas";
import { buttonClass } from "@/components/ui/dialog";
import { AccountLine, ComposeButton } from "@/features/shared/mailbox-chrome";
import { useConnection } from "@/trpc/connection";
import { useCompose } from "../compose/compose-context";
import { SearchBox } from "../search/search-box";
import { Pop3Folders, folderName } from "./pop3-folders";
import { localBuiltIns, type Pop3Store } from "./pop3-store";
import type { Pop3Mailbox } from "./use-pop3-mailbox";

/** The POP3 folder pane: compose, search, the pull, the local folders, settings and the
 * account line. */
export function Pop3FolderPane({
  mailbox,
  store,
  account,
  pullPanel,
}: {
  mailbox: Pop3Mailbox;
  store: Pop3Store;
  account: Account;
  /** Check mail and the pull's progress, here on a wide screen (null on a phone: over the list). */
  pullPanel: ReactNode;
}) {
  const { t } = useTranslation();
  const { status } = useConnection();
  const compose = useCompose();
  const { folder, folders, actions } = mailbox;
  return (
    <>
      <div className="border-b border-slate-200 p-3 dark:border-slate-800">
        <ComposeButton onCompose={() => compose.open({ mode: "new" })} />
      </div>
      <SearchBox
        search={mailbox.search}
        folders={[...localBuiltIns.map((id) => folderName(id, folders, t)), ...folders.map((f) => f.name)]}
      />
      {pullPanel}
      {status !== "live" && (
        <p className="border-b border-slate-200 px-3 py-2 text-xs text-slate-500 dark:border-slate-800">
          {t("pop3.offlineNote")}
        </p>
      )}
      <Pop3Folders
        store={store}
        folders={folders}
        unread={mailbox.unread ?? {}}
        current={folder}
        onOpen={mailbox.openFolder}
        onDrop={(to, uids) => {
          void actions.move(uids, to);
          mailbox.clear();
          // The open message dragged away leaves the reading pane, as in IMAP (it stayed open).
          if (mailbox.openUid === null || !uids.includes(mailbox.openUid)) return;
          if (uids.length === 1) mailbox.leave();
          else mailbox.closeOpen();
        }}
      />
      <div className="flex flex-col gap-1 border-t border-slate-200 px-3 py-2 text-xs dark:border-slate-800">
        <button
          type="button"
          className={`${buttonClass.ghost} text-left`}
          aria-pressed={mailbox.showSettings}
          onClick={() => {
            if (!mailbox.showSettings) mailbox.setShowSettings(true);
            else if (!mailbox.closeSettings()) return;
            mailbox.setPane("message");
          }}
        >
          {t("pop3.settings")}
        </button>
        <div className="flex items-center justify-between gap-2">
          <AccountLine email={account.email} onSignOut={() => mailbox.setSigningOut(true)} />
        </div>
      </div>
    </>
  );
}
