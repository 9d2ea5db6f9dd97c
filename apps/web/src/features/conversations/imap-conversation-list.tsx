"use client";

import { useRef, useState, type PointerEvent, type RefObject } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { useTranslation } from "@/i18n/react";
import type { Conversation } from "@pismo/protocol/schemas";
import { localeOf } from "@/i18n";
import { dragImapMessages, onGridKeyDown } from "../shared/message-grid";
import { isCursorRow, moveFrom, stepFromCursor, useListCursor } from "../shared/use-list-cursor";
import { useAdvanceHandle, type AdvanceFrom } from "../actions/after-acting";
import { useLatest } from "../shared/use-latest";
import { useOpenWhenReady } from "../shared/open-when-ready";
import { VirtualGrid, useVirtualRows } from "../shared/virtual-grid";
import { usePreloadReading } from "../imap/lazy-parts";
import { ConversationRowAt, type ConversationRowActions } from "./conversation-row-at";
import { startOpen } from "./start-open";
import { useConversationTotal, useConversationWindow } from "./use-conversation-window";

/** Bodies asked for on a conversation's press, at most (its last unread ones and its last). */
const PRESS_FETCHES = 4;

/** An IMAP folder as conversations: virtualised, a window of 50 from the gateway at a time. */
export function ImapConversationList({
  folder,
  openKey,
  onOpen,
  onDelete,
  advanceRef,
}: {
  folder: string;
  openKey: string | null;
  onOpen: (c: Conversation) => void;
  onDelete: () => void;
  /** Where the list hands the app its way on to the next conversation (after the open one is deleted). */
  advanceRef?: RefObject<AdvanceFrom | null>;
}) {
  const { i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const trpc = useTRPC();
  const qc = useQueryClient();
  const total = useConversationTotal(folder);
  const grid = useVirtualRows(total, folder);
  const { virtual } = grid;
  const items = virtual.getVirtualItems();
  const start = items[0]?.index ?? 0;
  const end = items[items.length - 1]?.index ?? 30;
  const { rows, isLoading, isStale } = useConversationWindow(folder, start, Math.max(end, 30));
  // A conversation shows its messages through the reading view: its code, like the plain
  // list's, is fetched once rows are on screen, not on the first click.
  usePreloadReading(rows.size > 0);

  // The bodies an opened conversation shows (its unread messages and its last) are asked for
  // when its row is pressed, or as a key opens it, so that they travel before the thread
  // renders (its messages' views then find them under the same keys) instead of after. A click
  // renders the thread once its press's answers are in (useOpenWhenReady), as the message list
  // does: the row's mark and the thread's content in one frame. A key opens at once.
  const fetchOpening = (c: Conversation): Promise<unknown> =>
    // The last few: a long unread thread fetches the rest as it renders them.
    Promise.all(
      startOpen(c.messages)
        .slice(-PRESS_FETCHES)
        .map((m) =>
          qc.prefetchQuery({
            ...trpc.imap.open.queryOptions({ folder: m.folder, uid: m.uid, peek: true }),
            staleTime: 10 * 60_000,
          }),
        ),
    );
  const open = (c: Conversation) => {
    void fetchOpening(c);
    onOpen(c);
  };
  const loadedWith = (key: string) => {
    for (const c of rows.values()) if (c.key === key) return c;
    return undefined;
  };
  // The conversation pressed (its bodies asked for) and not clicked yet.
  const pressed = useRef<{ key: string; bodies: Promise<unknown> } | null>(null);
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const key = (e.target as Element)
      .closest("[data-conversation-key]")
      ?.getAttribute("data-conversation-key");
    const c = key && key !== openKey ? loadedWith(key) : undefined;
    if (c) pressed.current = { key: c.key, bodies: fetchOpening(c) };
  };
  const openWhenReady = useOpenWhenReady();
  // The rows' handlers read the list's current state through this ref, so the object handed
  // to the memoized rows never changes.
  const latest = useLatest({ open, onOpen, loadedWith, folder });
  const [actions] = useState<ConversationRowActions>(() => ({
    open: (key) => {
      const bodies = pressed.current?.key === key ? pressed.current.bodies : null;
      pressed.current = null;
      const at = latest.current.folder;
      const c = latest.current.loadedWith(key);
      if (!c) return;
      // Not pressed (o or Enter clicks the cursor's row): its bodies are asked for now and it
      // opens at once, as a key opens.
      if (!bodies) return openWhenReady(null, () => latest.current.open(c));
      openWhenReady(bodies, () => {
        const now = latest.current;
        if (now.folder === at) now.onOpen(now.loadedWith(key) ?? c);
      });
    },
    dragStart: (e, key) => {
      const c = latest.current.loadedWith(key);
      if (c) dragImapMessages(e, latest.current.folder, c.folderUids);
    },
  }));

  // j / k (and the arrows) go from conversation to conversation.
  const placeOf = (key: string | null) => {
    if (key !== null) for (const [at, c] of rows) if (c.key === key) return at;
    return -1;
  };
  const cursor = useListCursor(openKey, placeOf(openKey));
  const cursorFound = placeOf(cursor.id);
  const move = (delta: number) => {
    const loaded = [...rows.entries()].sort((a, b) => a[0] - b[0]);
    const from = moveFrom(cursor, cursorFound, delta, rows.has(cursor.index));
    // From a place in the list to its place among the loaded rows.
    const i = from < 0 ? -1 : loaded.filter(([at]) => at <= from).length - 1;
    const target = loaded[Math.min(loaded.length - 1, Math.max(0, i + delta))];
    if (!target) return;
    open(target[1]);
    virtual.scrollToIndex(target[0]);
  };
  // The open conversation deleted or moved: the one beside it opens in its place.
  useAdvanceHandle(advanceRef, (delta) => {
    if (openKey === null) return false;
    const step = stepFromCursor(cursor, placeOf(openKey), delta, total);
    const c = step && rows.get(step.target);
    if (!step || !c) return false;
    open(c);
    virtual.scrollToIndex(step.place);
    return true;
  });

  return (
    <div className="flex min-h-0 flex-1 flex-col" onPointerDown={onPointerDown}>
      <VirtualGrid
        rows={grid}
        rowCount={total}
        busy={isLoading || isStale}
        empty={!isLoading && total === 0}
        onKeyDown={(e) => onGridKeyDown(e, { move, onDelete, openId: openKey, onToggle: () => undefined })}
        renderRow={(index, place) => {
          const c = rows.get(index);
          if (!c) return null;
          return (
            <ConversationRowAt
              key={c.key}
              c={c}
              date={c.date}
              index={index}
              top={place.top}
              active={c.key === openKey}
              cursor={isCursorRow(cursor, openKey, cursorFound, { id: c.key, index }, total)}
              locale={locale}
              actions={actions}
            />
          );
        }}
      />
    </div>
  );
}
