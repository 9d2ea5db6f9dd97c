import type { TFunction } from "@/i18n/translate";
import type { Folder } from "@pismo/protocol/schemas";
import { isTemplatesFolder } from "@pismo/protocol/templates/rules";
import type { MoveTarget } from "../shared/move-menu";

/** Special-use folders, and the templates folder, are shown in the user's language; others by
 * their own name. */
export function folderLabel(
  folder: Pick<Folder, "specialUse" | "name" | "parentPath">,
  t: TFunction,
): string {
  if (folder.specialUse && folder.parentPath === "") return t(`special.${folder.specialUse}`);
  return isTemplatesFolder(folder) ? t("special.templates") : folder.name;
}

/** How deep a folder sits under the top level (0 for a top-level one), to indent it. */
export function folderDepth(folder: Pick<Folder, "path" | "parentPath" | "delimiter">): number {
  return folder.parentPath ? folder.path.split(folder.delimiter).length - 1 : 0;
}

/** The folders mail can be moved to (all but `except` and those that only hold folders),
 * in the server's order, each indented under its parent as the folder list shows it. */
export function imapMoveTargets(folders: readonly Folder[], t: TFunction, except?: string): MoveTarget[] {
  return folders
    .filter((f) => f.selectable && f.path !== except)
    .map((f) => ({ id: f.path, name: folderLabel(f, t), depth: folderDepth(f) }));
}
