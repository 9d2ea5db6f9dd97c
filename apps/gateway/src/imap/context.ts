import type { ImapFlow, ListResponse, MailboxObject } from "imapflow";
import type { MailEvent } from "@pismo/protocol/schemas";
import type { Logger } from "../log";
import type { EventHub } from "./event-hub";

/**
 * What the session's layers (folders, message list, reading, actions, quota) share: the one
 * connection, the folder IDLE watches, the logger and the event hub. Nothing else.
 */
export interface ImapContext {
  readonly log: Logger;
  readonly hub: EventHub<MailEvent>;
  /** The folder the user looks at, where IDLE listens. */
  readonly watched: string;
  /** The open connection; opens (or reopens) it when needed. */
  connection(): Promise<ImapFlow>;
  /** The connection if it is open now, without opening one. */
  usableClient(): ImapFlow | null;
  /**
   * The folder tree with counts (LIST-STATUS) that opening the connection took before its
   * first SELECT, once, while it is fresh (a few seconds, and no change pushed or made since):
   * the browser's first folder request then costs no command of its own. Null afterwards.
   */
  takeFirstListing(): ListResponse[] | null;
  /**
   * Resolves once the first message window after sign-in has been fetched (or a short while
   * has passed): what the first screen can show after its rows (the quota) waits for it, so
   * that the rows' FETCH is the first command after the Inbox is selected.
   */
  afterFirstWindow(): Promise<void>;
  /** The first message window was fetched (or failed): what waited for it goes ahead. */
  firstWindowDone(): void;
  /** Runs fn with the folder selected; afterwards the watched folder is selected again so
   * that IDLE keeps listening where the user is looking. */
  inFolder<T>(
    folder: string,
    fn: (client: ImapFlow, mailbox: MailboxObject) => Promise<T>,
    options?: InFolderOptions,
  ): Promise<T>;
  /**
   * Runs fn with the server's per-message expunge notices of `folder` kept from the session's
   * pages (still counted as changes of the folder): a move made in steps, after which the caller
   * publishes one "changed". Told each step's expunges, the pages refetched a list the rest of
   * the move had not reached yet, and the rows they had removed at once came back for a while.
   */
  withoutExpungeEvents<T>(folder: string, fn: () => Promise<T>): Promise<T>;
  /** Runs fn on the connection with its errors mapped to MailErrors. */
  onClient<T>(fn: (client: ImapFlow) => Promise<T>): Promise<T>;
  /** Runs one ImapFlow command that reports failure as `false` (or undefined) and turns that
   * into the server's reason. */
  must<T>(what: string, run: () => Promise<T | false | undefined>, context?: { folder?: string }): Promise<T>;
  /** Selects the watched folder again after a command in `folder` (nothing if it is the same). */
  returnToWatched(client: ImapFlow, folder: string): void;
  /**
   * Runs `change` (the DELETE or RENAME of `path`) with another folder selected and locked until
   * the server answers, so nothing selects `path`, or a folder under it, meanwhile. The watch
   * follows only once `change` succeeded; a refused one leaves it, and the folder selected again,
   * as it was. Renamed (`rename` given), a watched `path` or folder under it is watched under its
   * new path. Deleted, a watched `path` gives way to the Inbox; a folder under it stays watched
   * while the server keeps it (Dovecot deletes the parent alone), else the Inbox is.
   */
  awayFrom<T>(client: ImapFlow, path: string, change: () => Promise<T>, rename?: FolderRename<T>): Promise<T>;
}

/** What `awayFrom` needs of a RENAME to have the watch follow the folder, or one under it. */
export interface FolderRename<T> {
  /** The server's hierarchy delimiter: "Projects/2026" is under "Projects", "Projects2" is not. */
  delimiter: string;
  /** The renamed folder's new path, as the server took it (`change` resolved with `result`). */
  newPath(result: T): string;
}

/**
 * The path `watched` has once `path` is renamed to `newPath`: the same folder, or a folder
 * under it (`delimiter` apart, so "Projects2" is not under "Projects"), with the renamed part
 * replaced. Null for any other folder, which the rename leaves where it was.
 */
export function renamedPath(
  watched: string,
  path: string,
  newPath: string,
  delimiter: string,
): string | null {
  return atOrUnder(watched, path, delimiter) ? newPath + watched.slice(path.length) : null;
}

/** Whether `folder` is `path` or a folder under it (`delimiter` apart: "Projects2" is not under
 * "Projects"; with no delimiter, a flat namespace, none is under another). */
export function atOrUnder(folder: string, path: string, delimiter: string): boolean {
  return folder === path || (delimiter !== "" && folder.startsWith(path + delimiter));
}

export interface InFolderOptions {
  /**
   * False when more folders follow at once (a search across folders): the watched folder is
   * selected again only after the last one (`returnToWatched`), not between every two, which
   * would SELECT a large Inbox once per folder searched.
   */
  returnToWatched?: boolean;
  /**
   * The folder's UIDVALIDITY as the caller's UIDs were read (`ListWindow.uidValidity`): a
   * folder that answers the SELECT with another was made again (or renumbered) since, and those
   * UIDs name other messages now (RFC 9051 §2.3.1.1), so fn is not run (FOLDER_CHANGED).
   */
  uidValidity?: string | undefined;
}
