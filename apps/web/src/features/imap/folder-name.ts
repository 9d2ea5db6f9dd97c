import type { Folder } from "@pismo/protocol/schemas";

/** Why the server would refuse a folder name, as a catalog key and its values; null: none. */
export type FolderNameProblem =
  | { key: "mail.folderNameChars" }
  | { key: "mail.folderNameControl" }
  | { key: "mail.folderNameSeparator"; char: string }
  | { key: "mail.folderExists"; folder: Folder };

/**
 * A new name for a folder under `parentPath` ("" at the top; `self` the folder being renamed),
 * checked before anything is sent, so that the dialog says what is wrong in the reader's words:
 * IMAP's LIST wildcards (% and *) and control characters (the gateway refuses both), the server's
 * hierarchy delimiter (it would make a folder inside another), and a folder of that name beside
 * it (Inbox in any case: RFC 9051 §5.1, INBOX is case-insensitive).
 */
export function folderNameProblem(
  name: string,
  parentPath: string,
  self: string | null,
  folders: readonly Folder[],
): FolderNameProblem | null {
  if (/[%*]/.test(name)) return { key: "mail.folderNameChars" };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return { key: "mail.folderNameControl" };
  const delimiter = (folders.find((f) => f.specialUse === "inbox") ?? folders[0])?.delimiter ?? "";
  if (delimiter !== "" && name.includes(delimiter))
    return { key: "mail.folderNameSeparator", char: delimiter };
  const isInbox = (path: string) => path.toUpperCase() === "INBOX";
  const same = folders.find(
    (f) =>
      f.path !== self &&
      f.parentPath === parentPath &&
      (f.name === name || (parentPath === "" && isInbox(f.path) && isInbox(name))),
  );
  return same ? { key: "mail.folderExists", folder: same } : null;
}
