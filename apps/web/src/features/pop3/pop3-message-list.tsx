"use client";

import {
  memo,
  useEffect,
  useLayoutEffect,
  useMemo,
  useState,
  type PointerEvent,
  type RefObject,
} from "react";
import { useTranslation } from "@/i18n/react";
import { formatListDate } from "@pismo/protocol/format";
import {
  MessageGridRow,
  ROW_HEIGHT,
  SelectAllBar,
  onGridKeyDown,
  pressedRowId,
  sameFields,
  sameRowProps,
} from "../shared/message-grid";
import { VirtualGrid, useVirtualRows } from "../shared/virtual-grid";
import { localeOf } from "@/i18n";
import { afterPaint } from "@/lib/after-shown";
import type { Pop3Store, StoredMessage } from "./pop3-store";
import { senderMark } from "../shared/sender-mark";
import { readAhead } from "./read-ahead";
import { useLive } from "./use-live";
import { useLatest } from "../shared/use-latest";
import { LeftRows, isCursorRow, moveFrom, stepAfterLeaving, useListCursor } from "../shared/use-list-cursor";
import { useAdvanceHandle, type AdvanceFrom } from "../actions/after-acting";

interface RowActions {
  open(uid: string): void;
  toggle(uid: string): void;
  /** The UIDs a drag from this row carries: the checked ones when it is checked. */
  dragged(uid: string): string[];
}

/** What a row shows of its message: equal rows are not rendered again. */
const shownFields = [
  "uid",
  "from",
  "fromAddress",
  "subject",
  "date",
  "seen",
  "flagged",
  "hasAttachment",
] as const satisfies ReadonlyArray<keyof StoredMessage>;

function sameShown(a: StoredMessage, b: StoredMessage): boolean {
  return senderMark(a.senderVerdict) === senderMark(b.senderVerdict) && sameFields(a, b, shownFields);
}

/**
 * One row, rendered again only when what it shows changes, its place, or its state. A window
 * read again (a pull's batch) brings new objects: messages are compared by what the row shows.
 */
const Pop3Row = memo(
  function Pop3Row({
    m,
    index,
    top,
    active,
    cursor,
    checked,
    locale,
    actions,
  }: {
    m: StoredMessage;
    index: number;
    top: number;
    active: boolean;
    cursor: boolean;
    checked: boolean;
    locale: ReturnType<typeof localeOf>;
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
        who={m.from || m.fromAddress || t("mail.unknownSender")}
        senderMark={senderMark(m.senderVerdict)}
        subject={m.subject || t("mail.noSubject")}
        date={formatListDate(m.date, locale)}
        onOpen={() => actions.open(m.uid)}
        onToggle={() => actions.toggle(m.uid)}
        onDragStart={(e) => {
          e.dataTransfer.setData("application/x-pismo-pop3", JSON.stringify(actions.dragged(m.uid)));
          e.dataTransfer.effectAllowed = "move";
        }}
        className="absolute inset-x-0"
        style={{ top, height: ROW_HEIGHT }}
      />
    );
  },
  (a, b) => sameRowProps(a, b, { m: sameShown }),
);

/**
 * What the list shows: a local folder, read from IndexedDB a window at a time (its size
 * counted apart), or a search's results, found in one go.
 */
export type Pop3ListRows =
  | {
      kind: "folder";
      store: Pop3Store;
      folder: string;
      /** The folder's size; undefined while it is being counted. */
      total: number | undefined;
      /** See liveBurstMs: the window renders at most once a second while a pull writes. */
      burstMs: number;
    }
  | {
      kind: "results";
      messages: readonly StoredMessage[] | undefined;
      /** Names the search: another one starts at the top. */
      view: string;
    };

/** Windows are read in pages of this many rows, so a scroll re-reads only every few rows. */
const PAGE = 25;

interface Window {
  folder: string;
  offset: number;
  rows: readonly StoredMessage[];
}

/**
 * The rows of a folder from `first` to `last` (rounded out to whole pages), kept current: a
 * write in the folder (a pull's batch) reads the window again, never the whole folder. While
 * the next window is read after a scroll, the last one keeps its rows on screen.
 */
function useFolderWindow(
  source: Extract<Pop3ListRows, { kind: "folder" }> | null,
  first: number,
  last: number,
): Window | null {
  const offset = Math.floor(first / PAGE) * PAGE;
  const limit = (Math.floor(last / PAGE) + 1) * PAGE - offset;
  const store = source?.store ?? null;
  const folder = source?.folder ?? null;
  const rows = useLive(
    () => (store && folder !== null ? store.window(folder, offset, limit) : Promise.resolve(null)),
    [store, folder, offset, limit],
    source?.burstMs,
  );
  const [held, setHeld] = useState<Window | null>(null);
  const current = rows && folder !== null ? { folder, offset, rows } : null;
  // Derived state, set while rendering (React's pattern for it): the guard ends the loop.
  if (current && held?.rows !== current.rows) setHeld(current);
  return current ?? (held && held.folder === folder ? held : null);
}

/** The messages of one local folder or of a search: only the rows near the view are in the page. */
export function Pop3MessageList({
  rows: source,
  openUid,
  checked,
  onOpen,
  onToggle,
  onToggleAll,
  onSelectRange,
  onDelete,
  emptyText,
  advanceRef,
}: {
  rows: Pop3ListRows;
  openUid: string | null;
  checked: ReadonlySet<string>;
  onOpen: (uid: string) => void;
  onToggle: (uid: string) => void;
  onToggleAll: (on: boolean) => void;
  /** Adds these messages to the selection (a Shift-click's range). */
  onSelectRange: (uids: string[]) => void;
  onDelete: () => void;
  emptyText: string;
  /** Where the list hands the app its way on to the next message (after the open one is deleted). */
  advanceRef?: RefObject<AdvanceFrom | null>;
}) {
  const { i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const folderSource = source.kind === "folder" ? source : null;
  const known = source.kind === "folder" ? source.total : source.messages?.length;
  const total = known ?? 0;
  const viewKey = source.kind === "folder" ? `folder\u0000${source.folder}` : `results\u0000${source.view}`;
  const grid = useVirtualRows(total, viewKey);
  const { virtual } = grid;
  const items = virtual.getVirtualItems();
  // The rendered rows, overscan included: what the window is read for.
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const shown = useFolderWindow(folderSource, first, last);

  const rowAt = (index: number): StoredMessage | undefined =>
    source.kind === "results" ? source.messages?.[index] : shown?.rows[index - shown.offset];
  const read = source.kind === "results" ? source.messages : shown?.rows;
  const loaded: readonly StoredMessage[] = useMemo(() => read ?? [], [read]);
  const loadedIndex = (uid: string): number => {
    const i = loaded.findIndex((m) => m.uid === uid);
    return i < 0 ? -1 : source.kind === "results" ? i : i + (shown?.offset ?? 0);
  };
  const allChecked =
    total > 0 && checked.size >= total && loaded.length > 0 && loaded.every((m) => checked.has(m.uid));

  // The rows' handlers read the latest props through a ref, so a row's props change only when
  // its message or place does: a window read again while mail is pulled renders only the rows
  // that changed.
  const latest = useLatest({ onOpen, onToggle, checked });
  const actions = useMemo<RowActions>(
    () => ({
      open: (uid) => latest.current.onOpen(uid),
      toggle: (uid) => latest.current.onToggle(uid),
      dragged: (uid) => {
        const { checked: now } = latest.current;
        return now.has(uid) ? [...now] : [uid];
      },
    }),
    [latest],
  );

  // Once the open message is on screen, its neighbours are read and parsed ahead, so that j or
  // k shows one at once (read-ahead.ts). Keyed by the open message and its neighbours.
  const openIndex = openUid === null ? -1 : loadedIndex(openUid);
  const cursor = useListCursor(openUid, openIndex);
  const cursorFound = cursor.id === null ? -1 : loadedIndex(cursor.id);
  const around = openIndex < 0 ? [] : [rowAt(openIndex + 1)?.uid, rowAt(openIndex - 1)?.uid];
  const aroundKey = around.join("\u0000");
  useEffect(() => {
    const store = folderSource?.store;
    const uids = around.filter((u): u is string => u !== undefined);
    if (!store || uids.length === 0) return;
    return afterPaint(() => void readAhead(store, uids));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [aroundKey, folderSource?.store]);

  // j/k and the arrows move from the open message (else the one last open), which may be far
  // outside the window (the list was scrolled): its place and the target row are then read
  // from the store.
  const move = async (delta: number) => {
    if (total === 0) return;
    let found = cursorFound;
    if (found < 0 && cursor.id !== null && folderSource)
      found = await folderSource.store.position(folderSource.folder, cursor.id);
    const i = moveFrom(cursor, found, delta);
    const target = Math.min(total - 1, Math.max(0, i + delta));
    const m =
      rowAt(target) ??
      (folderSource ? (await folderSource.store.window(folderSource.folder, target, 1))[0] : undefined);
    if (!m) return;
    onOpen(m.uid);
    virtual.scrollToIndex(target);
  };
  // The open message deleted or moved from the reading pane: the one beside it opens in its
  // place (Settings, "After deleting or moving"). Worked out on the rows held, which the
  // folder's count may be ahead of (a move just made), or behind: the store's change may have
  // reached the rows already (an action that waited on the store), its former place then the
  // cursor's. A window that ends short of the folder's end does not say what is beyond it.
  // Rows read before the last few actions (a quick second #, or rows a burst held back) may
  // still hold the ones that left: skipped (LeftRows).
  const [left] = useState(() => new LeftRows());
  useLayoutEffect(() => left.see(loaded, (m) => m.uid, viewKey), [left, loaded, viewKey]);
  useAdvanceHandle(advanceRef, (delta) => {
    if (openUid === null) return false;
    const offset = source.kind === "results" ? 0 : (shown?.offset ?? 0);
    const held = left.held(loaded, (m) => m.uid, openUid);
    const found = held.findIndex((m) => m.uid === openUid);
    const at = found >= 0 ? found : cursor.index - offset;
    const step = stepAfterLeaving(at, delta, held.length, found >= 0);
    const m = step && held[step.target];
    if (!step || !m) return false;
    const turned = delta > 0 ? step.target < at : step.target > at;
    const cutShort = delta > 0 ? offset + held.length < total : offset > 0;
    if (turned && cutShort) return false;
    onOpen(m.uid);
    virtual.scrollToIndex(offset + step.place);
    return true;
  });

  // A message is read ahead as soon as its row is pressed, not on the click that follows (as
  // the IMAP list fetches it): a click then usually finds it ready.
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const store = folderSource?.store;
    const uid = pressedRowId(e);
    if (store && uid && uid !== openUid) void readAhead(store, [uid]);
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col" onPointerDown={onPointerDown}>
      <SelectAllBar allChecked={allChecked} selected={checked.size} onToggleAll={onToggleAll} />
      <VirtualGrid
        rows={grid}
        rowCount={total}
        busy={known === undefined}
        empty={known === 0}
        emptyNote={<p className="p-6 text-center text-sm text-slate-500">{emptyText}</p>}
        onKeyDown={(e) =>
          onGridKeyDown(e, { move: (d) => void move(d), onDelete, openId: openUid, onToggle })
        }
        onSelectRange={onSelectRange}
        renderRow={(index, place) => {
          const m = rowAt(index);
          if (!m) return null;
          return (
            <Pop3Row
              key={m.uid}
              m={m}
              index={index}
              top={place.top}
              active={m.uid === openUid}
              cursor={isCursorRow(cursor, openUid, cursorFound, { id: m.uid, index }, total)}
              checked={checked.has(m.uid)}
              locale={locale}
              actions={actions}
            />
          );
        }}
      />
    </div>
  );
}
