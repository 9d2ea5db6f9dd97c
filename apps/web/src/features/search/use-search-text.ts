"use client";

import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { isEmptyQuery, parseSearchQuery } from "@pismo/protocol/search";
import type { SearchError, SearchQuery } from "@pismo/protocol/search";
import { localeOf } from "@/i18n";

const RECENT_LIMIT = 8;

/** Recent searches, per account, in this browser only. */
function recentKey(account: string): string {
  return `pismo:recent-searches:${account.toLowerCase()}`;
}

function readRecent(account: string): string[] {
  try {
    const raw = localStorage.getItem(recentKey(account));
    const list: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(list)
      ? list.filter((s): s is string => typeof s === "string").slice(0, RECENT_LIMIT)
      : [];
  } catch {
    return [];
  }
}

export interface SearchState {
  /** What is in the box. */
  text: string;
  setText: (text: string) => void;
  /** The box's text parsed now; an error carries where it is. */
  error: SearchError | null;
  /** The search being shown (null: the folder is shown). */
  active: { text: string; query: SearchQuery; now: number } | null;
  /** Runs the box's text as a search (Enter); an empty box or a mistake runs nothing. */
  submit: (text?: string) => void;
  /** Back to the folder (Escape). */
  leave: () => void;
  recent: string[];
  locale: string;
}

/**
 * The search box's text and the search it started. The text is parsed as it is typed, so a
 * mistake is shown under the box at once and never sent. `live` runs every change (the POP3
 * store answers in a few milliseconds); otherwise a search runs on Enter (a server search per
 * keystroke would cost the server a SEARCH of every folder).
 */
export function useSearchText(account: string, opts: { live: boolean }): SearchState {
  const { i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const [text, setTextState] = useState("");
  const [active, setActive] = useState<SearchState["active"]>(null);
  const [recent, setRecent] = useState<string[]>(() =>
    typeof window === "undefined" ? [] : readRecent(account),
  );

  // Whether the text is well formed does not depend on the clock (only what older_than means).
  const parsed = useMemo(() => parseSearchQuery(text, { now: 0, locale }), [text, locale]);
  const error = parsed.ok ? null : parsed.error;

  const run = useCallback(
    (value: string, remember: boolean) => {
      const now = Date.now();
      const result = parseSearchQuery(value, { now, locale });
      if (!result.ok) return;
      if (value.trim() === "" || isEmptyQuery(result.query)) {
        setActive(null);
        return;
      }
      setActive({ text: value.trim(), query: result.query, now });
      if (remember) {
        const next = [value.trim(), ...readRecent(account).filter((r) => r !== value.trim())].slice(
          0,
          RECENT_LIMIT,
        );
        try {
          localStorage.setItem(recentKey(account), JSON.stringify(next));
        } catch {
          // Storage full or disabled: recent searches are a convenience.
        }
        setRecent(next);
      }
    },
    [account, locale],
  );

  const setText = useCallback(
    (value: string) => {
      setTextState(value);
      if (opts.live) run(value, false);
    },
    [opts.live, run],
  );

  return {
    text,
    setText,
    error,
    active,
    submit: (value = text) => {
      if (value !== text) setTextState(value);
      run(value, true);
    },
    leave: () => {
      setTextState("");
      setActive(null);
    },
    recent,
    locale,
  };
}
