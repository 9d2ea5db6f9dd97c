"use client";

import {
  createContext,
  useContext,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { useTranslation } from "@/i18n/react";
import { useLatest } from "../shared/use-latest";
import { Dialog, buttonClass } from "@/components/ui/dialog";
import {
  bindingLabel,
  idle,
  keymap,
  matchKey,
  TypingHold,
  type MatchState,
  type ShortcutAction,
} from "./keymap";
import { inWindow, takesText } from "./takes-text";

/** What a part of the app does for a shortcut; returning false passes it to the part below. */
export type ShortcutHandlers = Partial<Record<ShortcutAction, () => boolean | void>>;

/** A registered part: its handlers, and for a message, the element it is shown in. */
interface Entry {
  handlers: { current: ShortcutHandlers };
  scope?: { current: Element | null };
}

interface Registry {
  add(entry: Entry): () => void;
}

/**
 * Which parts are asked for a key pressed on `target`, in order. A message the key was pressed
 * in comes first; else the messages, the last on the page first (in a conversation the newest,
 * whichever loaded last); then the other parts, the one mounted last first (the mailbox under
 * them). A conversation's r answered whichever of its messages had mounted last.
 */
export function askingOrder<T extends Entry>(entries: readonly T[], target: Element | null): T[] {
  const shown = (e: T) => e.scope?.current ?? null;
  const scoped = entries.filter((e) => shown(e) !== null);
  // Pressed in a message, or on the one message a container holds (a conversation's item,
  // focused by n and p, holds its message's view).
  const holding = target ? scoped.filter((e) => target.contains(shown(e))) : [];
  const inside = target
    ? (scoped.find((e) => shown(e)?.contains(target)) ?? (holding.length === 1 ? holding[0] : undefined))
    : undefined;
  const byPlace = [...scoped].sort((a, b) =>
    (shown(a) as Element).compareDocumentPosition(shown(b) as Element) & Node.DOCUMENT_POSITION_FOLLOWING
      ? 1
      : -1,
  );
  const rest = entries.filter((e) => shown(e) === null).reverse();
  const ordered = [...byPlace, ...rest];
  return inside ? [inside, ...ordered.filter((e) => e !== inside)] : ordered;
}
const RegistryContext = createContext<Registry | null>(null);

/**
 * Registers what this component does for shortcuts while it is mounted. The part mounted last
 * (the open message over the mailbox) is asked first. The handlers may change every render.
 */
export function useShortcutHandlers(handlers: ShortcutHandlers, scope?: { current: Element | null }): void {
  const registry = useContext(RegistryContext);
  const ref = useLatest(handlers);
  // Registered as the part is added, not after the next paint: a key pressed at once after
  // opening a message is the message's.
  useLayoutEffect(
    () => registry?.add({ handlers: ref, ...(scope ? { scope } : {}) }),
    [registry, ref, scope],
  );
}

/**
 * useShortcutHandlers as an element, for a message view whose handlers exist only once it has
 * loaded. It marks its place on the page: the message it is in is the one the keys act on when
 * several are shown (a conversation), see askingOrder.
 */
export function ShortcutKeys(handlers: ShortcutHandlers) {
  const marker = useRef<HTMLSpanElement>(null);
  const [scope] = useState(() => ({
    get current(): Element | null {
      const at = marker.current;
      return at ? (at.closest("article") ?? at.parentElement) : null;
    },
  }));
  useShortcutHandlers(handlers, scope);
  return <span ref={marker} hidden />;
}

/** Native activation keys on controls stay theirs: Enter on a button presses the button. */
function activates(target: Element, key: string): boolean {
  if (key !== "Enter") return false;
  return target.closest("button, a[href], summary, select, input, [role=button], [role=menuitem]") !== null;
}

/**
 * The one listener for the app's keys (see keymap.ts), everywhere except in text fields,
 * editors and modal dialogs. Also the `?` dialog, written from the same keymap.
 */
export function ShortcutsRoot({ children }: { children: ReactNode }) {
  const stack = useRef<Entry[]>([]);
  const [registry] = useState<Registry>(() => ({
    add(entry) {
      stack.current.push(entry);
      return () => {
        stack.current = stack.current.filter((h) => h !== entry);
      };
    },
  }));
  const [help, setHelp] = useState(false);
  const state = useRef<MatchState>(idle);
  const [hold] = useState(() => new TypingHold());

  useEffect(() => {
    // After c, r, a or f: the keys typed before its field has the focus are the field's text.
    // Taken first (capture, on the window), before any element's own keys: the list's j, k, m,
    // Space or Backspace would otherwise move, open a menu or delete meanwhile.
    const onHeldKey = (e: KeyboardEvent) => {
      if (e.isComposing || hold.key(e, Date.now()) !== "kept") return;
      e.preventDefault();
      e.stopPropagation();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const target = e.target instanceof Element ? e.target : null;
      if (target) {
        if (takesText(target) || inWindow(target) || activates(target, e.key)) return;
      }
      const result = matchKey(keymap, state.current, e, Date.now());
      state.current = result.state;
      if (result.kind === "pending") {
        e.preventDefault();
        return;
      }
      if (result.kind !== "action") return;
      if (result.action === "help") {
        e.preventDefault();
        setHelp(true);
        return;
      }
      for (const { handlers } of askingOrder(stack.current, target)) {
        const run = handlers.current[result.action];
        if (run && run() !== false) {
          e.preventDefault();
          if (keymap.some((s) => s.action === result.action && s.opensTyping)) hold.start(Date.now());
          return;
        }
      }
    };
    // The field has the focus: what was typed meanwhile goes in at its caret, as typed (an input
    // event, so the form sees it), once the field is set up (a reply's caret placed, a frame on).
    const onFocus = (e: FocusEvent) => {
      if (!hold.holding(Date.now()) || !(e.target instanceof Element) || !takesText(e.target)) return;
      const field = e.target;
      requestAnimationFrame(() =>
        setTimeout(() => {
          const text = hold.take();
          if (text && document.activeElement === field) document.execCommand("insertText", false, text);
        }),
      );
    };
    window.addEventListener("keydown", onHeldKey, true);
    document.addEventListener("keydown", onKey);
    document.addEventListener("focusin", onFocus);
    return () => {
      window.removeEventListener("keydown", onHeldKey, true);
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("focusin", onFocus);
    };
  }, [hold]);

  return (
    <RegistryContext.Provider value={registry}>
      {children}
      <ShortcutsDialog open={help} onClose={() => setHelp(false)} />
    </RegistryContext.Provider>
  );
}

const groups = ["compose", "act", "move", "go", "app"] as const;

/** Every shortcut of the keymap, in the UI's language. */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} title={t("shortcuts.title")} onClose={onClose} wide>
      <div className="grid max-h-[70dvh] gap-4 overflow-y-auto sm:grid-cols-2">
        {groups.map((group) => (
          <section key={group} aria-labelledby={`shortcuts-${group}`}>
            <h3 id={`shortcuts-${group}`} className="mb-1 text-xs font-semibold uppercase text-slate-500">
              {t(`shortcuts.group.${group}`)}
            </h3>
            <dl className="space-y-1 text-sm">
              {keymap
                .filter((s) => s.group === group)
                .map((s) => (
                  <div key={s.action} className="flex items-baseline justify-between gap-3">
                    <dt>{t(`shortcuts.action.${s.action}`)}</dt>
                    <dd className="flex shrink-0 flex-wrap justify-end gap-1">
                      {s.bindings.map((b, i) => (
                        <span key={i} className="flex gap-1">
                          {i > 0 && <span className="text-slate-400">{t("shortcuts.or")}</span>}
                          {bindingLabel(b, t("shortcuts.then")).map((k, j) =>
                            j % 2 === 1 ? (
                              <span key={j} className="text-slate-400">
                                {k}
                              </span>
                            ) : (
                              <kbd
                                key={j}
                                className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono text-xs dark:border-slate-600 dark:bg-slate-800"
                              >
                                {k}
                              </kbd>
                            ),
                          )}
                        </span>
                      ))}
                    </dd>
                  </div>
                ))}
            </dl>
          </section>
        ))}
      </div>
      <p className="mt-3 text-xs text-slate-500">{t("shortcuts.hint")}</p>
      <div className="mt-3 flex justify-end">
        <button type="button" className={buttonClass.secondary} onClick={onClose}>
          {t("shortcuts.close")}
        </button>
      </div>
    </Dialog>
  );
}
