"use client";

import { useTranslation } from "@/i18n/react";
import type { Account } from "@pismo/protocol/schemas";
import { Pop3ConversationView } from "../conversations/pop3-conversation-view";
import { IdentitySettingsSections } from "../identities/identity-settings";
import { UnsavedSettings } from "../filters/settings-dialog";
import { Pop3MessageView } from "./pop3-message-view";
import { Pop3SettingsPane } from "./pop3-settings";
import type { Pop3Store } from "./pop3-store";
import type { Pop3Mailbox } from "./use-pop3-mailbox";

/** The POP3 reading pane: Settings, the open conversation or message, or a hint. */
export function Pop3MessagePane({
  mailbox,
  store,
  account,
}: {
  mailbox: Pop3Mailbox;
  store: Pop3Store;
  account: Account;
}) {
  const { t } = useTranslation();
  const { settings, folder, folders, conversations, openUid } = mailbox;
  const openConversation = conversations.open;
  const closeMessage = () => {
    mailbox.setOpenUid(null);
    mailbox.setPane("list");
  };
  if (mailbox.showSettings && settings)
    return (
      <UnsavedSettings value={mailbox.settingsEdits}>
        <Pop3SettingsPane
          store={store}
          settings={settings}
          draft={mailbox.ruleDraft}
          onDraftDone={(saved) => {
            mailbox.setRuleDraft(null);
            // Cancelled: back to the message it was started from, not to Settings.
            if (!saved) mailbox.setShowSettings(false);
          }}
          identities={<IdentitySettingsSections account={account} storedWhere="browser" />}
          onClose={() => {
            if (mailbox.closeSettings()) mailbox.setPane("list");
          }}
        />
      </UnsavedSettings>
    );
  if (conversations.shown && openConversation)
    return (
      <Pop3ConversationView
        key={openConversation.key}
        store={store}
        folder={folder}
        conversation={openConversation}
        folders={folders}
        me={account.email}
        onClose={() => {
          conversations.setOpenKey(null);
          mailbox.setPane("list");
        }}
        onRemoved={mailbox.leave}
      />
    );
  if (openUid)
    return (
      <Pop3MessageView
        key={openUid}
        store={store}
        uid={openUid}
        folders={folders}
        onClose={closeMessage}
        onRemoved={mailbox.leave}
      />
    );
  return (
    <div className="m-auto max-w-sm space-y-2 p-6 text-center text-sm text-slate-500">
      <p>{t("mail.noSelection")}</p>
      <p className="text-xs">{t("pop3.localHint")}</p>
    </div>
  );
}
