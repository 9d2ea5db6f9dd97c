import type { ImapMailPort } from "@pismo/protocol/router/ports";
import type { Logger } from "../log";
import type { SieveRules } from "./sieve-rules";

/**
 * How long a rename waits for the filters to follow it: long enough for a ManageSieve server
 * that answers (the Filters page, read right after, then shows the new path), short of a
 * connection attempt to one that never answers (15 s), which then goes on without holding it.
 */
const FOLLOW_WAIT_MS = 3_000;

/**
 * The page's mail, with each folder it renames followed by the account's server filters: a
 * rule that files into "Receipts" (or "Receipts/2026") files into "Bills" ("Bills/2026") once
 * Receipts is renamed Bills. Without it the server keeps that mail in the Inbox (a `fileinto`
 * to a folder that is not there, RFC 5228 section 2.10.6) and nothing says why.
 *
 * The rename is the user's and stands whatever happens to the filters: a server without
 * ManageSieve, or one that fails, is logged, never the rename's failure. A deleted folder is
 * left to the Filters page, which shows the rules that file into it and asks for another.
 *
 * Everything else is the page's mail itself (the same object, so the session still tells the
 * page's own changes to its other pages only).
 */
export function followRenames(
  mail: ImapMailPort,
  rules: Pick<SieveRules, "followRename">,
  log: Logger,
): ImapMailPort {
  const follow = async (from: string, to: string): Promise<void> => {
    try {
      // The server's hierarchy delimiter, for the folders inside the renamed one.
      const delimiter = (await mail.folders()).find((f) => f.path === to)?.delimiter ?? "/";
      if (await rules.followRename(from, to, delimiter)) log.info("sieve.rename_followed", { from, to });
    } catch (error) {
      log.warn("sieve.rename_not_followed", { from, to, error });
    }
  };
  const renameFolder = async (path: string, newName: string): Promise<string> => {
    const newPath = await mail.renameFolder(path, newName);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      follow(path, newPath),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, FOLLOW_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    return newPath;
  };
  return new Proxy(mail, {
    get(target, key) {
      if (key === "renameFolder") return renameFolder;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
