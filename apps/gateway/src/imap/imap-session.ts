import { ImapFlow, type FetchMessageObject, type ImapFlowOptions, type MailboxObject } from "imapflow";
import type { Readable } from "node:stream";
import { MailError } from "@pismo/protocol/errors";
import { decodeTextPart, pickDisplayParts, type BodyStructureNode } from "@pismo/protocol/mime";
import type { ImapMailPort } from "@pismo/protocol/router";
import type {
  Folder,
  ListSort,
  ListWindow,
  MailEvent,
  MessageDetail,
  Quota,
  ServerEndpoint,
} from "@pismo/protocol/schemas";
import type { Logger } from "../log";
import { toMailError } from "../mail-errors";
import { backoffDelayMs } from "./backoff";
import { EventHub } from "./event-hub";
import { dateOf, sortFolders, toAddress, toAddresses, toFolder, toSummary } from "./to-domain";

export interface ImapSessionOptions {
  endpoint: ServerEndpoint;
  user: string;
  password: string;
  tlsVerify: boolean;
  /** The browser's address, passed to the server with ID (RFC 2971) for its logs and limits. */
  clientAddress: string;
  log: Logger;
  /** How often other folders' counts are refreshed (LIST-STATUS; imapflow has no NOTIFY). */
  statusIntervalMs?: number;
  /** Called after this session changed the folder tree, so sibling sessions of the same
   * account in this gateway can tell their browsers at once. */
  onTreeChanged?: () => void;
}

/** Body text shown at most; longer texts are cut with a note (the rest stays on the server). */
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const LIST_FETCH_QUERY = {
  uid: true,
  flags: true,
  envelope: true,
  size: true,
  bodyStructure: true,
  internalDate: true,
} as const;

/**
 * One signed-in IMAP account: one ImapFlow connection, kept open while the session lives
 * (seed point 9), IDLE on the folder the user looks at, reconnected with back-off when it
 * drops. Implements the router's ImapMailPort.
 */
export class ImapSession implements ImapMailPort {
  private client: ImapFlow | null = null;
  private connecting: Promise<ImapFlow> | null = null;
  private closed = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private watched = "INBOX";
  private lastCounts = new Map<string, string>();
  private sortCache = new Map<string, { key: string; uids: number[] }>();
  private readonly hub = new EventHub<MailEvent>();
  /** ImapFlow's copy, move, store, expunge and (un)subscribe resolve `false` on a NO and only
   * log the server's answer: the logger below keeps it, so the user learns why (quota, a
   * missing folder) instead of a bare "refused". */
  private lastCommandError: unknown = null;
  private readonly opts: ImapSessionOptions;

  constructor(opts: ImapSessionOptions) {
    this.opts = opts;
  }

  /** Signs in; rejects with a MailError naming the cause (wrong password, unreachable, TLS). */
  async start(): Promise<void> {
    await this.connection();
    this.statusTimer = setInterval(() => void this.refreshCounts(), this.opts.statusIntervalMs ?? 20_000);
    this.statusTimer.unref();
  }

  async close(reason: "SESSION_EXPIRED" | "NOT_SIGNED_IN" = "NOT_SIGNED_IN"): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.publish({ type: "session-ended", reason });
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.statusTimer) clearInterval(this.statusTimer);
    const client = this.client;
    this.client = null;
    if (client) await client.logout().catch(() => client.close());
  }

  /** Other sessions of the same account in this gateway call this after a folder change. */
  notify(event: MailEvent): void {
    this.hub.publish(event);
  }

  events(signal: AbortSignal): AsyncIterable<MailEvent> {
    return this.hub.subscribe(signal, { type: "connection", state: "live" });
  }

  // ---- connection ----------------------------------------------------------------------

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
          if (entry?.err) this.opts.log.debug("imap.client_error", { error: entry.err });
        },
      },
      qresync: true,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 5 * 60_000,
      // IDLE right after each command: pushed changes reach the browser without polling.
      autoIdleDelay: 0,
      maxIdleTime: 25 * 60_000,
    } as ImapFlowOptions;
  }

  private connection(): Promise<ImapFlow> {
    if (this.client?.usable) return Promise.resolve(this.client);
    if (this.closed) return Promise.reject(new MailError("NOT_SIGNED_IN", "The session has ended"));
    this.connecting ??= (async () => {
      const client = new ImapFlow(this.options());
      client.on("error", (error: unknown) => this.opts.log.debug("imap.error", { error }));
      try {
        await client.connect();
      } catch (error) {
        client.close();
        throw toMailError(error);
      }
      this.bind(client);
      this.client = client;
      this.attempt = 0;
      // IDLE starts on the watched folder from the first moment (and, after a drop, resumes there).
      await client.mailboxOpen(this.watched).catch(() => client.mailboxOpen("INBOX"));
      return client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private bind(client: ImapFlow): void {
    client.on("exists", (e: { path: string; count: number }) => {
      this.sortCache.delete(e.path);
      this.hub.publish({ type: "exists", folder: e.path, total: e.count });
    });
    client.on("expunge", (e: { path: string; uid?: number }) => {
      this.sortCache.delete(e.path);
      this.hub.publish({ type: "expunge", folder: e.path, uid: e.uid ?? null });
    });
    client.on("flags", (e: { path: string; uid?: number; flags: Set<string> }) => {
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

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.closed) return;
    this.hub.publish({ type: "connection", state: "reconnecting" });
    const delay = backoffDelayMs(this.attempt++);
    this.opts.log.info("imap.reconnect_scheduled", { delayMs: delay, attempt: this.attempt });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connection().then(
        () => {
          // The browser refetches what it shows: changes made while we were away are not lost.
          this.hub.publish({ type: "connection", state: "live" });
          this.hub.publish({ type: "folders" });
        },
        () => this.scheduleReconnect(),
      );
    }, delay);
    this.reconnectTimer.unref();
  }

  /** Runs fn with the folder selected; afterwards the watched folder is selected again so
   * that IDLE keeps listening where the user is looking. */
  private async inFolder<T>(
    folder: string,
    fn: (client: ImapFlow, mailbox: MailboxObject) => Promise<T>,
  ): Promise<T> {
    const client = await this.connection();
    try {
      const lock = await client.getMailboxLock(folder);
      try {
        return await fn(client, client.mailbox as MailboxObject);
      } finally {
        lock.release();
      }
    } catch (error) {
      throw commandError(error, { folder });
    } finally {
      // Also after a failed SELECT, which leaves no folder selected and so nothing to IDLE on.
      if (folder !== this.watched) void this.reselectWatched(client);
    }
  }

  private async reselectWatched(client: ImapFlow): Promise<void> {
    try {
      const lock = await client.getMailboxLock(this.watched);
      lock.release();
    } catch (error) {
      this.opts.log.debug("imap.reselect_failed", { error });
    }
  }

  private async onClient<T>(fn: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = await this.connection();
    try {
      return await fn(client);
    } catch (error) {
      throw toMailError(error);
    }
  }

  /** Runs one ImapFlow command that reports failure as `false` (or undefined) and turns that
   * into the server's reason. */
  private async must<T>(
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

  // ---- folders (seed point 6) ------------------------------------------------------------

  async folders(): Promise<Folder[]> {
    return this.onClient(async (client) => {
      // One LIST-STATUS (RFC 5819) gives the tree and every count in a single round trip.
      const entries = await client.list({ statusQuery: { messages: true, unseen: true } });
      const folders = sortFolders(entries.map(toFolder));
      for (const f of folders) this.lastCounts.set(f.path, `${f.messages}/${f.unseen}`);
      return folders;
    });
  }

  private async refreshCounts(): Promise<void> {
    if (!this.client?.usable || this.hub.size === 0) return;
    try {
      const entries = await this.client.list({ statusQuery: { messages: true, unseen: true } });
      const seen = new Set<string>();
      let changedTree = entries.length !== this.lastCounts.size;
      for (const entry of entries) {
        const f = toFolder(entry);
        seen.add(f.path);
        const key = `${f.messages}/${f.unseen}`;
        const before = this.lastCounts.get(f.path);
        if (before === undefined) changedTree = true;
        else if (before !== key)
          this.hub.publish({ type: "counts", folder: f.path, messages: f.messages, unseen: f.unseen });
        this.lastCounts.set(f.path, key);
      }
      for (const path of [...this.lastCounts.keys()])
        if (!seen.has(path)) {
          this.lastCounts.delete(path);
          changedTree = true;
        }
      if (changedTree) this.hub.publish({ type: "folders" });
    } catch (error) {
      this.opts.log.debug("imap.status_failed", { error });
    }
  }

  async createFolder(parentPath: string | null, name: string): Promise<string> {
    return this.onClient(async (client) => {
      const delimiter = await this.delimiter(client);
      if (name.includes(delimiter))
        throw new MailError("BAD_INPUT", `A folder name cannot contain "${delimiter}"`);
      const path = parentPath ? `${parentPath}${delimiter}${name}` : name;
      const created = await client.mailboxCreate(path);
      // imapflow resolves (created: false) when the server says ALREADYEXISTS.
      if (!created.created) throw new MailError("BAD_INPUT", `A folder "${created.path}" already exists`);
      await client.mailboxSubscribe(created.path).catch(() => undefined);
      this.treeChanged();
      return created.path;
    });
  }

  async renameFolder(path: string, newName: string): Promise<string> {
    return this.onClient(async (client) => {
      if (path.toUpperCase() === "INBOX") throw new MailError("BAD_INPUT", "The Inbox cannot be renamed");
      const delimiter = await this.delimiter(client);
      if (newName.includes(delimiter))
        throw new MailError("BAD_INPUT", `A folder name cannot contain "${delimiter}"`);
      const cut = path.lastIndexOf(delimiter);
      const newPath = cut >= 0 ? `${path.slice(0, cut + 1)}${newName}` : newName;
      if (this.watched === path) {
        this.watched = "INBOX";
        await client.mailboxOpen("INBOX");
      }
      const renamed = await client.mailboxRename(path, newPath);
      await client.mailboxSubscribe(renamed.newPath).catch(() => undefined);
      this.treeChanged();
      return renamed.newPath;
    });
  }

  async deleteFolder(path: string): Promise<void> {
    await this.onClient(async (client) => {
      if (path.toUpperCase() === "INBOX") throw new MailError("BAD_INPUT", "The Inbox cannot be deleted");
      if (this.watched === path) {
        this.watched = "INBOX";
        await client.mailboxOpen("INBOX");
      }
      await client.mailboxUnsubscribe(path).catch(() => undefined);
      await client.mailboxDelete(path);
      this.treeChanged();
    });
  }

  async setSubscribed(path: string, subscribed: boolean): Promise<void> {
    await this.onClient(async (client) => {
      if (subscribed) await this.must("subscribe", () => client.mailboxSubscribe(path), { folder: path });
      else await this.must("unsubscribe", () => client.mailboxUnsubscribe(path), { folder: path });
      this.treeChanged();
    });
  }

  private treeChanged(): void {
    this.hub.publish({ type: "folders" });
    this.opts.onTreeChanged?.();
  }

  private async delimiter(client: ImapFlow): Promise<string> {
    const inbox = (await client.list()).find((e) => e.path.toUpperCase() === "INBOX");
    return inbox?.delimiter ?? "/";
  }

  async watch(folder: string): Promise<void> {
    if (this.watched === folder) return;
    this.watched = folder;
    await this.onClient(async (client) => {
      const lock = await client.getMailboxLock(folder);
      lock.release();
    });
  }

  // ---- the message list (seed point 9: only a window is fetched) ---------------------------

  async list(input: { folder: string; offset: number; limit: number; sort: ListSort }): Promise<ListWindow> {
    const { folder, offset, limit, sort } = input;
    return this.inFolder(folder, async (client, mailbox) => {
      // No NOOP first: a change the server has not told yet arrives by IDLE within half a
      // second and refreshes this window, so polling here would only cost a command.
      const total = mailbox.exists;
      const base = { folder, total, offset, uidValidity: String(mailbox.uidValidity) };
      if (total === 0 || offset >= total) return { ...base, messages: [] };

      if (sort === "arrival") {
        // Sequence numbers follow arrival (RFC 9051 §2.3.1.2): the newest window is a plain
        // range, so one FETCH and nothing proportional to the folder's size.
        const hi = total - offset;
        const lo = Math.max(1, hi - limit + 1);
        const rows = await client.fetchAll(`${lo}:${hi}`, LIST_FETCH_QUERY);
        rows.sort((a, b) => b.seq - a.seq);
        return { ...base, messages: rows.map(toSummary) };
      }

      const uids = await this.sortedUids(client, folder, mailbox, sort);
      const slice = uids.slice(offset, offset + limit);
      if (slice.length === 0) return { ...base, messages: [] };
      const rows = await client.fetchAll(slice.join(","), LIST_FETCH_QUERY, { uid: true });
      const byUid = new Map<number, FetchMessageObject>(rows.map((r) => [r.uid, r]));
      return {
        ...base,
        messages: slice.flatMap((uid) => {
          const r = byUid.get(uid);
          return r ? [toSummary(r)] : [];
        }),
      };
    });
  }

  /** Server-side SORT (RFC 5256), cached until the folder changes. Sorting by date or size
   * needs the whole order once; paging through it then costs one FETCH per window. */
  private async sortedUids(
    client: ImapFlow,
    folder: string,
    mailbox: MailboxObject,
    sort: ListSort,
  ): Promise<number[]> {
    const key = `${sort}:${String(mailbox.uidValidity)}:${mailbox.exists}:${String(mailbox.uidNext)}:${String(mailbox.highestModseq ?? "")}`;
    const cached = this.sortCache.get(folder);
    if (cached?.key === key) return cached.uids;
    const criterion = sort === "size" ? "SIZE" : "DATE";
    let uids: number[] = [];
    if (client.capabilities.has("SORT")) {
      await execRaw(
        client,
        "UID SORT",
        [
          [
            { type: "ATOM", value: "REVERSE" },
            { type: "ATOM", value: criterion },
          ],
          { type: "ATOM", value: "UTF-8" },
          { type: "ATOM", value: "ALL" },
        ],
        {
          SORT: (untagged: { attributes?: Array<{ value?: string }> }) => {
            uids = (untagged.attributes ?? [])
              .map((a) => Number(a.value))
              .filter((n) => Number.isInteger(n) && n > 0);
            return Promise.resolve();
          },
        },
      );
    } else {
      // Without SORT, fetch the one attribute and sort here.
      const rows = await client.fetchAll("1:*", { uid: true, size: true, internalDate: true });
      rows.sort((a, b) =>
        sort === "size"
          ? (b.size ?? 0) - (a.size ?? 0)
          : (dateOf(b.internalDate) ?? "").localeCompare(dateOf(a.internalDate) ?? ""),
      );
      uids = rows.map((r) => r.uid);
    }
    this.sortCache.set(folder, { key, uids });
    return uids;
  }

  // ---- reading (seed points 8 and 9) -------------------------------------------------------

  async open(folder: string, uid: number, opts: { peek: boolean }): Promise<MessageDetail> {
    return this.inFolder(folder, async (client) => {
      const msg = await client.fetchOne(
        String(uid),
        {
          uid: true,
          flags: true,
          envelope: true,
          size: true,
          bodyStructure: true,
          internalDate: true,
          headers: ["references"],
        },
        { uid: true },
      );
      if (!msg) throw new MailError("NOT_FOUND", `No message ${uid} in ${folder}`);
      const structure = (msg.bodyStructure ?? { type: "text/plain" }) as BodyStructureNode;
      const parts = pickDisplayParts(structure);
      const shown = parts.html ?? parts.text;
      let body: MessageDetail["body"] = { kind: "none", content: "", charsetNote: null, truncated: false };
      if (shown) {
        // Fetch exactly the one part shown; BODY.PEEK so the fetch itself sets no flag.
        const { meta, content } = await client.download(String(uid), shown.part, {
          uid: true,
          maxBytes: MAX_BODY_BYTES,
        });
        const bytes = await readAll(content as Readable, MAX_BODY_BYTES);
        const decoded = decodeTextPart(bytes.data, meta?.charset ?? shown.charset ?? undefined);
        body = {
          kind: shown === parts.html ? "html" : "text",
          content: decoded.text,
          charsetNote: decoded.note ? decoded.note.detail : null,
          truncated: bytes.truncated || (shown.size !== null && shown.size > MAX_BODY_BYTES),
        };
      }
      let seen = msg.flags?.has("\\Seen") ?? false;
      if (!opts.peek && !seen) {
        // Seed point 8: read here means read on the server, so on every device.
        await this.must("mark the message read", () =>
          client.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true }),
        );
        seen = true;
      }
      return {
        folder,
        uid,
        messageId: msg.envelope?.messageId ?? null,
        subject: msg.envelope?.subject ?? "",
        from: toAddress(msg.envelope?.from?.[0]),
        replyTo: toAddresses(msg.envelope?.replyTo),
        to: toAddresses(msg.envelope?.to),
        cc: toAddresses(msg.envelope?.cc),
        date: dateOf(msg.envelope?.date) ?? dateOf(msg.internalDate),
        inReplyTo: msg.envelope?.inReplyTo ?? null,
        // The References header (not in ENVELOPE), fetched in the same command: ids with their <>.
        references: msg.headers
          ? (msg.headers
              .toString("latin1")
              .replace(/\r?\n[ \t]+/g, " ")
              .match(/<[^<>\s]+>/g) ?? [])
          : [],
        size: msg.size ?? 0,
        seen,
        flagged: msg.flags?.has("\\Flagged") ?? false,
        body,
        attachments: [
          ...parts.attachments.map((a) => ({
            part: a.part,
            filename: a.filename ?? "",
            mimeType: a.mimeType,
            size: a.size ?? 0,
            contentId: a.contentId,
            inline: a.disposition === "inline",
            isMessage: a.isMessage,
          })),
          ...parts.inlineImages.map((i) => ({
            part: i.part,
            filename: "",
            mimeType: i.mimeType,
            size: i.size ?? 0,
            contentId: i.contentId,
            inline: true,
            isMessage: false,
          })),
        ],
      };
    });
  }

  /** Streams one part (an attachment, an inline image) with its transfer encoding undone and
   * its bytes untouched. The caller must consume or destroy the stream; the folder lock is
   * held until then. */
  async download(
    folder: string,
    uid: number,
    part: string,
  ): Promise<{ stream: Readable; mimeType: string; filename: string | null; size: number | null }> {
    const client = await this.connection();
    let lock: { release(): void } | null = null;
    try {
      lock = await client.getMailboxLock(folder);
      const { meta, content } = await client.download(String(uid), part, {
        uid: true,
        decodeText: false,
      } as never);
      if (!content) throw new MailError("NOT_FOUND", "No such part");
      const held = lock;
      const release = () => {
        held.release();
        if (folder !== this.watched) void this.reselectWatched(client);
      };
      content.once("close", release);
      content.once("end", release);
      lock = null;
      return {
        stream: content as Readable,
        mimeType: meta?.contentType ?? "application/octet-stream",
        filename: meta?.filename ?? null,
        size: meta?.expectedSize ?? null,
      };
    } catch (error) {
      lock?.release();
      throw toMailError(error);
    }
  }

  // ---- acting on mail (seed point 8) -------------------------------------------------------

  async setFlags(
    folder: string,
    uids: number[],
    flags: { seen?: boolean; flagged?: boolean },
  ): Promise<void> {
    await this.inFolder(folder, async (client) => {
      const range = uids.join(",");
      const add: string[] = [];
      const remove: string[] = [];
      if (flags.seen !== undefined) (flags.seen ? add : remove).push("\\Seen");
      if (flags.flagged !== undefined) (flags.flagged ? add : remove).push("\\Flagged");
      if (add.length)
        await this.must("set the flags", () => client.messageFlagsAdd(range, add, { uid: true }));
      if (remove.length)
        await this.must("clear the flags", () => client.messageFlagsRemove(range, remove, { uid: true }));
    });
  }

  async move(folder: string, uids: number[], to: string): Promise<void> {
    await this.inFolder(folder, async (client) => {
      await this.must(
        `move the messages to ${to}`,
        () => client.messageMove(uids.join(","), to, { uid: true }),
        { folder: to },
      );
    });
  }

  async copy(folder: string, uids: number[], to: string): Promise<void> {
    await this.inFolder(folder, async (client) => {
      await this.must(
        `copy the messages to ${to}`,
        () => client.messageCopy(uids.join(","), to, { uid: true }),
        { folder: to },
      );
    });
  }

  async remove(folder: string, uids: number[]): Promise<{ permanently: boolean }> {
    const trash = await this.specialFolder("trash");
    if (trash && trash !== folder) {
      await this.move(folder, uids, trash);
      return { permanently: false };
    }
    await this.inFolder(folder, async (client) => {
      await this.must("delete the messages", () => client.messageDelete(uids.join(","), { uid: true }));
    });
    return { permanently: true };
  }

  async emptyFolder(path: string): Promise<void> {
    await this.inFolder(path, async (client, mailbox) => {
      if (mailbox.exists > 0) await this.must(`empty ${path}`, () => client.messageDelete("1:*"));
    });
  }

  /** APPEND (RFC 9051 §6.3.12); returns the new UID where the server says it (UIDPLUS). */
  async append(folder: string, raw: Buffer, flags: string[]): Promise<number | null> {
    return this.onClient(async (client) => {
      const result = await this.must(
        `save the message in ${folder}`,
        () => client.append(folder, raw, flags),
        { folder },
      );
      return typeof result.uid === "number" ? result.uid : null;
    });
  }

  /** Deletes for good, not to Trash: drafts that were replaced or sent. */
  async expunge(folder: string, uids: number[]): Promise<void> {
    await this.inFolder(folder, async (client) => {
      await this.must("delete the messages", () => client.messageDelete(uids.join(","), { uid: true }));
    });
  }

  /** \Answered on the message a reply answered (RFC 9051 §2.3.2). */
  async markAnswered(folder: string, uid: number): Promise<void> {
    await this.inFolder(folder, async (client) => {
      await this.must("mark the message answered", () =>
        client.messageFlagsAdd(String(uid), ["\\Answered"], { uid: true }),
      );
    });
  }

  async specialFolder(use: "trash" | "sent" | "drafts"): Promise<string | null> {
    const folders = await this.onClient((client) => client.list());
    const hit = folders.map(toFolder).find((f) => f.specialUse === use);
    return hit?.path ?? null;
  }

  // ---- quota (seed point 7) ----------------------------------------------------------------

  async quota(): Promise<Quota | null> {
    return this.onClient(async (client) => {
      if (!client.capabilities.has("QUOTA")) return null;
      const q = await client.getQuota("INBOX");
      if (!q || !q.storage || !q.storage.limit) return null;
      return { usedBytes: q.storage.usage ?? 0, limitBytes: q.storage.limit };
    });
  }
}

/** A failed command's error as the user should hear it: a target folder that does not exist
 * (TRYCREATE, RFC 9051 §7.1) is NOT_FOUND naming the folder; the rest as everywhere else. */
function commandError(error: unknown, context: { folder?: string }): MailError {
  if (error instanceof MailError) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as {
    serverResponseCode?: unknown;
    responseText?: unknown;
  };
  const code = typeof e.serverResponseCode === "string" ? e.serverResponseCode : "";
  // Dovecot 2.3 answers SELECT of a missing folder with a bare "NO Mailbox doesn't exist".
  const text = typeof e.responseText === "string" ? e.responseText : "";
  if (
    /^(TRYCREATE|NONEXISTENT)$/i.test(code) ||
    (!code && /\bmailbox (doesn't|does not) exist\b/i.test(text))
  ) {
    return new MailError(
      "NOT_FOUND",
      context.folder ? `There is no folder "${context.folder}" on the server` : "No such folder or message",
      { cause: error },
    );
  }
  return toMailError(error);
}

/** The parts of ImapFlow's internals that a command it has no method for (UID SORT) needs. */
interface ImapFlowInternals {
  preCheck?: (() => Promise<void>) | false;
  idleStartTimer?: NodeJS.Timeout;
  exec(
    command: string,
    attributes: unknown[],
    options: { untagged?: Record<string, (untagged: never) => Promise<void>> },
  ): Promise<{ next: () => void }>;
  autoidle(): void;
}

/**
 * Runs a raw command the way ImapFlow's own methods do: first break IDLE (a command queued
 * behind a running IDLE would wait until the IDLE times out, minutes later), then re-arm IDLE
 * afterwards so that pushes keep coming.
 */
async function execRaw(
  client: ImapFlow,
  command: string,
  attributes: unknown[],
  untagged: Record<string, (untagged: never) => Promise<void>>,
): Promise<void> {
  const c = client as unknown as ImapFlowInternals;
  if (c.idleStartTimer) clearTimeout(c.idleStartTimer);
  try {
    if (typeof c.preCheck === "function") await c.preCheck();
    const response = await c.exec(command, attributes, { untagged });
    response.next();
  } finally {
    c.autoidle();
  }
}

async function readAll(stream: Readable, max: number): Promise<{ data: Uint8Array; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    if (size + buf.length > max) {
      chunks.push(buf.subarray(0, max - size));
      size = max;
      truncated = true;
      stream.destroy();
      break;
    }
    chunks.push(buf);
    size += buf.length;
  }
  return { data: new Uint8Array(Buffer.concat(chunks)), truncated };
}
