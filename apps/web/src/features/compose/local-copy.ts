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
}

export function readLocalCopy(account: string): LocalCopy | null {
  try {
    const copy = JSON.parse(localStorage.getItem(LOCAL_KEY) ?? "null") as LocalCopy | null;
    return copy && copy.account === account ? copy : null;
  } catch {
    return null;
  }
}
