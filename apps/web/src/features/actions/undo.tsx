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
import { useTranslation } from "react-i18next";
import { useToast } from "@/components/ui/toast";
import { describeError } from "@/lib/errors";

/** How long the notice with `Undo` stays (ms); `z` undoes the last action after that too. */
export const undoNoticeMs = 8000;

type UndoFn = () => Promise<void> | void;

interface UndoApi {
  /** Says what was done; with `undo`, offers to take it back (the notice's button and `z`). */
  done(text: string, undo: UndoFn | null): void;
  /** Takes back the last action that can be; false when there is none. */
  undoLast(): boolean;
}

const UndoContext = createContext<UndoApi>({ done: () => undefined, undoLast: () => false });

export function useUndo(): UndoApi {
  return useContext(UndoContext);
}

interface Notice {
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
  const [notice, setNotice] = useState<Notice | null>(null);
  const last = useRef<Notice | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const show = useCallback((n: Notice | null) => {
    if (timer.current) clearTimeout(timer.current);
    setNotice(n);
    if (n) timer.current = setTimeout(() => setNotice((c) => (c?.id === n.id ? null : c)), undoNoticeMs);
  }, []);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const run = useCallback(
    (n: Notice) => {
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
      undoLast() {
        return last.current ? run(last.current) : false;
      },
    }),
    [run, show],
  );

  return (
    <UndoContext.Provider value={api}>
      {children}
      <div className="pointer-events-none fixed inset-x-0 bottom-16 z-50 flex justify-center px-4 md:bottom-4 md:justify-start">
        {notice && (
          <div
            role="status"
            aria-label={t("actions.notice")}
            className="pointer-events-auto flex max-w-lg items-center gap-3 rounded-lg bg-slate-800 px-4 py-2 text-sm text-white shadow-lg dark:bg-slate-200 dark:text-slate-900"
          >
            <span>{notice.text}</span>
            {notice.undo && (
              <button
                type="button"
                className="rounded px-2 py-0.5 font-semibold text-sky-300 hover:bg-white/10 dark:text-sky-700 dark:hover:bg-black/10"
                onClick={() => run(notice)}
              >
                {t("actions.undo")}
              </button>
            )}
            <button
              type="button"
              aria-label={t("actions.dismiss")}
              className="rounded px-1 text-white/70 hover:bg-white/10 dark:text-slate-600"
              onClick={() => show(null)}
            >
              ×
            </button>
          </div>
        )}
      </div>
    </UndoContext.Provider>
  );
}
