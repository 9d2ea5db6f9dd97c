import {
  ImapFlow,
  type ImapFlowOptions,
  type ListResponse,
  type MailboxLockObject,
  type MailboxObject,
} from "imapflow";
import { MailError } from "@pismo/protocol/errors";
import type { MailEvent, ServerEndpoint } from "@pismo/protocol/schemas";
import type { Logger } from "../log";
import { toMailError } from "../mail-errors";
import { backoffDelayMs } from "./backoff";
import { commandError } from "./command-error";
import type { EventHub } from "./event-hub";
import { atOrUnder, renamedPath, type FolderRename, type ImapContext, type InFolderOptions } from "./context";
import { FirstScreen } from "./first-screen";
import { WatchedReturn, type SelectedState } from "./watched-return";

/** Which server, as whom, for which browser, and where the session logs. */
export interface ImapAccountOptions {
  endpoint: ServerEndpoint;
  user: string;
  password: string;
  tlsVerify: boolean;
  /** The browser's address, passed to the server with ID (RFC 2971) for its logs and limits. */
  clientAddress: string;
  log: Logger;
}

export interface ImapConnectionOptions extends ImapAccountOptions {
  hub: EventHub<MailEvent>;
  /** Called when the server says a folder's messages changed (EXISTS, EXPUNGE). */
  onFolderChanged(path: string): void;
}

/** What a folder listing asks of each folder (LIST-STATUS). */
export const FOLDER_STATUS = { messages: true, unseen: true } as const;
/**
 * Quiet time before IDLE starts again after a command (imapflow's autoIdleDelay) while the
 * first screen loads: the sign-in's burst (folders, quota, the first window) runs without an
 * IDLE broken between every two commands.
 */
export const FIRST_SCREEN_IDLE_DELAY_MS = 1_000;
/** How long after connecting the first screen counts as loading; then IDLE follows every command at once. */
export const FIRST_SCREEN_MS = 3_000;

/**
 * One ImapFlow connection, kept open while the session lives so that nothing is fetched
 * twice, IDLE on the folder the user looks at, reconnected with back-off when it drops.
 */
export class ImapConnection implements ImapContext {
  private client: ImapFlow | null = null;
  private connecting: Promise<ImapFlow> | null = null;
  private closed = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  /** Between the connection's loss and its return: what a page that starts listening is told. */
  private lost = false;
  private watchedPath = "INBOX";
  private readonly firstScreen = new FirstScreen();
  /** What changed in the watched folder while the connection was in another (see WatchedReturn). */
  private readonly watchedReturn = new WatchedReturn();
  /** ImapFlow's copy, move, store, expunge and (un)subscribe resolve `false` on a NO and only
   * log the server's answer: the logger below keeps it, so the user learns why (quota, a
   * missing folder) instead of a bare "refused". */
  private lastCommandError: unknown = null;
  /** Folders whose expunge notices are not published (withoutExpungeEvents), with how many ask. */
  private readonly quietFolders = new Map<string, number>();
  readonly log: Logger;
  readonly hub: EventHub<MailEvent>;

  constructor(private readonly opts: ImapConnectionOptions) {
    this.log = opts.log;
    this.hub = opts.hub;
    // Anything pushed or changed (new mail, flags, a folder made by another session) makes the
    // listing taken at connect out of date.
    this.hub.tap((event) => {
      if (event.type !== "connection") this.firstScreen.forgetListing();
    });
  }

  get watched(): string {
    return this.watchedPath;
  }

  /** True while the connection is lost and being made again (the pages were told "reconnecting"). */
  get reconnecting(): boolean {
    return this.lost && !this.closed;
  }

  /** Ends the connection for good and tells every browser the session is over. */
  async close(reason: "SESSION_EXPIRED" | "NOT_SIGNED_IN"): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.publish({ type: "session-ended", reason });
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    if (client) await client.logout().catch(() => client.close());
  }

  private options(): ImapFlowOptions {
    const { endpoint, user, password, tlsVerify, clientAddress } = this.opts;
    return {
      host: endpoint.host,
      port: endpoint.port,
      secure: endpoint.security === "tls",
      doSTARTTLS: endpoint.security === "starttls" ? true : endpoint.security === "none" ? false : undefined,
      servername: endpoint.host,
      auth: { user, pass: password },
      tls: { rejectUnauthorized: tlsVerify, minVersion: "TLSv1.2" },
      clientInfo: {
        name: "Pismo",
        vendor: "Pismo",
        "x-originating-ip": clientAddress,
      } as ImapFlowOptions["clientInfo"],
      logger: {
        warn: (entry: { err?: unknown } | undefined) => {
          if (entry?.err) this.lastCommandError = entry.err;
        },
        error: (entry: { err?: unknown } | undefined) => {
          if (entry?.err) this.log.debug("imap.client_error", { error: entry.err });
        },
      },
      qresync: true,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 5 * 60_000,
      // Set to 0 (IDLE right after each command, so pushed changes reach the browser at once)
      // once the first screen has loaded; see settleIdle.
      autoIdleDelay: FIRST_SCREEN_IDLE_DELAY_MS,
      maxIdleTime: 25 * 60_000,
    } as ImapFlowOptions;
  }

  connection(): Promise<ImapFlow> {
    if (this.client?.usable) return Promise.resolve(this.client);
    if (this.closed) return Promise.reject(new MailError("NOT_SIGNED_IN", "The session has ended"));
    this.connecting ??= (async () => {
      const client = new ImapFlow(this.options());
      client.on("error", (error: unknown) => this.log.debug("imap.error", { error }));
      try {
        await client.connect();
      } catch (error) {
        client.close();
        throw toMailError(error);
      }
      try {
        if (this.watchedPath === "INBOX") {
          // The Inbox is selected first, then the tree with its counts is listed (one LIST-STATUS,
          // RFC 5819): the Inbox's counts then come from the mailbox already open. Listed first,
          // the server opens the Inbox twice, once for its STATUS and again for SELECT, and on a
          // Maildir each opening reads the folder's whole UID list (Dovecot's dovecot-uidlist):
          // 55 ms per opening at 100,000 messages, 4 ms at 10,000.
          knowInbox(client);
          await this.openWatched(client);
          this.firstScreen.keepListing(await client.list({ statusQuery: FOLDER_STATUS }));
        } else {
          // After a drop while another folder was watched: the listing first tells imapflow that
          // folder, so it selects it without a LIST of its own (and falls back to the Inbox when
          // the folder is gone).
          this.firstScreen.keepListing(await client.list({ statusQuery: FOLDER_STATUS }));
          // IDLE resumes on the watched folder.
          await this.openWatched(client);
        }
      } catch (error) {
        // Logged in, but no folder to work in: the connection is of no use and must not stay
        // open holding the user's credentials and a server process while sign-in reports failure
        // (or, on a reconnect, while the back-off tries again with a new one).
        await client.logout().catch(() => client.close());
        throw inboxError(error);
      }
      if (this.closed) {
        // Signed out while this connection was being opened: nobody will close it later.
        await client.logout().catch(() => client.close());
        throw new MailError("NOT_SIGNED_IN", "The session has ended");
      }
      this.bind(client);
      this.client = client;
      this.settleIdle(client);
      this.attempt = 0;
      return client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  /**
   * After the first screen, IDLE follows every command at once: a reader's next request (or a
   * page asking more often than once a second) must never keep IDLE, and so the server's
   * pushes, away. imapflow reads `autoIdleDelay` each time it arms IDLE.
   */
  private settleIdle(client: ImapFlow): void {
    setTimeout(() => {
      (client as unknown as { autoIdleDelay: number }).autoIdleDelay = 0;
      // No first window asked for by now: the quota need not wait for one.
      this.firstWindowDone();
    }, FIRST_SCREEN_MS).unref();
  }

  /** Selects the watched folder, or the Inbox when that one cannot be opened any more (deleted
   * or made unreadable while the connection was down); the Inbox is then the one watched. */
  private async openWatched(client: ImapFlow): Promise<void> {
    if (this.watchedPath !== "INBOX") {
      try {
        await client.mailboxOpen(this.watchedPath);
        return;
      } catch (error) {
        this.log.debug("imap.watched_unavailable", { folder: this.watchedPath, error });
        this.watchedPath = "INBOX";
      }
    }
    await client.mailboxOpen("INBOX");
  }

  usableClient(): ImapFlow | null {
    return this.client?.usable ? this.client : null;
  }

  /** Something changed elsewhere (another session of the account): the connect-time listing is out of date. */
  forgetFirstListing(): void {
    this.firstScreen.forgetListing();
  }

  afterFirstWindow(): Promise<void> {
    return this.firstScreen.afterWindow();
  }

  firstWindowDone(): void {
    this.firstScreen.windowDone();
  }

  takeFirstListing(): ListResponse[] | null {
    return this.firstScreen.takeListing();
  }

  /** Turns what the server pushes (during IDLE or after any command) into events. */
  private bind(client: ImapFlow): void {
    this.watchedReturn.reset(client.mailbox ? selectedState(client.mailbox) : null);
    client.on("mailboxClose", (mailbox: MailboxObject) => {
      this.watchedReturn.closed(selectedState(mailbox), this.watchedPath);
    });
    client.on("mailboxOpen", (mailbox: MailboxObject) => {
      // Back in the folder the pages watch: what happened there meanwhile was not pushed.
      for (const event of this.watchedReturn.opened(selectedState(mailbox))) {
        this.opts.onFolderChanged(mailbox.path);
        this.hub.publish(event);
      }
    });
    client.on("exists", (e: { path: string; count: number; prevCount?: number }) => {
      this.watchedReturn.pushedExists(e.path, e.count, e.prevCount);
      this.opts.onFolderChanged(e.path);
      this.hub.publish({ type: "exists", folder: e.path, total: e.count });
    });
    client.on("expunge", (e: { path: string; uid?: number }) => {
      this.opts.onFolderChanged(e.path);
      if (this.quietFolders.has(e.path)) return;
      this.hub.publish({ type: "expunge", folder: e.path, uid: e.uid ?? null });
    });
    client.on("flags", (e: { path: string; uid?: number; modseq?: bigint; flags: Set<string> }) => {
      this.watchedReturn.pushedModseq(e.path, e.modseq);
      if (!e.uid) return;
      this.hub.publish({
        type: "flags",
        folder: e.path,
        uid: e.uid,
        seen: e.flags.has("\\Seen"),
        flagged: e.flags.has("\\Flagged"),
        answered: e.flags.has("\\Answered"),
      });
    });
    client.on("close", () => {
      if (this.client === client) this.client = null;
      if (!this.closed) this.scheduleReconnect();
    });
  }

  /**
   * Called when the server refuses the password on a reconnect (changed on another device, the
   * account closed): retrying cannot help, and the session is to end. Unset, it retries.
   */
  signInRefused: (() => void) | null = null;
  /** Reconnects in a row whose password the server refused. */
  private refusals = 0;

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.closed) return;
    this.lost = true;
    this.hub.publish({ type: "connection", state: "reconnecting" });
    const delay = backoffDelayMs(this.attempt++);
    this.log.info("imap.reconnect_scheduled", { delayMs: delay, attempt: this.attempt });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connection().then(
        () => {
          this.refusals = 0;
          this.lost = false;
          // The browser refetches what it shows: changes made while we were away are not lost.
          this.hub.publish({ type: "connection", state: "live" });
          this.hub.publish({ type: "folders" });
        },
        (error: unknown) => {
          // Twice in a row, and not "[UNAVAILABLE]": a server that cannot check passwords for
          // a moment (its login service restarting) answers NO too, and must not sign anyone out.
          const refused = this.signInRefused;
          this.refusals = passwordRefused(error) ? this.refusals + 1 : 0;
          if (refused && this.refusals >= 2) {
            this.log.warn("imap.reconnect_refused", { user: this.opts.user });
            refused();
            return;
          }
          this.scheduleReconnect();
        },
      );
    }, delay);
    this.reconnectTimer.unref();
  }

  /** Makes `folder` the one IDLE watches and selects it. */
  async watch(folder: string): Promise<void> {
    if (this.watchedPath === folder) return;
    const previous = this.watchedPath;
    this.watchedPath = folder;
    this.watchedReturn.watching(folder);
    const client = await this.connection();
    try {
      const lock = await client.getMailboxLock(folder);
      lock.release();
    } catch (error) {
      // A folder that cannot be selected is not watched: a failed SELECT leaves no folder
      // selected (RFC 9051 §6.3.2), so IDLE goes back to the folder it listened on before,
      // instead of every later command returning to the broken one and IDLE staying off.
      if (this.watchedPath === folder) this.watchedPath = previous;
      this.returnToWatched(client, folder);
      throw commandError(error, { folder });
    }
  }

  async awayFrom<T>(
    client: ImapFlow,
    path: string,
    change: () => Promise<T>,
    rename?: FolderRename<T>,
  ): Promise<T> {
    // Locked, not only selected: a page's list, a search and the return to the watched folder
    // all wait for the lock, so none selects `path` before the server answers (imapflow would
    // UNSELECT it for the DELETE, leaving nothing to IDLE on), and IDLE stays off meanwhile.
    // Away from the folders under `path` too: Dovecot ends the connection ("BYE") that has one
    // selected when the folder above is renamed.
    const lock = await this.lockAwayFrom(client, path, rename?.delimiter);
    let changed = false;
    let result: T | undefined;
    try {
      result = await change();
      changed = true;
      return result;
    } finally {
      // Only now: a refused DELETE or RENAME (NO [NOPERM], [ALREADYEXISTS], [SERVERBUG]) keeps the
      // folder watched, and selecting it again below tells what arrived meanwhile (WatchedReturn).
      // Compared now, not before: a page may have watched another folder while this waited.
      if (changed) this.followChange(path, rename ? { ...rename, result: result as T } : null);
      lock.release();
      this.returnToWatched(client, lock.path);
    }
  }

  /** The watch after `path` was deleted (`rename` null) or renamed. */
  private followChange<T>(path: string, rename: (FolderRename<T> & { result: T }) | null): void {
    const watched = this.watchedPath;
    if (rename) {
      // The renamed folder, or one under it ("Projects/2026" when "Projects" became "Work"),
      // under its new path: its pages keep hearing of it, and what came meanwhile is told once
      // it is selected again (Dovecot keeps a folder's UIDVALIDITY across a RENAME).
      const moved = renamedPath(watched, path, rename.newPath(rename.result), rename.delimiter);
      if (moved === null || moved === watched) return;
      this.watchedPath = moved;
      this.watchedReturn.moved(watched, moved);
    } else if (watched === path) {
      // A folder under a deleted one stays watched: Dovecot deletes the folder alone and keeps
      // those under it. One the server deleted too fails to select, and the Inbox is watched
      // instead (reselectWatched).
      this.watchedPath = "INBOX";
      this.watchedReturn.watching("INBOX");
    }
  }

  /** A lock on the watched folder (no SELECT when it is selected already), or on the Inbox when
   * the watched folder is `path` or under it, or cannot be opened. Without the `delimiter`, any
   * folder whose path starts with `path`'s is kept clear of (a SELECT more, for "Projects2"). */
  private async lockAwayFrom(
    client: ImapFlow,
    path: string,
    delimiter: string | undefined,
  ): Promise<MailboxLockObject> {
    const watched = this.watchedPath;
    const under = delimiter === undefined ? watched.startsWith(path) : atOrUnder(watched, path, delimiter);
    if (!under) {
      try {
        return await client.getMailboxLock(watched);
      } catch (error) {
        this.log.debug("imap.watched_unavailable", { folder: watched, error });
      }
    }
    try {
      return await client.getMailboxLock("INBOX");
    } catch (error) {
      // A failed SELECT leaves no folder selected (RFC 9051 §6.3.2): back to the watched one.
      this.returnToWatched(client, "INBOX");
      throw error;
    }
  }

  async inFolder<T>(
    folder: string,
    fn: (client: ImapFlow, mailbox: MailboxObject) => Promise<T>,
    options: InFolderOptions = {},
  ): Promise<T> {
    const client = await this.connection();
    try {
      const lock = await client.getMailboxLock(folder);
      try {
        const mailbox = client.mailbox as MailboxObject;
        refuseOtherUidValidity(folder, mailbox, options.uidValidity);
        return await fn(client, mailbox);
      } finally {
        lock.release();
      }
    } catch (error) {
      throw commandError(error, { folder });
    } finally {
      // Also after a failed SELECT, which leaves no folder selected and so nothing to IDLE on.
      if (options.returnToWatched !== false) this.returnToWatched(client, folder);
    }
  }

  async withoutExpungeEvents<T>(folder: string, fn: () => Promise<T>): Promise<T> {
    this.quietFolders.set(folder, (this.quietFolders.get(folder) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      const left = (this.quietFolders.get(folder) ?? 1) - 1;
      if (left > 0) this.quietFolders.set(folder, left);
      else this.quietFolders.delete(folder);
    }
  }

  returnToWatched(client: ImapFlow, folder: string): void {
    if (folder !== this.watchedPath) void this.reselectWatched(client);
  }

  private async reselectWatched(client: ImapFlow): Promise<void> {
    const folder = this.watchedPath;
    try {
      const lock = await client.getMailboxLock(folder);
      lock.release();
    } catch (error) {
      this.log.debug("imap.reselect_failed", { folder, error });
      if (!client.usable) return;
      // Another folder is watched since the lock was asked for (the one asked for was deleted
      // or renamed meanwhile, see awayFrom): that one, not the Inbox over a page's choice.
      if (this.watchedPath !== folder) await this.reselectWatched(client);
      // The watched folder went away (or became unreadable) behind our back: IDLE on the Inbox
      // rather than on nothing.
      else if (folder !== "INBOX") {
        this.watchedPath = "INBOX";
        await this.reselectWatched(client);
      }
    }
  }

  async onClient<T>(fn: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = await this.connection();
    try {
      return await fn(client);
    } catch (error) {
      throw toMailError(error);
    }
  }

  async must<T>(
    what: string,
    run: () => Promise<T | false | undefined>,
    context: { folder?: string } = {},
  ): Promise<T> {
    this.lastCommandError = null;
    const result = await run();
    if (result !== false && result !== undefined) return result;
    const cause = this.lastCommandError;
    this.lastCommandError = null;
    if (cause) throw commandError(cause, context);
    throw new MailError("SERVER_REFUSED", `The server refused to ${what}`);
  }
}

/**
 * UIDs read with another UIDVALIDITY than the folder's now name other messages (the folder was
 * deleted and made again elsewhere, or the server renumbered it): nothing is done with them.
 * Compared as the list windows say it (`String(mailbox.uidValidity)`, message-list.ts).
 */
export function refuseOtherUidValidity(
  folder: string,
  mailbox: Pick<MailboxObject, "uidValidity">,
  expected: string | undefined,
): void {
  if (expected === undefined || String(mailbox.uidValidity) === expected) return;
  throw new MailError(
    "FOLDER_CHANGED",
    `${folder} was changed on another device (UIDVALIDITY ${String(mailbox.uidValidity)}, not ${expected}): nothing was done`,
  );
}

/** The fields of a SELECT that tell whether a folder changed since (imapflow's mailbox). */
function selectedState(mailbox: MailboxObject): SelectedState {
  return {
    path: mailbox.path,
    uidValidity: mailbox.uidValidity,
    uidNext: mailbox.uidNext,
    exists: mailbox.exists,
    highestModseq: mailbox.highestModseq,
  };
}

/**
 * Tells imapflow the Inbox before any LIST, so that its SELECT is not preceded by a
 * `LIST "" INBOX` of its own (imapflow looks a folder up in what it last listed, else lists it).
 * The Inbox always exists (RFC 9051 §5.1); its hierarchy delimiter is the personal namespace's
 * (NAMESPACE, RFC 2342, which imapflow asks at connect). The LIST-STATUS after the SELECT then
 * replaces this entry with the server's own.
 */
function knowInbox(client: ImapFlow): void {
  const known = (client as unknown as { folders?: Map<string, ListResponse> }).folders;
  if (!(known instanceof Map) || known.has("INBOX")) return;
  known.set("INBOX", {
    path: "INBOX",
    pathAsListed: "INBOX",
    name: "INBOX",
    delimiter: client.namespace?.delimiter ?? "/",
    parent: [],
    parentPath: "",
    flags: new Set<string>(),
    specialUse: "\\Inbox",
    specialUseSource: "name",
    listed: true,
    subscribed: true,
  });
}

/** Why a sign-in (or reconnect) failed after LOGIN succeeded: the first SELECT of the Inbox was
 * refused. Said as such, since the address and password were right. Transport failures keep
 * their own code. */
function inboxError(error: unknown): MailError {
  const mapped = commandError(error, { folder: "INBOX" });
  if (mapped.code !== "SERVER_REFUSED" && mapped.code !== "NOT_FOUND" && mapped.code !== "INTERNAL")
    return mapped;
  const text = (error as { responseText?: unknown } | null)?.responseText;
  return new MailError(
    "SERVER_REFUSED",
    `The server accepted the sign-in but could not open the Inbox${typeof text === "string" && text ? ` (${text})` : ""}`,
    { cause: error },
  );
}

/** The server said the password is wrong: not a login it could not check now ([UNAVAILABLE]). */
export function passwordRefused(error: unknown): boolean {
  const mapped = toMailError(error);
  if (mapped.code !== "AUTH_FAILED") return false;
  const cause = (mapped.cause ?? error) as { serverResponseCode?: unknown } | null;
  const code = typeof cause?.serverResponseCode === "string" ? cause.serverResponseCode.toUpperCase() : "";
  return code !== "UNAVAILABLE";
}
