"use client";

import { useTranslation } from "@/i18n/react";
import type { Account, Folder } from "@pismo/protocol/schemas";
import type { Rule } from "@pismo/protocol/rules";
import { ContactsSection } from "../contacts/contacts-section";
import { ImapFilters } from "../filters/imap-filters";
import { IdentitySettingsSections } from "../identities/identity-settings";

/** The IMAP mailbox's settings (identities, contacts, filters): loaded when Settings opens. */
export function ImapSettingsSections({
  account,
  folders,
  draft,
  onDraftDone,
}: {
  account: Account;
  folders: Folder[];
  draft: Rule | null;
  onDraftDone: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <IdentitySettingsSections account={account} storedWhere="server" />
      <ContactsSection storedHint={t("contacts.storedHere")} />
      <ImapFilters folders={folders} draft={draft} onDraftDone={onDraftDone} />
    </>
  );
}
