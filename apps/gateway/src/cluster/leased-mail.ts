import type { ImapMailPort } from "@pismo/protocol/router";
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
import { EventHub } from "../imap/event-hub";
import type { ImapContext } from "../imap/context";
import type { ImapSession } from "../imap/imap-session";
import type { PartStream } from "../imap/reading";
import type { Logger } from "../log";

export interface LeasedMailDeps {
  /** A new, not yet started ImapSession for this session's account. */
  create(): ImapSession;
  /** Takes the session's lease (telling the gateway that held it to let go). */
  takeLease(): Promise<void>;
  /** Tells this account's other pages, on every gateway, of a change made here. */
  announce(event: MailEvent): void;
  /** The server refused the password when the connection was made again: end the session. */
  signInRefused?(): void;
  log: Logger;
}

/**
 * A session's mail on this gateway: the ImapSession (one IMAP connection) is opened when the
 * first call needs it, after taking the session's lease, and closed when another gateway takes
 * the lease over (`letGo`), to be opened again by the next call made here. The browser's event
 * stream outlives those connections: every ImapSession's events flow into one hub, so a
 * subscription survives a hand-over, and a reopened connection says "live", which makes the
 * page refetch what it shows.
 */
export class LeasedMail implements ImapMailPort, ComposeMailbox {
  private readonly hub = new EventHub<MailEvent>();
  private current: ImapSession | null = null;
  private pipe: AbortController | null = null;
  private opening: Promise<ImapSession> | null = null;
  private watched: string | null = null;
  private closed = false;

  constructor(private readonly deps: LeasedMailDeps) {}

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
          if (event.type !== "session-ended") this.hub.publish(event);
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
      await this.deps.takeLease();
      const imap = this.deps.create();
      await imap.start();
      if (this.closed) {
        await imap.close();
        throw new Error("session closed");
      }
      if (this.watched) await imap.watch(this.watched).catch(() => undefined);
      this.attach(imap);
      return imap;
    })().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  /** Another gateway took the lease: close this gateway's IMAP connection, keep the pages. */
  async letGo(): Promise<void> {
    const imap = this.current;
    this.current = null;
    this.pipe?.abort();
    this.pipe = null;
    if (imap) await imap.close().catch(() => undefined);
  }

  /** The session ended (sign-out, expiry): every page hears it, the connection closes. */
  async close(reason: "SESSION_EXPIRED" | "NOT_SIGNED_IN" = "NOT_SIGNED_IN"): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.publish({ type: "session-ended", reason });
    await this.letGo();
  }

  /** Events from elsewhere (this account's other sessions, on any gateway). */
  notify(event: MailEvent): void {
    this.current?.heard(event);
    this.hub.publish(event);
  }

  events(signal: AbortSignal): AsyncIterable<MailEvent> {
    // A page listening wants IDLE: the connection opens now, not at the page's first call.
    this.imap().catch((error: unknown) => this.deps.log.debug("cluster.open_failed", { error }));
    return this.hub.subscribe(signal, { type: "connection", state: "live" });
  }

  async watch(folder: string): Promise<void> {
    this.watched = folder;
    await (await this.imap()).watch(folder);
  }

  async folders(): Promise<Folder[]> {
    return (await this.imap()).folders();
  }

  async createFolder(parentPath: string | null, name: string): Promise<string> {
    return this.tree(await (await this.imap()).createFolder(parentPath, name));
  }

  async renameFolder(path: string, newName: string): Promise<string> {
    return this.tree(await (await this.imap()).renameFolder(path, newName));
  }

  async deleteFolder(path: string): Promise<void> {
    this.tree(await (await this.imap()).deleteFolder(path));
  }

  async setSubscribed(path: string, subscribed: boolean): Promise<void> {
    this.tree(await (await this.imap()).setSubscribed(path, subscribed));
  }

  async specialFolder(use: "trash" | "sent" | "drafts"): Promise<string | null> {
    return (await this.imap()).specialFolder(use);
  }

  async list(input: { folder: string; offset: number; limit: number; sort: ListSort }): Promise<ListWindow> {
    return (await this.imap()).list(input);
  }

  async uids(folder: string): Promise<UidRanges> {
    return (await this.imap()).uids(folder);
  }

  async open(folder: string, uid: number, opts: { peek: boolean }): Promise<MessageDetail> {
    const detail = await (await this.imap()).open(folder, uid, opts);
    if (!opts.peek) this.changed(folder);
    return detail;
  }

  async download(folder: string, uid: number, part: string): Promise<PartStream> {
    return (await this.imap()).download(folder, uid, part);
  }

  async setFlags(
    folder: string,
    uids: number[],
    flags: { seen?: boolean; flagged?: boolean },
  ): Promise<void> {
    await (await this.imap()).setFlags(folder, uids, flags);
    this.changed(folder);
  }

  async move(folder: string, uids: number[], to: string): Promise<void> {
    await (await this.imap()).move(folder, uids, to);
    this.changed(folder, to);
  }

  async copy(folder: string, uids: number[], to: string): Promise<void> {
    await (await this.imap()).copy(folder, uids, to);
    this.changed(to);
  }

  async remove(folder: string, uids: number[]): Promise<{ permanently: boolean }> {
    const result = await (await this.imap()).remove(folder, uids);
    this.changed(folder);
    this.deps.announce({ type: "folders" });
    return result;
  }

  async act(request: MailActionRequest): Promise<MailActionResult> {
    const result = await (await this.imap()).act(request);
    this.changed(request.folder, ...(result.to ? [result.to] : []));
    if (result.created || request.kind === "delete") this.deps.announce({ type: "folders" });
    return result;
  }

  async emptyFolder(path: string, expected?: number): Promise<EmptyFolderResult> {
    const result = await (await this.imap()).emptyFolder(path, expected);
    this.changed(path);
    return result;
  }

  async append(folder: string, raw: Buffer, flags: string[]): Promise<number | null> {
    const uid = await (await this.imap()).append(folder, raw, flags);
    this.changed(folder);
    return uid;
  }

  async expunge(folder: string, uids: number[]): Promise<void> {
    await (await this.imap()).expunge(folder, uids);
    this.changed(folder);
  }

  async markAnswered(folder: string, uid: number): Promise<void> {
    await (await this.imap()).markAnswered(folder, uid);
    this.changed(folder);
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

  private tree<T>(result: T): T {
    this.deps.announce({ type: "folders" });
    return result;
  }

  private changed(...folders: string[]): void {
    for (const folder of folders) this.deps.announce({ type: "changed", folder });
  }
}
