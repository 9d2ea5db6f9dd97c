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
import type { SenderChecks } from "../trust/sender-check";
import { MailActions, type OneFlag } from "./actions";
import { UndoableActions } from "../actions/undoable-actions";
import { ImapConnection, type ImapAccountOptions } from "./connection";
import type { ImapContext } from "./context";
import { ConversationList } from "./conversations";
import { EventHub } from "./event-hub";
import { FirstRead } from "./first-read";
import { Folders, specialFolder, type FolderUse } from "./folders";
import { MessageList } from "./message-list";
import { readQuota } from "./quota";
import { ShownParts } from "./shown-parts";
import { downloadPart, openMessage, verifySender, type PartStream, type ReadingTrust } from "./reading";
import { ImapSearch } from "./search";

export interface ImapSessionOptions extends ImapAccountOptions {
  /** How often other folders' counts are refreshed (LIST-STATUS; imapflow has no NOTIFY). */
  statusIntervalMs?: number;
  /** Called after this session changed the folder tree, so sibling sessions of the same
   * account in this gateway can tell their browsers at once. */
  onTreeChanged?: () => void;
  /** The gateway's sender checks; without them messages open with no sender verdict. */
  senderChecks?: SenderChecks;
}

/**
 * One signed-in IMAP account: one persistent connection (./connection) and the layers over
 * it, each with one job: the folder tree, the message list, reading, acting on mail, quota.
 * Implements the router's ImapMailPort and the ComposeMailbox that drafts and sending use.
 */
export class ImapSession implements ImapMailPort {
  private readonly hub = new EventHub<MailEvent>();
  private readonly conn: ImapConnection;
  private readonly folderTree: Folders;
  private readonly messages: MessageList;
  /** What the listed rows' structures say each message shows: an open then costs one FETCH. */
  private readonly shownParts = new ShownParts();
  private readonly threads: ConversationList;
  private readonly actions: MailActions;
  private readonly undoable: UndoableActions;
  private readonly searcher: ImapSearch;
  private readonly firstRead: FirstRead;
  private statusTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: ImapSessionOptions) {
    this.conn = new ImapConnection({
      endpoint: opts.endpoint,
      user: opts.user,
      password: opts.password,
      tlsVerify: opts.tlsVerify,
      clientAddress: opts.clientAddress,
      log: opts.log,
      hub: this.hub,
      onFolderChanged: (path) => {
        this.messages.forget(path);
        this.threads.forget(path);
      },
    });
    this.folderTree = new Folders(this.conn, opts.onTreeChanged);
    this.messages = new MessageList(this.conn, this.shownParts);
    this.threads = new ConversationList(
      this.conn,
      [opts.user],
      true,
      `${opts.user.toLowerCase()}@${opts.endpoint.host}:${opts.endpoint.port}`,
    );
    this.actions = new MailActions(this.conn);
    this.undoable = new UndoableActions(this.conn, () => {
      this.hub.publish({ type: "folders" });
      opts.onTreeChanged?.();
    });
    this.searcher = new ImapSearch(this.conn, () => this.folderTree.listNow());
    this.firstRead = new FirstRead(this.conn);
  }

  /** The connection, for work beyond the port's own (applying a filter rule to a folder). */
  get context(): ImapContext {
    return this.conn;
  }

  /** Signs in; rejects with a MailError naming the cause (wrong password, unreachable, TLS). */
  async start(): Promise<void> {
    await this.conn.connection();
    this.statusTimer = setInterval(
      () => void this.folderTree.refreshCounts(),
      this.opts.statusIntervalMs ?? 20_000,
    );
    this.statusTimer.unref();
  }

  async close(reason: "SESSION_EXPIRED" | "NOT_SIGNED_IN" = "NOT_SIGNED_IN"): Promise<void> {
    if (this.statusTimer) clearInterval(this.statusTimer);
    await this.conn.close(reason);
  }

  /** An event from another session, passed to the pages by the caller: only what was cached goes. */
  heard(event: MailEvent): void {
    if (event.type !== "connection") this.conn.forgetFirstListing();
  }

  /** True while the IMAP connection is lost and being made again. */
  get reconnecting(): boolean {
    return this.conn.reconnecting;
  }

  events(signal: AbortSignal): AsyncIterable<MailEvent> {
    // A page that starts listening while the connection is lost learns it at once, not at the
    // next failed attempt (up to the back-off's longest delay later): its status says so.
    return this.hub.subscribe(
      signal,
      { type: "connection", state: "live" },
      { first: lostState(this.reconnecting) },
    );
  }

  watch(folder: string): Promise<void> {
    return this.conn.watch(folder);
  }

  folders(): Promise<Folder[]> {
    return this.folderTree.list();
  }

  createFolder(parentPath: string | null, name: string): Promise<string> {
    return this.folderTree.create(parentPath, name);
  }

  renameFolder(path: string, newName: string): Promise<string> {
    return this.folderTree.rename(path, newName);
  }

  deleteFolder(path: string): Promise<void> {
    return this.folderTree.delete(path);
  }

  setSubscribed(path: string, subscribed: boolean): Promise<void> {
    return this.folderTree.setSubscribed(path, subscribed);
  }

  specialFolder(use: FolderUse): Promise<string | null> {
    return specialFolder(this.conn, use);
  }

  async list(input: { folder: string; offset: number; limit: number; sort: ListSort }): Promise<ListWindow> {
    const window = await this.messages.window(input);
    this.firstRead.afterWindow(input.folder);
    return window;
  }

  async conversations(input: { folder: string; offset: number; limit: number }): Promise<ConversationWindow> {
    const window = await this.threads.window(input);
    this.firstRead.afterWindow(input.folder);
    return window;
  }

  uids(folder: string): Promise<UidRanges> {
    return this.messages.uids(folder);
  }

  open(folder: string, uid: number, opts: { peek: boolean; uidValidity?: string }): Promise<MessageDetail> {
    const trust = this.readingTrust();
    return openMessage(this.conn, folder, uid, {
      ...opts,
      shownParts: this.shownParts,
      ...(trust ? { trust } : {}),
    });
  }

  async verifySender(folder: string, uid: number): Promise<SenderVerdict | null> {
    const trust = this.readingTrust();
    return trust ? verifySender(this.conn, folder, uid, trust) : null;
  }

  private readingTrust(): ReadingTrust | null {
    const checks = this.opts.senderChecks;
    return checks ? { checks } : null;
  }

  download(folder: string, uid: number, part: string): Promise<PartStream> {
    return downloadPart(this.conn, folder, uid, part);
  }

  setFlags(
    folder: string,
    uids: number[],
    flags: { seen?: boolean; flagged?: boolean },
    options?: SetFlagsOptions,
  ): Promise<UidRanges> {
    return this.actions.setFlags(folder, uids, flags, options);
  }

  move(folder: string, uids: number[], to: string, uidValidity?: string): Promise<void> {
    return this.actions.move(folder, uids, to, uidValidity);
  }

  copy(folder: string, uids: number[], to: string, uidValidity?: string): Promise<void> {
    return this.actions.copy(folder, uids, to, uidValidity);
  }

  remove(folder: string, uids: number[], uidValidity?: string): Promise<{ permanently: boolean }> {
    return this.actions.remove(folder, uids, uidValidity);
  }

  act(request: MailActionRequest): Promise<MailActionResult> {
    return this.undoable.act(request);
  }

  emptyFolder(path: string, expected?: number): Promise<EmptyFolderResult> {
    return this.actions.emptyFolder(path, expected);
  }

  append(folder: string, raw: Buffer, flags: string[], date?: Date): Promise<number | null> {
    return this.actions.append(folder, raw, flags, date);
  }

  expunge(folder: string, uids: number[]): Promise<void> {
    return this.actions.expunge(folder, uids);
  }

  alreadyIn(folder: string, identities: readonly ImportIdentity[]): Promise<boolean[]> {
    return this.actions.alreadyIn(folder, identities);
  }

  flagOne(folder: string, uid: number, flag: OneFlag): Promise<boolean> {
    return this.actions.flagOne(folder, uid, flag);
  }

  search(input: ImapSearchRequest, signal: AbortSignal): AsyncIterable<ImapSearchEvent> {
    return this.searcher.run(input, signal);
  }

  searchRows(refs: Array<{ folder: string; uid: number }>): Promise<SearchRow[]> {
    return this.searcher.rows(refs);
  }

  /** `fn` is called when the server refuses the password on a reconnect (connection.ts). */
  whenSignInRefused(fn: () => void): void {
    this.conn.signInRefused = fn;
  }

  quota(): Promise<Quota | null> {
    return readQuota(this.conn);
  }
}

/** What a page that starts listening is told first about the connection: only that it is lost. */
export function lostState(reconnecting: boolean): MailEvent | undefined {
  return reconnecting ? { type: "connection", state: "reconnecting" } : undefined;
}
