import type { DraftRef } from "./draft-store";
import type { ComposeFields } from "./initial-draft";

/** Where the open draft is kept in this browser, so a closed tab loses nothing. */
export const LOCAL_KEY = "pismo.compose";

/** What survives a closed tab: the fields, and where the draft is kept. */
export interface LocalCopy {
  account: string;
  fields: ComposeFields;
  draftUid: DraftRef | null;
  savedAt: number;
  /** The compose window that wrote it, so that a window gone (replaced) forgets only its own. */
  writer?: string;
}

/** Forgets the copy when the window `writer` wrote it (another window's copy stays). */
export function forgetLocalCopy(writer: string): void {
  try {
    const copy = JSON.parse(localStorage.getItem(LOCAL_KEY) ?? "null") as LocalCopy | null;
    if (copy?.writer === writer) localStorage.removeItem(LOCAL_KEY);
  } catch {
    // Storage unreadable: nothing of ours to forget.
  }
}

/**
 * Messages whose window was replaced while they were being sent, which neither went out nor
 * reached Drafts: kept apart from the slot above (the open window's copy), so that neither
 * pushes the other out, and offered back like it.
 */
export const UNSENT_KEY = "pismo.compose.unsent";

type KeptCopy = LocalCopy & { writer: string };

/** A list this browser keeps under `key` (none when absent, unreadable or not a list). */
export function readStoredList<T>(key: string): T[] {
  try {
    const list = JSON.parse(localStorage.getItem(key) ?? "[]") as unknown;
    return Array.isArray(list) ? (list as T[]) : [];
  } catch {
    return [];
  }
}

const readUnsentList = () => readStoredList<KeptCopy>(UNSENT_KEY);

/** The account's messages kept apart (oldest first). */
export function readUnsent(account: string): KeptCopy[] {
  return readUnsentList().filter((c) => c && c.account === account);
}

/** Forgets the message kept apart by window `writer`. */
export function forgetUnsent(writer: string): void {
  try {
    const list = readUnsentList().filter((c) => c.writer !== writer);
    if (list.length > 0) localStorage.setItem(UNSENT_KEY, JSON.stringify(list));
    else localStorage.removeItem(UNSENT_KEY);
  } catch {
    // Storage unreadable: nothing to forget.
  }
}

/**
 * Keeps the message of a window that is gone: in the slot when it is free or already this
 * window's, else apart. False only when this browser's storage refused it (full).
 */
export function keepGoneWindowCopy(copy: KeptCopy): boolean {
  try {
    const held = JSON.parse(localStorage.getItem(LOCAL_KEY) ?? "null") as LocalCopy | null;
    if (!held || held.writer === copy.writer) localStorage.setItem(LOCAL_KEY, JSON.stringify(copy));
    else
      localStorage.setItem(
        UNSENT_KEY,
        JSON.stringify([...readUnsentList().filter((c) => c.writer !== copy.writer), copy]),
      );
    return true;
  } catch {
    return false;
  }
}

export function readLocalCopy(account: string): LocalCopy | null {
  try {
    const copy = JSON.parse(localStorage.getItem(LOCAL_KEY) ?? "null") as LocalCopy | null;
    return copy && copy.account === account ? copy : null;
  } catch {
    return null;
  }
}
