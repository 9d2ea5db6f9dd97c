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

/** Keeps `copy` unless another window's copy is there now; says whether it was kept. */
export function keepLocalCopyIfFree(copy: LocalCopy & { writer: string }): boolean {
  try {
    const held = JSON.parse(localStorage.getItem(LOCAL_KEY) ?? "null") as LocalCopy | null;
    if (held && held.writer !== copy.writer) return false;
    localStorage.setItem(LOCAL_KEY, JSON.stringify(copy));
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
