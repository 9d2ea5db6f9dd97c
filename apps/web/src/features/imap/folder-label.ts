import type { TFunction } from "@/i18n/translate";
import type { Folder } from "@pismo/protocol/schemas";

/** Special-use folders are shown in the user's language; others by their own name. */
export function folderLabel(
  folder: Pick<Folder, "specialUse" | "name" | "parentPath">,
  t: TFunction,
): string {
  return folder.specialUse && folder.parentPath === "" ? t(`special.${folder.specialUse}`) : folder.name;
}
