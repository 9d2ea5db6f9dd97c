import type { Rule, RuleSet } from "./schema";

/**
 * The folders rules file into, kept in step with the folder tree. A Sieve `fileinto` names a
 * folder by its path (RFC 5228 section 4.1), and a folder that is not there makes the server
 * keep the message in the Inbox instead (RFC 5228 section 2.10.6): after a rename the rule
 * would stop filtering, and nothing would say so.
 */

/** Where `folder` is after `from` was renamed `to`: itself, or a folder inside it, moved along. */
function renamed(folder: string, from: string, to: string, delimiter: string): string {
  if (folder === from) return to;
  // A delimiter-less server (RFC 9051 LIST answers NIL) has no folders inside folders.
  if (delimiter !== "" && folder.startsWith(`${from}${delimiter}`))
    return `${to}${folder.slice(from.length)}`;
  return folder;
}

/**
 * The rules with every move and copy into `from`, or into a folder inside it, pointed at the
 * same folder under its new path `to`; null when no rule names it (nothing to save).
 */
export function followFolderRename(
  set: RuleSet,
  from: string,
  to: string,
  delimiter: string,
): RuleSet | null {
  let changed = false;
  const rules = set.rules.map((rule) => {
    const actions = rule.actions.map((action) => {
      if (action.type !== "move" && action.type !== "copy") return action;
      const folder = renamed(action.folder, from, to, delimiter);
      if (folder === action.folder) return action;
      changed = true;
      return { ...action, folder };
    });
    return actions.some((a, i) => a !== rule.actions[i]) ? { ...rule, actions } : rule;
  });
  return changed ? { ...set, rules } : null;
}

/** The folders a rule moves or copies into that are not among `exists` (deleted, or renamed in
 * another client), each once. */
export function missingFolders(rule: Rule, exists: (path: string) => boolean): string[] {
  const missing = new Set<string>();
  for (const action of rule.actions)
    if ((action.type === "move" || action.type === "copy") && !exists(action.folder))
      missing.add(action.folder);
  return [...missing];
}
