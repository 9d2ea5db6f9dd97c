"use client";

import type { ReactNode } from "react";
import type { Account } from "@pismo/protocol/schemas";
import { UndoRoot } from "../actions/undo";
import { ComposeRoot } from "../compose/compose-context";
import type { DraftStore } from "../compose/draft-store";
import { LazyComposePanel } from "../compose/lazy-compose-panel";
import { ContactsRoot } from "../contacts/contacts-context";
import type { ContactsStore } from "../contacts/contacts-store";
import { DraftOffer } from "../message-tools/draft-offer";
import { ShortcutsRoot } from "../shortcuts/shortcuts";

/** What a mailbox of either protocol stands in: the address book, Undo, the keyboard
 * shortcuts and compose (with its panel and the offer to finish a draft left open).
 * `drafts` says where drafts and sent copies are kept; by default on the IMAP server. */
export function MailRoots({
  account,
  contacts,
  drafts,
  children,
}: {
  account: Account;
  contacts: ContactsStore;
  drafts?: DraftStore;
  children: ReactNode;
}) {
  const draftProps = drafts ? { drafts } : {};
  return (
    <ContactsRoot store={contacts} self={account.email}>
      <UndoRoot>
        <ShortcutsRoot>
          <ComposeRoot account={account.email} {...draftProps}>
            {children}
            <LazyComposePanel account={account} {...draftProps} />
            <DraftOffer account={account.email} />
          </ComposeRoot>
        </ShortcutsRoot>
      </UndoRoot>
    </ContactsRoot>
  );
}
