"use client";

import { useTranslation } from "@/i18n/react";
import type { Conversation, Folder } from "@pismo/protocol/schemas";
import { imapMoveTargets } from "../imap/folder-label";
import { ImapMessageView } from "../imap/imap-message-view";
import { useImapActions } from "../imap/use-imap-actions";
import { senderName } from "../shared/display-message";
import { ConversationThread } from "./conversation-thread";
import { useCachedConversation } from "./use-conversation-window";

/**
 * An open IMAP conversation. Each open message is the ordinary reading view of its own folder
 * (the user's reply in Sent included), so it has its own actions and fetches only its own body;
 * the toolbar marks, moves or deletes every message of the conversation in the viewed folder.
 */
export function ImapConversationView({
  folder,
  conversation,
  folders,
  onClose,
  onRemoved,
}: {
  folder: string;
  conversation: Conversation;
  folders: Folder[];
  onClose: () => void;
  /** The conversation was deleted or moved from here. */
  onRemoved: () => void;
}) {
  const { t } = useTranslation();
  const actions = useImapActions();
  const c = useCachedConversation(folder, conversation);
  const targets = imapMoveTargets(folders, t, folder);
  const byFolder = (pick: (m: Conversation["messages"][number]) => boolean) => {
    const groups = new Map<string, number[]>();
    for (const m of c.messages) if (pick(m)) groups.set(m.folder, [...(groups.get(m.folder) ?? []), m.uid]);
    return groups;
  };

  return (
    <ConversationThread
      key={c.key}
      subject={c.subject}
      items={c.messages.map((m) => ({
        id: `${m.folder}\n${m.uid}`,
        sender: senderName(m.from) || t("mail.unknownSender"),
        date: m.date,
        seen: m.seen,
        subject: m.subject,
        depth: m.depth,
      }))}
      renderMessage={(item, collapse) => {
        const m = c.messages.find((x) => `${x.folder}\n${x.uid}` === item.id);
        if (!m) return null;
        return (
          <ImapMessageView
            folder={m.folder}
            uid={m.uid}
            neighbours={{ prev: null, next: null }}
            folders={folders}
            onClose={collapse}
          />
        );
      }}
      onBack={onClose}
      onMarkRead={() => {
        const groups = byFolder((m) => !m.seen);
        // A very long conversation shows its newest messages; the others are read too.
        const shown = new Set(c.messages.filter((m) => m.folder === folder).map((m) => m.uid));
        const unshown = c.folderUids.filter((uid) => !shown.has(uid));
        if (unshown.length > 0) groups.set(folder, [...(groups.get(folder) ?? []), ...unshown]);
        for (const [f, uids] of groups) actions.setSeen(f, uids, true);
      }}
      onDelete={() => {
        if (c.folderUids.length) actions.remove(folder, c.folderUids);
        onRemoved();
      }}
      moveTargets={targets}
      onMove={(to) => {
        if (c.folderUids.length) actions.move(folder, c.folderUids, to.id, to.name);
        onRemoved();
      }}
    />
  );
}
