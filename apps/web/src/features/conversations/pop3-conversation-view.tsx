"use client";

import { useTranslation } from "@/i18n/react";
import type { LocalFolder } from "@pismo/protocol/filters";
import { useToast } from "@/components/ui/toast";
import { folderName, moveTargets } from "../pop3/pop3-folders";
import { Pop3MessageView } from "../pop3/pop3-message-view";
import { SENT, TRASH, type Pop3Store } from "../pop3/pop3-store";
import { ConversationThread } from "./conversation-thread";
import type { Pop3Conversation } from "./pop3-conversations";

/**
 * An open POP3 conversation: each open message is the ordinary local reading view (read from
 * IndexedDB, parsed only when opened); the toolbar acts on the conversation's messages in the
 * viewed folder.
 */
export function Pop3ConversationView({
  store,
  folder,
  conversation: c,
  folders,
  me,
  onClose,
  onRemoved,
}: {
  store: Pop3Store;
  folder: string;
  conversation: Pop3Conversation;
  folders: readonly LocalFolder[];
  me: string;
  onClose: () => void;
  /** The conversation was deleted or moved from here. */
  onRemoved: () => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  return (
    <ConversationThread
      key={c.key}
      subject={c.subject}
      items={c.rows.map((m, i) => ({
        id: m.uid,
        sender: m.folderId === SENT ? me : m.from || m.fromAddress || t("mail.unknownSender"),
        date: m.date,
        seen: m.seen,
        subject: m.subject,
        depth: c.depths[i] ?? 0,
      }))}
      renderMessage={(item, collapse) => (
        <Pop3MessageView
          store={store}
          uid={item.id}
          folders={folders}
          onClose={collapse}
          onRemoved={collapse}
        />
      )}
      onBack={onClose}
      onMarkRead={() =>
        void store.setSeen(
          c.rows.filter((m) => !m.seen).map((m) => m.uid),
          true,
        )
      }
      {...(folder === TRASH ? { deleteLabel: t("mail.deleteForever") } : {})}
      onDelete={() => {
        void store.remove(c.folderMessageIds);
        toast(t("mail.deleted", { count: c.folderMessageIds.length }));
        onRemoved();
      }}
      moveTargets={moveTargets(folder, folders, t)}
      onMove={(to) => {
        void store.move(c.folderMessageIds, to.id);
        toast(t("mail.moved", { count: c.folderMessageIds.length, folder: folderName(to.id, folders, t) }));
        onRemoved();
      }}
    />
  );
}
