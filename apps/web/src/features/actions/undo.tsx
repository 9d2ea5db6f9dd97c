"use client";

import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { useTranslation } from "@/i18n/react";
import { Notice, NoticeArea } from "@/components/ui/notice";
import { useToast } from "@/components/ui/toast";
import { describeError } from "@/lib/errors";

/** How long the notice with `Undo` stays (ms); `z` undoes the last action after that too. */
export const undoNoticeMs = 8000;

type UndoFn = () => Promise<void> | void;

interface UndoApi {
  /** Says what was done; with `undo`, offers to take it back (the notice's button and `z`). */
  done(text: string, undo: UndoFn | null): void;
  /**
   * Says what is under way (a move of many messages, which the server takes seconds over): the
   * notice stays until the next one replaces it or the returned function takes it away (the
   * action failed and says so elsewhere).
   */
  working(text: string): () => void;
  /** Takes back the last action that can be; false when there is none. */
  undoLast(): boolean;
}

const UndoContext = createContext<UndoApi>({
  done: () => undefined,
  working: () => () => undefined,
  undoLast: () => false,
});

export function useUndo(): UndoApi {
  return useContext(UndoContext);
}

interface ShownNotice {
  id: number;
  text: string;
  undo: UndoFn | null;
}

/**
 * The notice after move, delete, archive, read / unread and spam: what was done, and an
 * `Undo` button for a few seconds. Only the last action can be undone (a later one replaces
 * it), as in Gmail; undoing twice does nothing the second time.
 */
export function UndoRoot({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [notice, setNotice] = useState<ShownNotice | null>(null);
  const last = useRef<ShownNotice | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const show = useCallback((n: ShownNotice | null, { stays = false }: { stays?: boolean } = {}) => {
    if (timer.current) clearTimeout(timer.current);
    setNotice(n);
    if (n && !stays)
      timer.current = setTimeout(() => setNotice((c) => (c?.id === n.id ? null : c)), undoNoticeMs);
  }, []);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const run = useCallback(
    (n: ShownNotice) => {
      if (!n.undo || last.current?.id !== n.id) return false;
      const undo = n.undo;
      last.current = null;
      show({ id: n.id + 0.5, text: t("actions.undone"), undo: null });
      void (async () => {
        try {
          await undo();
        } catch (error) {
          toast(`${t("actions.undoFailed")} ${describeError(error, t)}`, "error");
        }
      })();
      return true;
    },
    [show, t, toast],
  );

  const api = useMemo<UndoApi>(
    () => ({
      done(text, undo) {
        const n = { id: Date.now() + Math.random(), text, undo };
        last.current = undo ? n : null;
        show(n);
      },
      working(text) {
        const n = { id: Date.now() + Math.random(), text, undo: null };
        show(n, { stays: true });
        return () => setNotice((c) => (c?.id === n.id ? null : c));
      },
      undoLast() {
        return last.current ? run(last.current) : false;
      },
    }),
    [run, show],
  );

  return (
    <UndoContext.Provider value={api}>
      {children}
      {/* On a wide screen at the foot of the list, beside the folder column (whose foot holds
          Settings and Sign out), not over it. */}
      <NoticeArea className="bottom-16 justify-center md:bottom-4 md:justify-start lg:left-60">
        {notice && (
          <Notice
            label={t("actions.notice")}
            text={notice.text}
            action={notice.undo ? { label: t("actions.undo"), onClick: () => run(notice) } : null}
            dismiss={{ label: t("actions.dismiss"), onClick: () => show(null) }}
          />
        )}
      </NoticeArea>
    </UndoContext.Provider>
  );
}
