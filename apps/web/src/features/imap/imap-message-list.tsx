"use client";

import { useQueryClient } from "@tanstack/react-query";
import { memo, useEffect, useRef, useState, type DragEvent, type PointerEvent, type RefObject } from "react";
import { useTranslation } from "@/i18n/react";
import type { ListSort, MessageDetail, MessageSummary } from "@pismo/protocol/schemas";
import { MAX_SELECTION, uidsInRanges } from "@pismo/protocol/selection";
import type { SenderVerdict } from "@pismo/protocol/trust";
import { formatBytes, formatListDate } from "@pismo/protocol/format";
import {
  MessageGridRow,
  ROW_HEIGHT,
  SelectAllBar,
  dragImapMessages,
  onGridKeyDown,
  pressedRowId,
} from "../shared/message-grid";
import { VirtualGrid, useVirtualRows } from "../shared/virtual-grid";
import { localeOf } from "@/i18n";
import { useTRPC } from "@/trpc/client";
import { useToast } from "@/components/ui/toast";
import { describeError } from "@/lib/errors";
import { senderName } from "../shared/display-message";
import { senderMark } from "../shared/sender-mark";
import { useLatest } from "../shared/use-latest";
import { isCursorRow, moveFrom, stepFromCursor, useListCursor } from "../shared/use-list-cursor";
import { useAdvanceHandle, type AdvanceFrom } from "../actions/after-acting";
import { useOpenWhenReady } from "../shared/open-when-ready";
import {
  headSize,
  PAGE_SIZE,
  pageOfRow,
  pageRange,
  useFolderTotal,
  useMessageWindow,
} from "./use-message-window";
import { usePreloadReading } from "./lazy-parts";

export interface ImapMessageListProps {
  folder: string;
  sort: ListSort;
  openUid: number | null;
  checked: ReadonlySet<number>;
  onOpen: (uid: number, neighbours: { prev: number | null; next: number | null }) => void;
  onToggle: (uid: number) => void;
  onToggleAll: (uids: number[], on: boolean) => void;
  /** Adds these messages to the selection (a Shift-click's range). */
  onSelectRange: (uids: number[]) => void;
  onDelete: () => void;
  /** The folder's name as the user knows it ("Select all N in …"). */
  folderName: string;
  /** "Select all N in …" is asking the server for the folder's UIDs (the actions wait for it). */
  selectingFolder: boolean;
  onSelectingFolder: (busy: boolean) => void;
  /** The rows currently loaded, in order: the view uses them for next/previous. */
  onRows?: (uids: number[]) => void;
  /** Where the list hands the app its way on to the next message (after the open one is deleted). */
  advanceRef?: RefObject<AdvanceFrom | null>;
}

function senderOf(m: MessageSummary, t: (k: string) => string): string {
  return senderName(m.from) || t("mail.unknownSender");
}

/** What a row does, through one object that lives as long as the list: rows stay memoized. */
interface RowActions {
  open(uid: number): void;
  toggle(uid: number): void;
  dragStart(e: DragEvent, uid: number): void;
}

/**
 * One row, re-rendered only when what it shows changes (its message, place, open, checked or
 * sender mark): opening a message re-renders two rows, not the window.
 */
const ImapRow = memo(function ImapRow({
  m,
  index,
  top,
  active,
  cursor,
  checked,
  mark,
  locale,
  actions,
}: {
  m: MessageSummary;
  index: number;
  top: number;
  active: boolean;
  cursor: boolean;
  checked: boolean;
  mark: "verified" | "failed" | null;
  locale: string;
  actions: RowActions;
}) {
  const { t } = useTranslation();
  return (
    <MessageGridRow
      id={m.uid}
      m={m}
      index={index}
      active={active}
      cursor={cursor}
      checked={checked}
      who={senderOf(m, t)}
      senderMark={mark}
      subject={m.subject || t("mail.noSubject")}
      date={formatListDate(m.date, locale)}
      size={formatBytes(m.size, locale)}
      onOpen={() => actions.open(m.uid)}
      onToggle={() => actions.toggle(m.uid)}
      onDragStart={(e) => actions.dragStart(e, m.uid)}
      className="absolute inset-x-0"
      style={{ top, height: ROW_HEIGHT }}
    />
  );
});

export function ImapMessageList({
  folder,
  sort,
  openUid,
  checked,
  onOpen,
  onToggle,
  onToggleAll,
  onSelectRange,
  onDelete,
  folderName,
  selectingFolder,
  onSelectingFolder,
  onRows,
  advanceRef,
}: ImapMessageListProps) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const locale = localeOf(i18n.language);
  const trpc = useTRPC();
  const qc = useQueryClient();
  // The list marks a sender only where the verdict is already known (the message was opened
  // or fetched ahead): judging every row would need each row's Authentication-Results. Only
  // an answer that brings a mark renders the list again: every message opened (and its two
  // neighbours fetched ahead) would otherwise render it while the message is being shown.
  const [, setVerdictsSeen] = useState(0);
  useEffect(
    () =>
      qc.getQueryCache().subscribe((event) => {
        const path = event.query.queryKey[0];
        if (
          event.type !== "updated" ||
          event.action.type !== "success" ||
          !Array.isArray(path) ||
          path[0] !== "imap"
        )
          return;
        const data: unknown = event.query.state.data;
        const verdict =
          path[1] === "open"
            ? (data as MessageDetail | undefined)?.sender?.verdict
            : path[1] === "verifySender"
              ? (data as SenderVerdict | null | undefined)
              : null;
        if (senderMark(verdict) !== null) setVerdictsSeen((n) => n + 1);
      }),
    [qc],
  );
  const knownVerdict = (uid: number) =>
    qc.getQueryData(trpc.imap.open.queryKey({ folder, uid, peek: true }))?.sender?.verdict ??
    qc.getQueryData(trpc.imap.verifySender.queryKey({ folder, uid })) ??
    null;
  const total = useFolderTotal(folder, sort);
  const grid = useVirtualRows(total, `${folder}\u0000${sort}`);
  const { virtual } = grid;
  // The rows on screen, without the overscan: what the windows are fetched for (the first
  // window, asked for in any case, is sized to the screen and its overscan).
  const start = virtual.range?.startIndex ?? 0;
  const end = virtual.range?.endIndex ?? 0;
  const { rows, isLoading, isStale } = useMessageWindow(folder, sort, start, end);
  usePreloadReading(rows.size > 0);

  const ordered: number[] = [];
  for (let i = 0; i < total; i++) {
    const row = rows.get(i);
    if (row) ordered.push(row.uid);
    else if (i > end + 60) break;
  }
  useEffect(() => {
    onRows?.(ordered);
  });

  const neighbours = (uid: number) => {
    const i = ordered.indexOf(uid);
    return { prev: i > 0 ? (ordered[i - 1] ?? null) : null, next: i >= 0 ? (ordered[i + 1] ?? null) : null };
  };

  // The keys reach across windows, as in a POP3 folder: the target row is found by its place
  // in the folder, and a window not yet fetched is asked for (End opens the oldest message of
  // a 100,000-message folder by fetching its window alone). They start from the open message,
  // else from the one last open.
  const placeOf = (uid: number | null) => {
    if (uid !== null) for (const [at, m] of rows) if (m.uid === uid) return at;
    return -1;
  };
  const cursor = useListCursor(openUid, placeOf(openUid));
  const cursorFound = placeOf(cursor.id);
  const move = async (delta: number) => {
    if (total === 0) return;
    const i = moveFrom(cursor, cursorFound, delta, rows.has(cursor.index));
    const target = Math.min(total - 1, Math.max(0, i + delta));
    let around = (at: number) => rows.get(at);
    if (!rows.has(target)) {
      const w = await qc.fetchQuery({
        ...trpc.imap.list.queryOptions({
          folder,
          ...pageRange(pageOfRow(target, PAGE_SIZE, headSize()), PAGE_SIZE, headSize()),
          sort,
        }),
        staleTime: 5 * 60_000,
      });
      if (w.folder !== folder) return;
      around = (at: number) => rows.get(at) ?? w.messages[at - w.offset];
    }
    const m = around(target);
    if (!m) return;
    onOpen(m.uid, { prev: around(target - 1)?.uid ?? null, next: around(target + 1)?.uid ?? null });
    virtual.scrollToIndex(target);
  };
  // The open message deleted or moved from the reading pane: the one beside it opens in its
  // place (Settings, "After deleting or moving"), from the rows held, the open one still among them.
  useAdvanceHandle(advanceRef, (delta) => {
    if (openUid === null) return false;
    const step = stepFromCursor(cursor, placeOf(openUid), delta, total);
    const m = step && rows.get(step.target);
    if (!step || !m) return false;
    onOpen(m.uid, { prev: rows.get(step.prev)?.uid ?? null, next: rows.get(step.next)?.uid ?? null });
    virtual.scrollToIndex(step.place);
    return true;
  });

  // The rows' handlers read the list's current state through this ref, so the object handed
  // to the memoized rows never changes.
  const latest = useLatest({ onOpen, onToggle, neighbours, checked, folder });
  // The message pressed (its text asked for) and not clicked yet.
  const pressed = useRef<{ uid: number; text: Promise<unknown> } | null>(null);
  const openWhenReady = useOpenWhenReady();
  const [actions] = useState<RowActions>(() => ({
    open: (uid) => {
      const text = pressed.current?.uid === uid ? pressed.current.text : null;
      pressed.current = null;
      const at = latest.current.folder;
      openWhenReady(text, () => {
        if (latest.current.folder === at) latest.current.onOpen(uid, latest.current.neighbours(uid));
      });
    },
    toggle: (uid) => latest.current.onToggle(uid),
    dragStart: (e, uid) => {
      const { checked: now, folder: from } = latest.current;
      dragImapMessages(e, from, now.has(uid) ? [...now] : [uid]);
    },
  }));

  // A message's text is asked for as soon as its row is pressed, not on the click that
  // follows; the click then renders the reading pane once the answer is in (useOpenWhenReady),
  // and the view's query (the same key) finds it. BODY.PEEK: a press that becomes a drag, or a
  // draft (opened in the composer), marks nothing read.
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const uid = Number(pressedRowId(e));
    if (!Number.isInteger(uid) || uid <= 0 || uid === openUid) return;
    const text = qc.prefetchQuery({
      ...trpc.imap.open.queryOptions({ folder, uid, peek: true }),
      staleTime: 10 * 60_000,
    });
    pressed.current = { uid, text };
  };

  const loadedUids = [...rows.values()].map((m) => m.uid);
  const allChecked = loadedUids.length > 0 && loadedUids.every((u) => checked.has(u));

  // "Select all N in …": the folder's every UID, asked for only now (one SEARCH), as ranges.
  const selectFolder = () => {
    onSelectingFolder(true);
    void qc
      .fetchQuery({ ...trpc.imap.uids.queryOptions({ folder }), staleTime: 0 })
      .then(
        (ranges) => {
          if (latest.current.folder === folder) onToggleAll(uidsInRanges(ranges), true);
        },
        (error: unknown) => toast(describeError(error, t), "error"),
      )
      .finally(() => onSelectingFolder(false));
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col" onPointerDown={onPointerDown}>
      <SelectAllBar
        allChecked={allChecked}
        selected={checked.size}
        onToggleAll={(on) => onToggleAll(loadedUids, on)}
        wholeFolder={
          total > loadedUids.length && total <= MAX_SELECTION
            ? { total, name: folderName, busy: selectingFolder, onSelect: selectFolder }
            : null
        }
      />
      <VirtualGrid
        rows={grid}
        rowCount={total}
        busy={isLoading || isStale}
        empty={!isLoading && total === 0}
        onKeyDown={(e) =>
          onGridKeyDown(e, { move: (d) => void move(d), onDelete, openId: openUid, onToggle })
        }
        onSelectRange={(ids) => onSelectRange(ids.map(Number))}
        renderRow={(index, place) => {
          const m = rows.get(index);
          if (!m) return null;
          return (
            <ImapRow
              key={m.uid}
              m={m}
              index={index}
              top={place.top}
              active={m.uid === openUid}
              cursor={isCursorRow(cursor, openUid, cursorFound, { id: m.uid, index }, total)}
              checked={checked.has(m.uid)}
              mark={senderMark(knownVerdict(m.uid))}
              locale={locale}
              actions={actions}
            />
          );
        }}
      />
    </div>
  );
}
