import type { FetchMessageObject } from "imapflow";
import { pickDisplayParts, type BodyStructureNode } from "@pismo/protocol/mime";

/** Listed rows whose shown part is kept per session: the windows on screen and some behind. */
const KEPT = 500;

/**
 * Which part of each listed message the reading pane will show, read from the BODYSTRUCTURE
 * its list row was fetched with: opening the message then fetches its summary and that part in
 * one FETCH, instead of one FETCH to learn the structure and more for the part. A hint only:
 * the open checks it against the structure that FETCH brings.
 */
export class ShownParts {
  /** `folder \n uid` -> the part's section, or null where nothing is shown. Oldest first. */
  private readonly parts = new Map<string, string | null>();

  remember(folder: string, rows: readonly FetchMessageObject[]): void {
    for (const row of rows) {
      if (!row.bodyStructure) continue;
      const key = `${folder}\n${row.uid}`;
      this.parts.delete(key);
      this.parts.set(key, shownSection(row.bodyStructure as BodyStructureNode));
    }
    for (const key of this.parts.keys()) {
      if (this.parts.size <= KEPT) break;
      this.parts.delete(key);
    }
  }

  /** The section to fetch with the summary: undefined when the message was not listed here. */
  section(folder: string, uid: number): string | null | undefined {
    return this.parts.get(`${folder}\n${uid}`);
  }
}

/** The part a message shows (its HTML, else its text), as `pickDisplayParts` chooses it. */
export function shownSection(structure: BodyStructureNode): string | null {
  const parts = pickDisplayParts(structure);
  return (parts.html ?? parts.text)?.part ?? null;
}
