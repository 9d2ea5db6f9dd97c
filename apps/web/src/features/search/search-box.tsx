"use client";

import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import { createPortal } from "react-dom";
import { useTranslation } from "@/i18n/react";
import { suggestSearch } from "@pismo/protocol/search";
import type { SearchError, SearchOperator } from "@pismo/protocol/search";
import { Svg } from "@/components/ui/icons";
import { useStableCallback } from "@/features/shared/use-latest";
import { focusWhenThere } from "@/lib/focus-when-there";
import { inWindow, takesText } from "../shortcuts/takes-text";
import { SEARCH_SLOT_ID } from "./search-slot";
import type { SearchState } from "./use-search-text";

const SearchIcon = (p: { className?: string }) => (
  <Svg {...p} d="M10.5 18a7.5 7.5 0 1 1 0-15 7.5 7.5 0 0 1 0 15zM16 16l5 5" />
);

interface Option {
  id: string;
  /** The whole new text of the box when chosen. */
  text: string;
  label: string;
  hint: string;
  kind: "operator" | "value" | "recent";
}

/**
 * The search box in the header, for both protocols: `/` focuses it, suggestions for the
 * operators (and the recent searches while empty) sit under it as a listbox driven by the
 * arrows, Enter and Tab, Escape leaves search. A mistake in the query is said under the box
 * with its part underlined, as it is typed. On a phone it folds into an icon button.
 */
export function SearchBox({
  search,
  folders,
  fuzzy,
}: {
  search: SearchState;
  /** Folder names offered after in:. */
  folders: readonly string[];
  /** IMAP: the user's choice of approximate matching. */
  fuzzy?: { value: boolean; onChange: (value: boolean) => void };
}) {
  const { t } = useTranslation();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  // The header is rendered before the mailbox (which loads after sign-in), so its slot exists.
  const slot = typeof document === "undefined" ? null : document.getElementById(SEARCH_SLOT_ID);
  const [focused, setFocused] = useState(false);
  const [expanded, setExpanded] = useState(false);
  const [cursor, setCursor] = useState(0);
  const [active, setActive] = useState(-1);
  const [dismissed, setDismissed] = useState(false);

  // Focus goes to the box before the next key is handled: a key typed right after "/" (or after
  // the phone's search button) belongs to the query, never to a mail shortcut ("f" would forward
  // the open message). A box on screen takes it at once; a collapsed one as soon as its render
  // has shown it (a layout effect: in the same task, before any later key event).
  const focusWhenShown = useRef(false);
  const focusBox = () => {
    const input = inputRef.current;
    if (input && input.getClientRects().length > 0) {
      input.focus();
      return;
    }
    focusWhenShown.current = true;
    setExpanded(true);
  };
  useLayoutEffect(() => {
    if (!expanded || !focusWhenShown.current) return;
    focusWhenShown.current = false;
    inputRef.current?.focus();
  }, [expanded]);

  // "/" anywhere but in a text field goes to the search box (as in Gmail and GitHub).
  const onSlash = useStableCallback((e: globalThis.KeyboardEvent) => {
    // Not from a dialog (Settings, a menu's): the box is behind it.
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || takesText(e.target) || inWindow(e.target))
      return;
    e.preventDefault();
    focusBox();
  });
  useEffect(() => {
    document.addEventListener("keydown", onSlash);
    return () => document.removeEventListener("keydown", onSlash);
  }, [onSlash]);

  const { text } = search;
  const options: Option[] = [];
  if (text.trim() === "") {
    search.recent.forEach((r, i) =>
      options.push({ id: `${id}-r${i}`, text: r, label: r, hint: t("search.recent"), kind: "recent" }),
    );
  } else {
    const s = suggestSearch(text, { cursor, folders });
    s.items.forEach((item, i) => {
      const op = item.insert.slice(0, item.insert.indexOf(":")) as SearchOperator;
      options.push({
        id: `${id}-s${i}`,
        text: text.slice(0, s.from) + item.insert + text.slice(s.to),
        label: item.kind === "operator" ? item.label : item.insert,
        hint: item.kind === "operator" ? t(`search.operator.${op}`) : "",
        kind: item.kind,
      });
    });
  }
  const open = focused && !dismissed && (options.length > 0 || fuzzy !== undefined);
  const current = active >= 0 ? options[active] : undefined;

  const choose = (option: Option) => {
    setActive(-1);
    if (option.kind === "recent") {
      search.submit(option.text);
      return;
    }
    // An operator waits for its value; a value completes a term and is searched at once when
    // the query is then whole.
    const next = option.kind === "operator" ? option.text : `${option.text} `;
    search.setText(next);
    setCursor(next.length);
    // The caret goes after the completion, unless something was typed before the frame came.
    requestAnimationFrame(() => {
      const input = inputRef.current;
      if (input?.value === next) input.setSelectionRange(next.length, next.length);
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    switch (e.key) {
      case "ArrowDown":
      case "ArrowUp":
        if (options.length === 0) return;
        e.preventDefault();
        setDismissed(false);
        setActive((a) =>
          e.key === "ArrowDown" ? (a + 1) % options.length : a <= 0 ? options.length - 1 : a - 1,
        );
        break;
      case "Enter":
        e.preventDefault();
        if (open && current) choose(current);
        else {
          search.submit();
          setDismissed(true);
        }
        break;
      case "Tab": {
        // Tab completes the suggestion shown (the chosen one, or the only one); otherwise it
        // moves on as usual.
        const pick =
          current ?? (options.length === 1 && options[0]?.kind !== "recent" ? options[0] : undefined);
        if (open && pick && !e.shiftKey) {
          e.preventDefault();
          choose(pick);
        }
        break;
      }
      case "Escape":
        e.preventDefault();
        if (
          open &&
          options.length > 0 &&
          (active >= 0 || text !== "") &&
          !dismissed &&
          search.active === null
        ) {
          setDismissed(true);
          setActive(-1);
          break;
        }
        search.leave();
        setActive(-1);
        setExpanded(false);
        // To the list, whose keys then work (left on the page's body, a screen reader lost its place).
        inputRef.current?.blur();
        focusWhenThere(() => document.querySelector<HTMLElement>('[role="grid"]'));
        break;
    }
  };

  const followCaret = (e: { currentTarget: HTMLInputElement }) =>
    setCursor(e.currentTarget.selectionStart ?? 0);

  const error = search.error;
  const errorId = `${id}-error`;
  const listId = `${id}-list`;
  const showBox = expanded || search.active !== null;

  const box = (
    <div role="search" className="flex min-w-8 flex-1 items-center justify-end md:min-w-0 md:justify-center">
      <button
        type="button"
        className={`rounded-md p-1.5 hover:bg-slate-100 md:hidden dark:hover:bg-slate-800 ${showBox ? "hidden" : ""}`}
        aria-label={t("search.open")}
        onClick={focusBox}
      >
        <SearchIcon className="size-5" />
      </button>
      <div
        className={`${showBox ? "absolute inset-x-0 top-0 z-30 flex h-12 items-center bg-white px-2 dark:bg-slate-900" : "hidden"} md:relative md:inset-auto md:z-auto md:flex md:h-auto md:w-full md:max-w-xl md:bg-transparent md:px-0`}
      >
        <div className="relative w-full">
          <span className="pointer-events-none absolute left-2.5 top-1/2 -translate-y-1/2 text-slate-400">
            <SearchIcon className="size-4" />
          </span>
          <input
            ref={inputRef}
            type="search"
            aria-label={t("search.label")}
            placeholder={t("search.placeholder")}
            autoComplete="off"
            spellCheck="false"
            aria-autocomplete="list"
            aria-expanded={open && options.length > 0}
            aria-controls={listId}
            aria-activedescendant={open && current ? current.id : undefined}
            aria-invalid={error !== null}
            aria-describedby={error ? errorId : undefined}
            value={text}
            onChange={(e) => {
              search.setText(e.target.value);
              setCursor(e.target.selectionStart ?? e.target.value.length);
              setActive(-1);
              setDismissed(false);
            }}
            // The suggestions follow the word at the caret: moved by a key or a click too (the
            // DOM's select event comes only for a selection).
            onSelect={followCaret}
            onKeyUp={followCaret}
            onMouseUp={followCaret}
            onFocus={() => {
              setFocused(true);
              setDismissed(false);
            }}
            onBlur={() => {
              setFocused(false);
              if (search.active === null && text === "") setExpanded(false);
            }}
            onKeyDown={onKeyDown}
            className={`w-full rounded-lg border bg-slate-50 py-1.5 pl-8 pr-2 text-sm outline-none focus:bg-white focus:ring-2 dark:bg-slate-800 dark:focus:bg-slate-900 ${
              error
                ? "border-red-500 focus:ring-red-300"
                : "border-slate-300 focus:ring-accent/40 dark:border-slate-600"
            }`}
          />
          {error && <QueryError id={errorId} text={text} error={error} />}
          {open && !error && (
            <div className="absolute inset-x-0 top-full z-40 mt-1 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-lg dark:border-slate-700 dark:bg-slate-900">
              {options.length > 0 && (
                <ul
                  id={listId}
                  role="listbox"
                  aria-label={t("search.suggestions")}
                  className="max-h-72 overflow-y-auto py-1"
                >
                  {options.map((o, i) => (
                    <li
                      key={o.id}
                      id={o.id}
                      role="option"
                      aria-selected={i === active}
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={() => choose(o)}
                      className={`flex cursor-pointer items-baseline gap-3 px-3 py-1.5 text-sm ${
                        i === active ? "bg-accent/10" : "hover:bg-slate-50 dark:hover:bg-slate-800"
                      }`}
                    >
                      <span className="font-mono text-slate-900 dark:text-slate-100">{o.label}</span>
                      <span className="truncate text-xs text-slate-500">{o.hint}</span>
                    </li>
                  ))}
                </ul>
              )}
              {fuzzy && (
                <label
                  className="flex items-center gap-2 border-t border-slate-100 px-3 py-2 text-xs text-slate-600 dark:border-slate-800 dark:text-slate-400"
                  onMouseDown={(e) => e.preventDefault()}
                >
                  <input
                    type="checkbox"
                    checked={fuzzy.value}
                    onChange={(e) => fuzzy.onChange(e.target.checked)}
                  />
                  {t("search.fuzzy")}
                </label>
              )}
            </div>
          )}
        </div>
        {showBox && (
          <button
            type="button"
            className="ml-1 rounded-md px-2 py-1 text-sm md:hidden"
            aria-label={t("search.back")}
            onClick={() => {
              search.leave();
              setExpanded(false);
            }}
          >
            ✕
          </button>
        )}
      </div>
    </div>
  );
  return slot ? createPortal(box, slot) : box;
}

/** The mistake, said in the user's language, over the query with its part underlined. */
function QueryError({ id, text, error }: { id: string; text: string; error: SearchError }) {
  const { t } = useTranslation();
  const end = Math.min(text.length, error.at + error.length);
  const bad = text.slice(error.at, end) || " ";
  return (
    <div
      id={id}
      className="absolute inset-x-0 top-full z-40 mt-1 rounded-lg border border-red-200 bg-white px-3 py-2 text-sm shadow-lg dark:border-red-900 dark:bg-slate-900"
    >
      <p className="sr-only">{t("search.errorAt")}:</p>
      <p className="truncate font-mono text-xs text-slate-600 dark:text-slate-400" aria-hidden>
        {text.slice(0, error.at)}
        <span className="text-red-600 underline decoration-red-500 decoration-wavy underline-offset-4 dark:text-red-400">
          {bad}
        </span>
        {text.slice(end)}
      </p>
      <p className="mt-1 text-red-700 dark:text-red-300">{t(`search.error.${error.code}`, error.params)}</p>
    </div>
  );
}
