import type tls from "node:tls";
import { deletableAfterAck, planPop3Sync } from "@pismo/protocol/pop3";
import type {
  Pop3FetchMode,
  Pop3KnownMessage,
  Pop3Plan,
  Pop3Policy,
  Pop3ServerMessage,
} from "@pismo/protocol/pop3";
import { Pop3Client } from "./client";
import type { Pop3AnswerLimits, Pop3Security } from "./client";
import { Pop3Error } from "./errors";

/**
 * The one-shot POP3 pull: connect, sign in, list, plan, retrieve each
 * message and wait for the browser's acknowledgement, then delete only what the plan allows
 * and the browser acknowledged, then QUIT. No connection stays open between pulls.
 *
 * Why nothing is lost: RFC 1939 section 6 removes DELE'd messages only when QUIT puts the
 * session in the UPDATE state; a dropped connection forgets every DELE. Every DELE here comes
 * after every acknowledgement, and only a pull that got through all its steps sends QUIT after
 * a DELE. Any failure (socket, timeout, a callback throwing, the browser's storage full)
 * closes the socket without QUIT, so the server keeps everything; the next pull sees the
 * stored messages as known, deletes them if the policy says so, and fetches only the rest.
 */

export interface Pop3Endpoint {
  host: string;
  port: number;
  security: Pop3Security;
  /** Extra tls.connect options (ca, servername, rejectUnauthorized). */
  tls?: tls.ConnectionOptions;
  /** @default 30_000 */
  timeoutMs?: number;
  /** @default 15_000 */
  connectTimeoutMs?: number;
  /** Bounds on answers (limits.ts). */
  limits?: Partial<Pop3AnswerLimits>;
}

export interface Pop3Credentials {
  user: string;
  password: string;
}

export type Pop3PullStep = "connected" | "listed" | "fetched" | "deleted";

export interface Pop3PulledMessage {
  uid: string;
  /** The message exactly as the server stores it: every byte, CRLF line ends. */
  raw: Buffer;
  /** LIST size on the server (for "headers" mode this is the full message's size). */
  size: number;
  mode: Pop3FetchMode;
}

export interface Pop3PullProgress {
  messagesDone: number;
  count: number;
  bytesDone: number;
  totalBytes: number;
}

export interface Pop3PullOptions {
  endpoint: Pop3Endpoint;
  credentials: Pop3Credentials;
  /** What this browser already holds, by UIDL unique-id. */
  known: ReadonlyMap<string, Pop3KnownMessage> | Readonly<Record<string, Pop3KnownMessage>>;
  policy: Pop3Policy;
  /** @default Date.now() */
  now?: number;
  /** Before any download: how many messages and bytes are waiting, so the user sees the size of the pull before it starts. */
  onPlan?: (summary: { count: number; totalBytes: number; deferredBytes: number }) => void | Promise<void>;
  /**
   * Before onPlan: the known UIDs this listing does not show (no longer on the server), so the
   * browser stops counting them as there and fetches a later message given the same UID.
   */
  onGone?: (uids: readonly string[]) => void | Promise<void>;
  /**
   * One retrieved message. Must resolve only once the browser has stored it durably; a
   * rejection (storage full, tab gone) stops the pull and nothing is deleted.
   */
  onMessage: (message: Pop3PulledMessage) => Promise<void>;
  onProgress?: (progress: Pop3PullProgress) => void;
  /** Where the pull is; throwing here aborts like any failure (the tests use it). */
  onStep?: (step: Pop3PullStep) => void | Promise<void>;
  /** Polled between messages; a cancelled pull deletes nothing. */
  isCancelled?: () => boolean;
  /**
   * Ends the pull at once, whatever command is in flight: the connection is dropped without
   * QUIT, so no DELE of this session counts (the session was signed out or expired).
   */
  signal?: AbortSignal;
  /**
   * When given, only UIDs for which this says true are ever deleted: the acknowledgement of
   * the browser, checked again at DELE time (an acknowledgement that timed out never counts).
   */
  confirmed?: (uid: string) => boolean;
}

export interface Pop3PullResult {
  /** UIDs stored by the browser in this pull, in order. */
  stored: string[];
  /** UIDs removed from the server (DELE'd, and QUIT succeeded). */
  deleted: string[];
  cancelled: boolean;
  count: number;
  totalBytes: number;
  /** False when QUIT answered -ERR: the server may have kept some DELE'd messages. */
  deletionsCommitted: boolean;
  /**
   * UIDs left on the server because they could not be brought (RETR -ERR, no answer in time,
   * larger than the gateway takes with no TOP to bring the headers): never deleted; the next
   * pull tries them again.
   */
  skipped: string[];
  /** UIDL lines the server sent malformed: their messages stay on the server, untouched. */
  malformed: number;
}

/** New connections one pull may open after the server cut one mid-message. */
const MAX_RECONNECTS = 3;

/** Joins UIDL and LIST by message number; a message missing from either is skipped. */
function serverListing(
  uidl: readonly { msgNo: number; uid: string }[],
  list: readonly { msgNo: number; size: number }[],
): Pop3ServerMessage[] {
  const sizes = new Map(list.map((e) => [e.msgNo, e.size]));
  return uidl.flatMap((e) => {
    const size = sizes.get(e.msgNo);
    return size === undefined ? [] : [{ msgNo: e.msgNo, uid: e.uid, size }];
  });
}

export async function pullPop3(options: Pop3PullOptions): Promise<Pop3PullResult> {
  const { endpoint, credentials } = options;
  const cancelled = (): boolean => options.isCancelled?.() ?? false;
  const connect = (): Promise<Pop3Client> =>
    Pop3Client.connect({
      host: endpoint.host,
      port: endpoint.port,
      security: endpoint.security,
      ...(endpoint.tls === undefined ? {} : { tls: endpoint.tls }),
      ...(endpoint.timeoutMs === undefined ? {} : { timeoutMs: endpoint.timeoutMs }),
      ...(endpoint.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: endpoint.connectTimeoutMs }),
      ...(endpoint.limits === undefined ? {} : { limits: endpoint.limits }),
    });
  let client = await connect();
  const onAbort = (): void => client.close();
  if (options.signal?.aborted) client.close();
  options.signal?.addEventListener("abort", onAbort, { once: true });

  const stored: string[] = [];
  const skipped: string[] = [];
  let plan: Pop3Plan | undefined;
  let finished = false;
  try {
    await client.login(credentials.user, credentials.password);
    await options.onStep?.("connected");

    // Without UIDL there is no identity across sessions, and so no safe pull (RFC 1939
    // section 7 lists UIDL as optional; every server we target has it).
    if (client.capabilities.size > 0 && !client.capabilities.has("UIDL")) {
      throw new Pop3Error("SERVER_REFUSED", "the POP3 server does not support UIDL", { command: "UIDL" });
    }
    const { entries: uidl, malformed } = await client.uidlListing();
    const list = await client.list();
    await options.onStep?.("listed");

    const listing = serverListing(uidl, list);
    plan = planPop3Sync({
      server: listing,
      known: options.known,
      policy: options.policy,
      now: options.now ?? Date.now(),
    });
    // "Gone" is what the listing lacks, so only a whole listing may say it: a UIDL line left
    // out (malformed) or a message in only one of UIDL and LIST would be taken for removed
    // (a tombstone dropped brings a deleted message back; a row counted gone is fetched twice).
    const whole = malformed === 0 && listing.length === uidl.length && listing.length === list.length;
    if (whole && plan.gone.length > 0) await options.onGone?.(plan.gone);
    await options.onPlan?.({
      count: plan.count,
      totalBytes: plan.totalBytes,
      deferredBytes: plan.deferredBytes,
    });

    let bytesBefore = 0;
    const report = (messagesDone: number, bytesDone: number): void =>
      options.onProgress?.({
        messagesDone,
        count: plan?.count ?? 0,
        bytesDone,
        totalBytes: plan?.totalBytes ?? 0,
      });
    // A message larger than the gateway takes whole is brought as headers only and left on the
    // server (never deleted by this pull), as the headers-only policy does.
    const headersInstead = new Set<string>();
    // Messages a cut connection showed larger than LIST said: brought as headers on the next.
    const headersNext = new Set<string>();
    // TOP is optional (RFC 1939 section 7); a server without CAPA may still have it (a -ERR
    // then only skips the message).
    const canTop = (): boolean => client.capabilities.size === 0 || client.capabilities.has("TOP");
    // After a reconnect, message numbers are this connection's (by UID); only what was fetched
    // on the connection that sends DELE and QUIT is ever deleted by it.
    let here: Map<string, Pop3ServerMessage> | null = null;
    let fetchedHere: string[] = [];
    let reconnects = 0;
    const sizeOf = new Map(listing.map((m) => [m.uid, m.size]));
    const reopen = async (): Promise<void> => {
      client = await connect();
      if (options.signal?.aborted) client.close();
      await client.login(credentials.user, credentials.password);
      const listed = serverListing((await client.uidlListing()).entries, await client.list());
      const twice = new Set<string>();
      const byUid = new Map<string, Pop3ServerMessage>();
      for (const m of listed) {
        if (byUid.has(m.uid)) twice.add(m.uid);
        byUid.set(m.uid, m);
      }
      for (const uid of twice) byUid.delete(uid);
      here = byUid;
      fetchedHere = [];
    };
    const skip = (index: number, uid: string, counted: boolean, size: number): void => {
      skipped.push(uid);
      if (counted) bytesBefore += size;
      report(index + 1, bytesBefore);
    };
    for (let index = 0; index < plan.fetch.length; index += 1) {
      const item = plan.fetch[index]!;
      if (cancelled()) break;
      const counted = item.mode === "full";
      let msgNo = item.msgNo;
      if (here !== null) {
        const now = (here as Map<string, Pop3ServerMessage>).get(item.uid);
        // Gone meanwhile (another client), or not the message planned: not this pull's.
        if (now === undefined || now.size !== item.size) {
          skip(index, item.uid, counted, item.size);
          continue;
        }
        msgNo = now.msgNo;
      }
      const mode: Pop3FetchMode =
        headersNext.has(item.uid) || (item.mode === "full" && item.size > client.maxMessageBytes)
          ? "headers"
          : item.mode;
      if (mode === "headers" && !canTop()) {
        // No TOP to bring the headers: the message stays on the server untouched.
        skip(index, item.uid, counted, item.size);
        continue;
      }
      if (mode !== item.mode) headersInstead.add(item.uid);
      let raw: Buffer;
      try {
        raw =
          mode === "full"
            ? await client.retr(msgNo, {
                onProgress: (received) => report(index, bytesBefore + Math.min(received, item.size)),
              })
            : await client.top(msgNo, 0);
      } catch (error) {
        if (!(error instanceof Pop3Error) || cancelled() || options.signal?.aborted === true) throw error;
        // -ERR for this one message (the server cannot read it): the connection still works;
        // the message stays on the server and the rest comes.
        if (!client.closed) {
          skip(index, item.uid, counted, item.size);
          continue;
        }
        // The connection was cut mid-answer (larger than the gateway takes although LIST said
        // less, or no complete answer in time). Nothing was DELE'd on it, so nothing is lost:
        // the rest comes on a new one; that message as headers when it was too large, else
        // left on the server.
        // A connection lost for another reason (the server dropped it, the network) fails the
        // pull as before: that is no fault of this message.
        if ((error.code !== "MESSAGE_TOO_LARGE" && error.code !== "TIMEOUT") || reconnects >= MAX_RECONNECTS)
          throw error;
        reconnects += 1;
        if (error.code === "MESSAGE_TOO_LARGE" && mode === "full" && canTop()) {
          headersNext.add(item.uid);
          index -= 1;
        } else skip(index, item.uid, counted, item.size);
        await reopen();
        continue;
      }
      await options.onMessage({ uid: item.uid, raw, size: item.size, mode });
      stored.push(item.uid);
      fetchedHere.push(item.uid);
      if (counted) bytesBefore += item.size;
      report(index + 1, bytesBefore);
    }
    await options.onStep?.("fetched");

    if (cancelled()) {
      // Nothing was DELE'd: QUIT is harmless and polite.
      finished = true;
      await client.quit();
      return {
        stored,
        deleted: [],
        cancelled: true,
        count: plan.count,
        totalBytes: plan.totalBytes,
        deletionsCommitted: true,
        skipped,
        malformed,
      };
    }

    const deleted: string[] = [];
    const confirmed = options.confirmed;
    let deletable = deletableAfterAck(
      plan,
      fetchedHere.filter((uid) => !headersInstead.has(uid) && (confirmed === undefined || confirmed(uid))),
    );
    const current = here as Map<string, Pop3ServerMessage> | null;
    if (current !== null)
      deletable = deletable
        .flatMap((d) => {
          const now = current.get(d.uid);
          return now !== undefined && now.size === sizeOf.get(d.uid)
            ? [{ msgNo: now.msgNo, uid: d.uid }]
            : [];
        })
        .sort((a, b) => a.msgNo - b.msgNo);
    // Pipelined when the server allows it (one round trip per hundred, not per message). A
    // -ERR for one message (already deleted by another session) is not fatal; a broken
    // connection is, and the rethrow closes without QUIT.
    const marked = new Set(await client.deleMany(deletable.map((item) => item.msgNo)));
    for (const item of deletable) if (marked.has(item.msgNo)) deleted.push(item.uid);
    await options.onStep?.("deleted");

    finished = true;
    let deletionsCommitted = true;
    try {
      await client.quit();
    } catch (error) {
      if (!(error instanceof Pop3Error)) throw error;
      // QUIT answered -ERR (RFC 1939 section 6: some deletions failed) or the line dropped
      // before the answer: every message is stored, and the next pull retries the deletions.
      deletionsCommitted = false;
    }
    return {
      stored,
      deleted: deletionsCommitted ? deleted : [],
      cancelled: false,
      count: plan.count,
      totalBytes: plan.totalBytes,
      deletionsCommitted,
      skipped,
      malformed,
    };
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    if (!finished) {
      // A failure: never QUIT after a DELE (that would commit it); drop the connection and the
      // server forgets every mark. Before any DELE, QUIT would do no harm; dropping is simpler.
      client.close();
    }
  }
}
