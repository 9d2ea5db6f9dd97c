import type { ImapMailPort, SetFlagsOptions } from "@pismo/protocol/router";
import type { ImportIdentity } from "@pismo/protocol/mime";
import type { EmptyFolderResult, MailActionRequest, MailActionResult } from "@pismo/protocol/actions";
import type {
  ConversationWindow,
  Folder,
  ImapSearchEvent,
  ImapSearchRequest,
  ListSort,
  ListWindow,
  MailEvent,
  MessageDetail,
  Quota,
  SearchRow,
  UidRanges,
} from "@pismo/protocol/schemas";
import type { SenderVerdict } from "@pismo/protocol/trust";
import type { ComposeMailbox } from "../compose/compose-session";
import type { FolderUse } from "../imap/folders";
import { EventHub } from "../imap/event-hub";
import type { ImapContext } from "../imap/context";
import { backoffDelayMs } from "../imap/backoff";
import { passwordRefused } from "../imap/connection";
import { lostState, type ImapSession } from "../imap/imap-session";
import type { OneFlag } from "../imap/actions";
import type { PartStream } from "../imap/reading";
import type { Logger } from "../log";

export interface LeasedMailDeps {
  /** A new, not yet started ImapSession for this session's account. */
  create(): ImapSession;
  /** Takes the session's lease (telling the gateway that held it to let go). */
  takeLease(): Promise<void>;
  /** Tells the account's other sessions (on every gateway), and this session's pages on the
   * other gateways, of a change made here; its pages here are told by LeasedMail itself. */
  announce(event: MailEvent): void;
  /** The server refused the password when the connection was made again: end the session. */
  signInRefused?(): void;
  log: Logger;
}

/** What a session's mail needs of the other gateways holding the session (SessionStore links it). */
export interface ClusterLink {
  /** True while another gateway holds the session's lease (and so its IMAP connection). */
  heldElsewhere(): Promise<boolean>;
  /** Passes what this gateway's IMAP connection says to the session's pages on the other
   * gateways (they hold no connection while this one does). */
  relay(event: MailEvent): void;
}

/**
 * A session's mail on this gateway: the ImapSession (one IMAP connection) is opened when the
 * first call needs it, then the session's lease is taken, and it is closed when another gateway
 * takes the lease over (`letGo`), to be opened again by the next call made here. The browser's
 * event stream outlives those connections: every ImapSession's events flow into one hub, so a
 * subscription survives a hand-over. The holder relays its connection's events to the session's
 * pages on other gateways (`relayed`), so a page hears IDLE wherever the connection is; a page
 * that only listens does not take the lease from a holder. A connection opened here while pages
 * listened says "live" to them (here only: a relayed "live" would make the other gateway's pages
 * refetch, take the lease back, and so on), which makes them refetch what they may have missed.
 * Each page calls through a view of its own (`forPage`), so that what it changes is told to
 * the session's other pages and not back to it.
 */
export class LeasedMail implements ImapMailPort, ComposeMailbox {
  private readonly hub = new EventHub<MailEvent>();
  private current: ImapSession | null = null;
  private pipe: AbortController | null = null;
  private opening: Promise<ImapSession> | null = null;
  private watched: string | null = null;
  private closed = false;
  private cluster: ClusterLink | null = null;
  /** Connections let go of, still telling for a moment (`letGo`); each ends early when called. */
  private readonly leaving = new Set<() => void>();
  /** Opens for listening pages that failed in a row (keepListened), and when to try again. */
  private listenFailures = 0;
  private listenRetryAt = 0;
  /** Of those, the server's password refusals in a row. */
  private listenRefusals = 0;
  /** The holder on another gateway said its connection is lost (and not yet that it is back). */
  private holderLost = false;
  /** How many times this gateway was told to let go (an open under way checks it). */
  private letGoCount = 0;
  /** How long a connection let go of for another gateway stays open (Dovecot's IDLE delay and more). */
  static handOverGraceMs = 1_500;

  constructor(private readonly deps: LeasedMailDeps) {}

  /** With a shared store: how this session's mail hears of, and speaks to, its other gateways. */
  link(cluster: ClusterLink): void {
    this.cluster = cluster;
  }

  /** Uses an ImapSession that is already started (sign-in opened it to check the password). */
  adopt(imap: ImapSession): void {
    this.attach(imap);
  }

  /** True while this gateway holds an IMAP connection for the session. */
  get held(): boolean {
    return this.current !== null;
  }

  private attach(imap: ImapSession): void {
    this.current = imap;
    const refused = this.deps.signInRefused;
    if (refused) imap.whenSignInRefused(() => refused());
    const pipe = new AbortController();
    this.pipe = pipe;
    void (async () => {
      try {
        for await (const event of imap.events(pipe.signal)) {
          // The connection's own end is not the session's: the session says so itself.
          if (event.type === "session-ended") continue;
          this.hub.publish(event);
          this.cluster?.relay(event);
        }
      } catch (error) {
        this.deps.log.debug("cluster.event_pipe_failed", { error });
      }
    })();
  }

  private imap(): Promise<ImapSession> {
    if (this.current) return Promise.resolve(this.current);
    if (this.closed) return Promise.reject(new Error("session closed"));
    this.opening ??= (async () => {
      // Opened before the lease is taken: the old holder relays until this connection watches,
      // so the pages there hear nothing missed between its close and this one's IDLE.
      const imap = this.deps.create();
      await imap.start();
      if (this.watched) await imap.watch(this.watched).catch(() => undefined);
      const letGoBefore = this.letGoCount;
      try {
        await this.deps.takeLease();
      } catch (error) {
        await imap.close().catch(() => undefined);
        throw error;
      }
      if (this.closed) {
        await imap.close();
        throw new Error("session closed");
      }
      this.attach(imap);
      if (this.hub.size > 0) this.hub.publish({ type: "connection", state: "live" });
      // Told to let go while the lease was being taken, with nothing yet to let go of: another
      // gateway may have taken it after this one. This connection answers the calls waiting
      // for it, then goes as if it had been open when told.
      if (this.letGoCount !== letGoBefore) void this.letGoUnlessHeldHere(imap);
      return imap;
    })().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  /** This gateway no longer holds the lease: close its IMAP connection, keep the pages. When
   * another gateway took it over (`handedOver`), the connection closes a moment later. */
  async letGo(opts: { handedOver?: boolean } = {}): Promise<void> {
    this.letGoCount += 1;
    const imap = this.current;
    const pipe = this.pipe;
    this.current = null;
    this.pipe = null;
    if (imap && opts.handedOver && !this.closed) {
      // Dovecot tells an IDLE connection of a change about 0.5 s late: mail that came just
      // before the new holder's SELECT is counted there, never told, and told only here. This
      // connection keeps telling (its pages, and the others by relay) a little longer.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.leaving.delete(done);
          resolve();
        };
        const timer = setTimeout(done, LeasedMail.handOverGraceMs);
        timer.unref();
        this.leaving.add(done);
      });
    }
    pipe?.abort();
    if (imap) await imap.close().catch(() => undefined);
  }

  private async letGoUnlessHeldHere(imap: ImapSession): Promise<void> {
    if (!(await this.cluster?.heldElsewhere().catch(() => false))) return;
    if (this.current === imap) await this.letGo({ handedOver: true });
  }

  /** The session ended (sign-out, expiry): every page hears it, the connection closes. */
  async close(reason: "SESSION_EXPIRED" | "NOT_SIGNED_IN" = "NOT_SIGNED_IN"): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.publish({ type: "session-ended", reason });
    for (const done of [...this.leaving]) done();
    await this.letGo();
  }

  /** Events from elsewhere (this account's other sessions, on any gateway). */
  notify(event: MailEvent): void {
    this.current?.heard(event);
    this.hub.publish(event);
  }

  /** What this session's IMAP connection said on the gateway that holds it. Dropped while a
   * connection is held here too (a hand-over under way): this one says the same. */
  relayed(event: MailEvent): void {
    if (event.type === "connection") this.holderLost = event.state === "reconnecting";
    if (!this.current) this.hub.publish(event);
  }

  /**
   * Pages listen here and no gateway holds the connection (its holder let go of the session or
   * stopped): opens it here, so they hear IDLE again. Does nothing while a holder is alive.
   */
  async keepListened(): Promise<void> {
    if (this.closed || this.current || this.opening || this.hub.size === 0) return;
    // A server that keeps refusing is asked again after the reconnect back-off, not every
    // check: a login storm against a server coming back, or auth failures piling up.
    if (Date.now() < this.listenRetryAt) return;
    if (await this.cluster?.heldElsewhere().catch(() => true)) return;
    try {
      await this.imap();
      this.listenFailures = 0;
      this.listenRetryAt = 0;
      this.listenRefusals = 0;
    } catch (error) {
      this.deps.log.debug("cluster.open_failed", { error });
      this.listenRetryAt = Date.now() + backoffDelayMs(this.listenFailures++);
      this.listenRefusals = passwordRefused(error) ? this.listenRefusals + 1 : 0;
      // Twice, as for a connection made again (ImapConnection): the password was changed.
      if (this.listenRefusals >= 2 && this.deps.signInRefused) {
        this.deps.signInRefused();
        return;
      }
      if (this.listenFailures === 1 && !this.closed)
        this.hub.publish({ type: "connection", state: "reconnecting" });
    }
  }

  /** The session's mail as one page (one WebSocket) calls it: see PageMail. */
  forPage(): PageMail {
    return new PageMail(this);
  }

  events(signal: AbortSignal, page?: PageMail): AsyncIterable<MailEvent> {
    const events = this.hub.subscribe(
      signal,
      { type: "connection", state: "live" },
      // Joining while the connection is lost (here, or the holder's elsewhere, or none could be
      // opened here): told at once (ImapSession.events).
      {
        owner: page,
        first: lostState(
          this.current ? this.current.reconnecting : this.listenFailures > 0 || this.holderLost,
        ),
      },
    );
    // A page listening wants IDLE: the connection opens now, not at the page's first call,
    // unless another gateway holds it (it relays what it hears).
    if (!this.current) void this.openUnlessHeldElsewhere();
    return events;
  }

  private async openUnlessHeldElsewhere(): Promise<void> {
    if (await this.cluster?.heldElsewhere().catch(() => false)) return;
    await this.imap().catch((error: unknown) => this.deps.log.debug("cluster.open_failed", { error }));
  }

  async watch(folder: string): Promise<void> {
    this.watched = folder;
    await (await this.imap()).watch(folder);
  }

  async folders(): Promise<Folder[]> {
    return (await this.imap()).folders();
  }

  async createFolder(parentPath: string | null, name: string, page?: PageMail): Promise<string> {
    return this.tree(await (await this.imap()).createFolder(parentPath, name), page);
  }

  async renameFolder(path: string, newName: string, page?: PageMail): Promise<string> {
    const imap = await this.imap();
    const before = imap.context.watched;
    const renamed = await imap.renameFolder(path, newName);
    this.followWatch(imap, before);
    return this.tree(renamed, page);
  }

  async deleteFolder(path: string, page?: PageMail): Promise<void> {
    const imap = await this.imap();
    const before = imap.context.watched;
    const deleted = await imap.deleteFolder(path);
    this.followWatch(imap, before);
    this.tree(deleted, page);
  }

  /** The folder watched after a rename or delete moved the connection's watch from `before`
   * (the renamed folder, or one under it, under its new path; the Inbox for a deleted one): a
   * connection opened again, or on another gateway, watches that, not a path that is no more.
   * Only a move of the folder asked for: a connection watching the Inbox for a moment (its
   * folder could not be opened) does not make the Inbox the one asked for. */
  private followWatch(imap: ImapSession, before: string): void {
    if (this.watched === before) this.watched = imap.context.watched;
  }

  async setSubscribed(path: string, subscribed: boolean, page?: PageMail): Promise<void> {
    this.tree(await (await this.imap()).setSubscribed(path, subscribed), page);
  }

  async specialFolder(use: FolderUse): Promise<string | null> {
    return (await this.imap()).specialFolder(use);
  }

  async list(input: { folder: string; offset: number; limit: number; sort: ListSort }): Promise<ListWindow> {
    return (await this.imap()).list(input);
  }

  async uids(folder: string): Promise<UidRanges> {
    return (await this.imap()).uids(folder);
  }

  async open(
    folder: string,
    uid: number,
    opts: { peek: boolean; uidValidity?: string },
    page?: PageMail,
  ): Promise<MessageDetail> {
    const detail = await (await this.imap()).open(folder, uid, opts);
    if (!opts.peek) this.changed(page, folder);
    return detail;
  }

  async download(folder: string, uid: number, part: string): Promise<PartStream> {
    return (await this.imap()).download(folder, uid, part);
  }

  async setFlags(
    folder: string,
    uids: number[],
    flags: { seen?: boolean; flagged?: boolean },
    options?: SetFlagsOptions,
    page?: PageMail,
  ): Promise<UidRanges> {
    const changed = await (await this.imap()).setFlags(folder, uids, flags, options);
    this.changed(page, folder);
    return changed;
  }

  async move(
    folder: string,
    uids: number[],
    to: string,
    uidValidity?: string,
    page?: PageMail,
  ): Promise<void> {
    await (await this.imap()).move(folder, uids, to, uidValidity);
    this.changed(page, folder, to);
  }

  async copy(
    folder: string,
    uids: number[],
    to: string,
    uidValidity?: string,
    page?: PageMail,
  ): Promise<void> {
    await (await this.imap()).copy(folder, uids, to, uidValidity);
    this.changed(page, to);
  }

  async remove(
    folder: string,
    uids: number[],
    uidValidity?: string,
    page?: PageMail,
  ): Promise<{ permanently: boolean }> {
    const result = await (await this.imap()).remove(folder, uids, uidValidity);
    this.changed(page, folder);
    this.tell({ type: "folders" }, page);
    return result;
  }

  async act(request: MailActionRequest, page?: PageMail): Promise<MailActionResult> {
    const result = await (await this.imap()).act(request);
    this.changed(page, request.folder, ...(result.to ? [result.to] : []));
    if (result.created || request.kind === "delete") this.tell({ type: "folders" }, page);
    return result;
  }

  async emptyFolder(path: string, expected?: number, page?: PageMail): Promise<EmptyFolderResult> {
    const result = await (await this.imap()).emptyFolder(path, expected);
    this.changed(page, path);
    return result;
  }

  // Drafts and sending (ComposeSession, one per session, called with the page that asked):
  // told to every page of the session but that one; to every page for a send held for Undo,
  // which goes out later, asked for by none.
  async append(
    folder: string,
    raw: Buffer,
    flags: string[],
    page?: PageMail,
    date?: Date,
  ): Promise<number | null> {
    const uid = await (await this.imap()).append(folder, raw, flags, date);
    this.changed(page, folder);
    return uid;
  }

  async alreadyIn(folder: string, identities: readonly ImportIdentity[]): Promise<boolean[]> {
    return (await this.imap()).alreadyIn(folder, identities);
  }

  async expunge(folder: string, uids: number[], page?: PageMail): Promise<void> {
    await (await this.imap()).expunge(folder, uids);
    this.changed(page, folder);
  }

  async flagOne(folder: string, uid: number, flag: OneFlag, page?: PageMail): Promise<boolean> {
    const set = await (await this.imap()).flagOne(folder, uid, flag);
    this.changed(page, folder);
    return set;
  }

  async quota(): Promise<Quota | null> {
    return (await this.imap()).quota();
  }

  async conversations(input: { folder: string; offset: number; limit: number }): Promise<ConversationWindow> {
    return (await this.imap()).conversations(input);
  }

  async verifySender(folder: string, uid: number): Promise<SenderVerdict | null> {
    return (await this.imap()).verifySender(folder, uid);
  }

  async *search(input: ImapSearchRequest, signal: AbortSignal): AsyncIterable<ImapSearchEvent> {
    yield* (await this.imap()).search(input, signal);
  }

  async searchRows(refs: Array<{ folder: string; uid: number }>): Promise<SearchRow[]> {
    return (await this.imap()).searchRows(refs);
  }

  /** The open connection's context, for work that drives IMAP itself (a rule applied to a folder). */
  async context(): Promise<ImapContext> {
    return (await this.imap()).context;
  }

  private tree<T>(result: T, page: PageMail | undefined): T {
    this.tell({ type: "folders" }, page);
    return result;
  }

  private changed(page: PageMail | undefined, ...folders: string[]): void {
    for (const folder of folders) this.tell({ type: "changed", folder }, page);
  }

  /**
   * A change made through this session: its pages here hear it at once, all but the page that
   * made it (`page`); the account's other pages, and this session's on other gateways, by
   * `announce`. Made by the session itself (a send held for Undo, a filter applied), it reaches
   * every page.
   */
  private tell(event: MailEvent, page: PageMail | undefined): void {
    this.hub.publish(event, page);
    this.deps.announce(event);
  }
}

/**
 * The session's mail as one page (one WebSocket, from `LeasedMail.forPage`) calls it: what the
 * page changes is told to the session's other pages (two tabs of one browser share a session),
 * not back to it. It has updated what it shows from the answer (use-imap-actions settles its
 * lists), and a "changed" of its own would fetch its lists once more after every action and
 * every message it opens.
 */
export class PageMail implements ImapMailPort {
  constructor(private readonly mail: LeasedMail) {}

  events(signal: AbortSignal): AsyncIterable<MailEvent> {
    return this.mail.events(signal, this);
  }

  watch(folder: string): Promise<void> {
    return this.mail.watch(folder);
  }

  folders(): Promise<Folder[]> {
    return this.mail.folders();
  }

  createFolder(parentPath: string | null, name: string): Promise<string> {
    return this.mail.createFolder(parentPath, name, this);
  }

  renameFolder(path: string, newName: string): Promise<string> {
    return this.mail.renameFolder(path, newName, this);
  }

  deleteFolder(path: string): Promise<void> {
    return this.mail.deleteFolder(path, this);
  }

  setSubscribed(path: string, subscribed: boolean): Promise<void> {
    return this.mail.setSubscribed(path, subscribed, this);
  }

  list(input: { folder: string; offset: number; limit: number; sort: ListSort }): Promise<ListWindow> {
    return this.mail.list(input);
  }

  conversations(input: { folder: string; offset: number; limit: number }): Promise<ConversationWindow> {
    return this.mail.conversations(input);
  }

  uids(folder: string): Promise<UidRanges> {
    return this.mail.uids(folder);
  }

  open(folder: string, uid: number, opts: { peek: boolean; uidValidity?: string }): Promise<MessageDetail> {
    return this.mail.open(folder, uid, opts, this);
  }

  verifySender(folder: string, uid: number): Promise<SenderVerdict | null> {
    return this.mail.verifySender(folder, uid);
  }

  setFlags(
    folder: string,
    uids: number[],
    flags: { seen?: boolean; flagged?: boolean },
    options?: SetFlagsOptions,
  ): Promise<UidRanges> {
    return this.mail.setFlags(folder, uids, flags, options, this);
  }

  move(folder: string, uids: number[], to: string, uidValidity?: string): Promise<void> {
    return this.mail.move(folder, uids, to, uidValidity, this);
  }

  copy(folder: string, uids: number[], to: string, uidValidity?: string): Promise<void> {
    return this.mail.copy(folder, uids, to, uidValidity, this);
  }

  remove(folder: string, uids: number[], uidValidity?: string): Promise<{ permanently: boolean }> {
    return this.mail.remove(folder, uids, uidValidity, this);
  }

  emptyFolder(path: string, expected?: number): Promise<EmptyFolderResult> {
    return this.mail.emptyFolder(path, expected, this);
  }

  act(request: MailActionRequest): Promise<MailActionResult> {
    return this.mail.act(request, this);
  }

  quota(): Promise<Quota | null> {
    return this.mail.quota();
  }

  search(input: ImapSearchRequest, signal: AbortSignal): AsyncIterable<ImapSearchEvent> {
    return this.mail.search(input, signal);
  }

  searchRows(refs: Array<{ folder: string; uid: number }>): Promise<SearchRow[]> {
    return this.mail.searchRows(refs);
  }
}
