// No zod here: the folder list, on the first screen, takes the Templates folder's name from it.
import type { StoredTemplate } from "./schema";

/** The most templates an account keeps in a browser (POP3) or lists from its folder (IMAP). */
export const MAX_TEMPLATES = 100;

/** The name of the folder templates are kept in on an IMAP server: Thunderbird's, so that its
 * templates are Pismo's and Pismo's are its. */
export const TEMPLATES_FOLDER = "Templates";

/**
 * The account's templates folder among its folders: a selectable "Templates" (any case) at the
 * top of the tree or right under the Inbox (servers whose personal namespace is "INBOX."), or
 * undefined when there is none yet (the first template saved makes it).
 */
export function templatesFolderOf<F extends { name: string; parentPath: string; selectable: boolean }>(
  folders: readonly F[],
): F | undefined {
  return folders.find((f) => f.selectable && isTemplatesFolder(f));
}

/** True for a folder named as the templates folder, where it would be (see templatesFolderOf). */
export function isTemplatesFolder(f: { name: string; parentPath: string }): boolean {
  return (
    f.name.toLowerCase() === TEMPLATES_FOLDER.toLowerCase() &&
    (f.parentPath === "" || f.parentPath.toUpperCase() === "INBOX")
  );
}

/** Newest first, each id once (the first given wins), and no more than an account keeps. */
export function newestTemplates(templates: readonly StoredTemplate[]): StoredTemplate[] {
  const seen = new Set<string>();
  const once = templates.filter((t) => !seen.has(t.id) && seen.add(t.id));
  return once.sort((a, b) => b.savedAt - a.savedAt).slice(0, MAX_TEMPLATES);
}

/**
 * A settings file's templates brought into a browser that has its own (POP3's "export to another
 * computer"): the file's, and those only here (by id) stay, so importing loses none; the newest
 * up to the limit. A part the file does not carry (an older file) leaves this browser's as it is.
 */
export function mergeTemplates(
  here: readonly StoredTemplate[],
  file: readonly StoredTemplate[] | undefined,
): StoredTemplate[] {
  if (!file) return newestTemplates(here);
  const fileIds = new Set(file.map((t) => t.id));
  return newestTemplates([...file, ...here.filter((t) => !fileIds.has(t.id))]);
}
