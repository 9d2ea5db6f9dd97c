"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { Conversation } from "@pismo/protocol/schemas";
import { formatListDate } from "@pismo/protocol/format";
import { localeOf } from "@/i18n";
import { onGridKeyDown, PlaceholderRow, ROW_HEIGHT } from "../shared/message-grid";
import { ConversationRow, participantNames } from "./conversation-row";
import { useConversationTotal, useConversationWindow } from "./use-conversation-window";

/** An IMAP folder as conversations: virtualised, a window of 50 from the gateway at a time. */
export function ImapConversationList({
  folder,
  openKey,
  onOpen,
  onDelete,
}: {
  folder: string;
  openKey: string | null;
  onOpen: (c: Conversation) => void;
  onDelete: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const scrollRef = useRef<HTMLDivElement>(null);
  const total = useConversationTotal(folder);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtual.getVirtualItems();
  const start = items[0]?.index ?? 0;
  const end = items[items.length - 1]?.index ?? 30;
  const { rows, isLoading, isStale } = useConversationWindow(folder, start, Math.max(end, 30));

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [folder]);

  // j / k (and the arrows) go from conversation to conversation.
  const move = (delta: number) => {
    const loaded = [...rows.entries()].sort((a, b) => a[0] - b[0]);
    const i = openKey === null ? -1 : loaded.findIndex(([, c]) => c.key === openKey);
    const target = loaded[Math.min(loaded.length - 1, Math.max(0, i + delta))];
    if (!target) return;
    onOpen(target[1]);
    virtual.scrollToIndex(target[0], { align: "auto" });
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div
        ref={scrollRef}
        role="grid"
        aria-label={t("mail.messages")}
        aria-rowcount={total}
        aria-busy={isLoading || isStale}
        tabIndex={0}
        onKeyDown={(e) => onGridKeyDown(e, { move, onDelete, openId: openKey, onToggle: () => undefined })}
        className="relative min-h-0 flex-1 overflow-y-auto outline-none"
      >
        {!isLoading && total === 0 && (
          <p className="p-6 text-center text-sm text-slate-500">{t("mail.empty")}</p>
        )}
        <div style={{ height: virtual.getTotalSize() }} className="relative w-full" role="presentation">
          {items.map((item) => {
            const c = rows.get(item.index);
            if (!c) return <PlaceholderRow key={`ph-${item.index}`} top={item.start} />;
            return (
              <ConversationRow
                key={c.key}
                c={{
                  key: c.key,
                  who: participantNames(t, c.participants),
                  subject: c.subject || t("mail.noSubject"),
                  count: c.count,
                  date: formatListDate(c.date, locale),
                  unread: c.unread,
                  flagged: c.flagged,
                  hasAttachment: c.hasAttachment,
                }}
                index={item.index}
                active={c.key === openKey}
                onOpen={() => onOpen(c)}
                onDragStart={(e) => {
                  e.dataTransfer.setData(
                    "application/x-pismo-messages",
                    JSON.stringify({ folder, uids: c.folderUids }),
                  );
                  e.dataTransfer.effectAllowed = "copyMove";
                }}
                className="absolute inset-x-0"
                style={{ top: item.start, height: ROW_HEIGHT }}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
