import { randomUUID } from "node:crypto";
import { MailError } from "@pismo/protocol/errors";
import { encodeBodyFrame, pop3GonePiece } from "@pismo/protocol/pop3";
import type { Pop3FetchFullOutput, Pop3KnownMessage, Pop3Policy, Pop3PullEvent } from "@pismo/protocol/pop3";
import type { Pop3Port } from "@pismo/protocol/router";
import type { SenderVerdict } from "@pismo/protocol/trust";
import type { ServerEndpoint } from "@pismo/protocol/schemas";
import type { Logger } from "../log";
import { toMailError } from "../mail-errors";
import { DEFAULT_GATEWAY_LIMITS, Slots, type GatewayLimits } from "../limits";
import { Channel } from "./channel";
import { Pop3Client } from "./client";
import { pullPop3, type Pop3Endpoint } from "./pull";
import type { SenderChecks } from "../trust/sender-check";
import { DNS_BUDGET_MS } from "../trust/verify-dkim";
import { KnownUpload } from "./known-upload";

export interface Pop3SessionOptions {
  endpoint: ServerEndpoint;
  user: string;
  /** The session's password, in this process's memory only. */
  password: string;
  tlsVerify: boolean;
  log: Logger;
  /**
   * How long a retrieved message may wait for the browser's acknowledgement before the pull
   * gives up (and deletes nothing): a tab that hangs must not hold the maildrop lock forever.
   * Counted from when its frame was written to the body channel's socket, not from when it was
   * retrieved: on a slow link a message waits behind the ones before it and takes long to
   * travel itself, and neither is the browser hanging.
   * @default 120_000
   */
  ackTimeoutMs?: number;
  /**
   * Bytes of retrieved messages handed to the body channel and not yet written to its socket:
   * past this, the next message is not retrieved until the link has taken them (backpressure),
   * so a slow link holds little in the gateway's memory and frames do not queue up behind
   * each other.
   * @default 1 MiB
   */
  sendBufferBytes?: number;
  /**
   * How long the body channel may take nothing at all (no frame written to its socket while
   * some wait) before the pull gives up, deleting nothing: a tab that stopped reading must not
   * hold the maildrop forever, while a slow link that still moves is waited for.
   * @default 600_000
   */
  linkStallMs?: number;
  /**
   * Progress goes to a progress bar: more than four updates a second shows nothing more and
   * costs the page a render each.
   * @default 250
   */
  progressEveryMs?: number;
  /**
   * How many retrieved messages may wait for their acknowledgement while the next ones are
   * retrieved. The window is counted in bytes first (`ackWindowBytes`); this only bounds a
   * pull of very many tiny messages.
   * @default 1000
   */
  ackWindow?: number;
  /**
   * Bytes of retrieved messages that may wait for their acknowledgement: the browser stores
   * what arrived meanwhile in one transaction (one disk flush) and acknowledges it in one
   * round trip, so a window of a few MB keeps both the wire and the disk busy. It is also
   * what a pull holds in the gateway's memory. Never more than the gateway's
   * `pop3PullWindowBytes`; a single larger message still passes, alone.
   * @default 8 MiB
   */
  ackWindowBytes?: number;
  /** Bounds on answers, fetches and the pull's window (limits.ts). @default DEFAULT_GATEWAY_LIMITS */
  limits?: GatewayLimits;
  /** Whole-message downloads of the whole gateway, shared by every session. */
  gatewayFetches?: Slots;
  /** Pulls of the whole gateway, shared by every session (limits' pop3PullsPerGateway). */
  gatewayPulls?: Slots;
  /** How long a pull waits for its turn among the gateway's. @default 60_000 */
  pullSlotWaitMs?: number;
  /** The gateway's sender checks: each pulled message travels with its verdict. */
  senderChecks?: SenderChecks;
}

/**
 * A pull's body channel (a binary WebSocket the browser opened for it): each message goes
 * there as one frame (body-frame.ts) instead of base64 inside a JSON event.
 */
export interface Pop3BodySink {
  /**
   * Sends one frame; `written` is called once it has been written to the socket (the link
   * took it), or with an error when it never will be (the channel closed).
   */
  send(frame: Uint8Array, written?: (error?: Error) => void): void;
  close(): void;
  /** Called once when the browser's side goes away. */
  onClose(listener: () => void): void;
}

/** Body channels a session may hold at once (one per pull; a few for tabs racing). */
const MAX_BODY_SINKS = 4;
/** How long a pull waits for the body channel it names (opened just before the pull). */
const BODY_SINK_WAIT_MS = 5_000;

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

interface RunningPull {
  id: string;
  waiting: Map<string, Waiter>;
  aborted: boolean;
  /** Drops the POP3 connection at once (the session ended). */
  kill: AbortController;
  /** Settles when the POP3 connection is gone (QUIT or dropped). */
  finished: Promise<void>;
}

/**
 * The POP3 side of one signed-in session: runs pulls (one at a time, since a POP3 maildrop
 * is locked by its session, RFC 1939 section 8) and keeps no connection between them.
 */
export class Pop3Session implements Pop3Port {
  private running: RunningPull | null = null;
  private closed = false;
  /** Connections of fetchFull calls in flight, dropped when the session ends. */
  private readonly fetches = new Set<Pop3Client>();
  private readonly limits: GatewayLimits;
  private readonly sessionFetches: Slots;
  /** Known lists being uploaded in pieces for the next pulls, each under its own id. */
  private readonly known = new KnownUpload();
  /** Body channels opened and not yet taken by a pull, by the id the browser chose. */
  private readonly bodySinks = new Map<string, Pop3BodySink>();
  private readonly bodyWaiters = new Map<string, () => void>();

  constructor(private readonly opts: Pop3SessionOptions) {
    this.limits = opts.limits ?? DEFAULT_GATEWAY_LIMITS;
    this.sessionFetches = new Slots(this.limits.pop3FetchesPerSession);
  }

  /**
   * The session ended (sign-out, expiry): the pull in flight stops at once, its connection is
   * dropped without QUIT (so no DELE of it counts, RFC 1939 section 6), and nothing more runs.
   */
  close(): void {
    this.closed = true;
    this.known.clear();
    for (const sink of this.bodySinks.values()) sink.close();
    this.bodySinks.clear();
    const run = this.running;
    if (run) {
      run.aborted = true;
      run.kill.abort();
      const error = new MailError("NOT_SIGNED_IN", "The session has ended");
      for (const waiter of run.waiting.values()) waiter.reject(error);
      run.waiting.clear();
    }
    for (const client of this.fetches) client.close();
    this.fetches.clear();
  }

  /**
   * A body channel opened by this session's browser, for the pull that will name `id`. The
   * oldest unused one goes when too many are open.
   */
  attachBodies(id: string, sink: Pop3BodySink): void {
    if (this.closed || this.bodySinks.has(id)) {
      sink.close();
      return;
    }
    while (this.bodySinks.size >= MAX_BODY_SINKS) {
      const [oldest] = this.bodySinks.keys();
      if (oldest === undefined) break;
      this.bodySinks.get(oldest)?.close();
      this.bodySinks.delete(oldest);
    }
    this.bodySinks.set(id, sink);
    sink.onClose(() => {
      if (this.bodySinks.get(id) === sink) this.bodySinks.delete(id);
    });
    this.bodyWaiters.get(id)?.();
  }

  /** The body channel `id`, taken by one pull; null when it did not come in time. */
  private async takeBodies(id: string, signal: AbortSignal): Promise<Pop3BodySink | null> {
    if (!this.bodySinks.has(id) && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, BODY_SINK_WAIT_MS);
        timer.unref();
        this.bodyWaiters.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.bodyWaiters.delete(id);
    }
    const sink = this.bodySinks.get(id) ?? null;
    this.bodySinks.delete(id);
    return sink;
  }

  private assertOpen(): void {
    if (this.closed) throw new MailError("NOT_SIGNED_IN", "The session has ended");
  }

  private endpoint(): Pop3Endpoint {
    const { host, port, security } = this.opts.endpoint;
    return { host, port, security, tls: { rejectUnauthorized: this.opts.tlsVerify }, limits: this.limits };
  }

  async *pull(
    input: { known: ReadonlyMap<string, Pop3KnownMessage>; policy: Pop3Policy; bodies?: string },
    signal: AbortSignal,
  ): AsyncGenerator<Pop3PullEvent> {
    this.assertOpen();
    const previous = this.running;
    if (previous) {
      // A cancelled pull may still be finishing a RETR; its maildrop lock ends with it.
      if (!previous.aborted) {
        yield { type: "error", code: "BUSY" };
        return;
      }
      await Promise.race([previous.finished, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      if (this.running) {
        yield { type: "error", code: "BUSY" };
        return;
      }
    }
    if (signal.aborted || this.closed) return;
    let sink: Pop3BodySink | null = null;
    if (input.bodies !== undefined) {
      sink = await this.takeBodies(input.bodies, signal);
      if (signal.aborted || this.closed) {
        sink?.close();
        return;
      }
      if (!sink) {
        yield { type: "error", code: "BAD_INPUT" };
        return;
      }
      if (this.running) {
        sink.close();
        yield { type: "error", code: "BUSY" };
        return;
      }
    }
    const bodies = sink;

    const channel = new Channel<Pop3PullEvent>();
    const waiting = new Map<string, Waiter>();
    const ackTimeoutMs = this.opts.ackTimeoutMs ?? 120_000;
    const progressEveryMs = this.opts.progressEveryMs ?? 250;
    let finish!: () => void;
    const run: RunningPull = {
      id: randomUUID(),
      waiting,
      aborted: false,
      kill: new AbortController(),
      finished: new Promise<void>((r) => {
        finish = r;
      }),
    };
    this.running = run;

    // Retrieved messages not yet written to the body channel's socket (see sendBufferBytes),
    // and the retrieval waiting for them to go; a pull that ends (cancelled, the session
    // closed) wakes it.
    let unsentBytes = 0;
    const sendWaiters = new Set<() => void>();
    const wakeSenders = () => {
      for (const wake of sendWaiters) wake();
      sendWaiters.clear();
    };
    run.kill.signal.addEventListener("abort", wakeSenders, { once: true });

    // Ends a wait for the gateway's turn too (cancelled, unsubscribed, body channel gone).
    const stopWaiting = new AbortController();
    // Until QUIT nothing DELE'd is deleted (RFC 1939 section 6): a cancel drops the connection
    // at once, so a long RETR does not hold the maildrop (and this session's pull) to its end,
    // and DELEs under way when the browser stops listening are forgotten with it (the browser
    // would never hear which were done). Only a QUIT already sent is let finish.
    let quitting = false;
    const abort = () => {
      run.aborted = true;
      stopWaiting.abort();
      if (!quitting) run.kill.abort();
      wakeSenders();
      const error = new MailError("INTERNAL", "pull cancelled by the browser");
      for (const waiter of waiting.values()) waiter.reject(error);
      waiting.clear();
    };
    signal.addEventListener("abort", abort, { once: true });
    // The body channel closing (tab gone, network) ends the pull as unsubscribing does.
    bodies?.onClose(abort);

    // The gateway's turn: each pull holds its window in memory, so only so many run at once;
    // the others wait (the page says it is connecting), and after a minute are refused.
    const slot = this.opts.gatewayPulls
      ? await this.opts.gatewayPulls.acquire(
          AbortSignal.any([stopWaiting.signal, run.kill.signal]),
          this.opts.pullSlotWaitMs ?? 60_000,
        )
      : () => undefined;
    if (!slot || run.aborted || this.closed) {
      slot?.();
      signal.removeEventListener("abort", abort);
      bodies?.close();
      if (this.running === run) this.running = null;
      finish();
      if (!slot && !run.aborted && !this.closed) {
        this.opts.log.warn("pop3.pull_waited_too_long", { user: this.opts.user });
        yield { type: "error", code: "GATEWAY_BUSY" };
      }
      return;
    }

    const ackWindow = Math.max(1, this.opts.ackWindow ?? 1000);
    const windowBytes = Math.min(
      this.opts.ackWindowBytes ?? 8 * 1024 * 1024,
      this.limits.pop3PullWindowBytes,
    );
    const sendBufferBytes = Math.max(0, this.opts.sendBufferBytes ?? 1024 * 1024);
    // Acknowledgements still awaited. Every one must have arrived before the driver's
    // "fetched" step returns, and DELE comes only after that step (pull.ts): a message the
    // browser never confirmed is never deleted.
    const unacked = new Set<Promise<void>>();
    // Bytes of retrieved messages not yet acknowledged: the window is bounded by size too.
    let unackedBytes = 0;
    // UIDs the browser confirmed. An acknowledgement that timed out or failed is sticky: it
    // fails the pull even when nobody awaited it at that moment, and only confirmed UIDs may
    // ever be deleted.
    const confirmed = new Set<string>();
    let ackFailure: Error | null = null;
    let acked = 0;
    let bytesDone = 0;
    let count = 0;
    let totalBytes = 0;
    let lastProgressAt = -Infinity;
    let slowChecks = 0;
    const linkStallMs = this.opts.linkStallMs ?? 600_000;
    // When the body channel last took a frame (or began to have one to take).
    let linkMovedAt = performance.now();
    const watchdog = setInterval(
      () => {
        if (unsentBytes === 0 || performance.now() - linkMovedAt < linkStallMs) return;
        const error = new MailError("TIMEOUT", "the body channel took nothing for too long");
        ackFailure ??= error;
        for (const waiter of [...waiting.values()]) waiter.reject(error);
        wakeSenders();
      },
      Math.max(10, Math.min(5_000, linkStallMs / 4)),
    );
    watchdog.unref();
    const progress = (force: boolean) => {
      // RETR reports after every socket read and acknowledgements come in batches: send at
      // most every progressEveryMs; the last figures are always sent once every message is
      // acknowledged (the "fetched" step), so the counter ends exact.
      // A monotonic clock: a wall clock stepped back would hold progress until it caught up.
      const now = performance.now();
      if (!force && now - lastProgressAt < progressEveryMs) return;
      lastProgressAt = now;
      channel.push({ type: "progress", messagesDone: acked, count, bytesDone, totalBytes });
    };
    const started = Date.now();
    void pullPop3({
      endpoint: this.endpoint(),
      credentials: { user: this.opts.user, password: this.opts.password },
      known: input.known,
      policy: input.policy,
      // The clock the browser dates its copies by (the "started" event): one clock for both.
      now: started,
      isCancelled: () => run.aborted,
      signal: run.kill.signal,
      confirmed: (uid) => confirmed.has(uid),
      onGone: (uids) => {
        for (let i = 0; i < uids.length; i += pop3GonePiece)
          channel.push({ type: "gone", uids: uids.slice(i, i + pop3GonePiece) });
      },
      onPlan: (plan) => {
        count = plan.count;
        totalBytes = plan.totalBytes;
        channel.push({ type: "plan", ...plan });
      },
      onProgress: (p) => {
        bytesDone = p.bytesDone;
        progress(false);
      },
      onStep: async (step) => {
        if (step === "deleted") quitting = true;
        if (step === "fetched") {
          await Promise.all(unacked);
          if (!ackFailure) progress(true);
        }
        if (ackFailure) throw ackFailure;
      },
      onMessage: async (message) => {
        if (run.aborted) throw new MailError("INTERNAL", "pull cancelled by the browser");
        if (ackFailure) throw ackFailure;
        // The clock starts once the message has left (its frame written to the socket): the
        // time it waits behind earlier frames and the time it takes to travel are the link's,
        // not a hanging tab's.
        let timer: ReturnType<typeof setTimeout> | undefined;
        let settled = false;
        let startClock = () => undefined as void;
        const stored = new Promise<void>((resolve, reject) => {
          const settle = (error?: Error) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            waiting.delete(message.uid);
            if (error) reject(error);
            else resolve();
          };
          startClock = () => {
            if (settled || timer !== undefined) return;
            timer = setTimeout(
              () => settle(new MailError("TIMEOUT", "the browser did not acknowledge the message in time")),
              ackTimeoutMs,
            );
          };
          waiting.set(message.uid, { resolve: () => settle(), reject: (error) => settle(error) });
        });
        const tracked = stored.then(
          () => {
            confirmed.add(message.uid);
            acked += 1;
            progress(false);
          },
          (error: unknown) => {
            ackFailure ??= error instanceof Error ? error : new Error(String(error));
            wakeSenders();
            throw error;
          },
        );
        // Awaited later (window full, or the "fetched" step); never an unhandled rejection.
        tracked.catch(() => undefined);
        unacked.add(tracked);
        const bytes = message.raw.length;
        unackedBytes += bytes;
        if (bodies) {
          if (unsentBytes === 0) linkMovedAt = performance.now();
          unsentBytes += bytes;
        }
        let left = false;
        const sent = (error?: Error) => {
          if (left) return;
          left = true;
          unsentBytes -= bytes;
          linkMovedAt = performance.now();
          wakeSenders();
          if (error) waiting.get(message.uid)?.reject(error);
          else startClock();
        };
        void tracked
          .finally(() => {
            unacked.delete(tracked);
            unackedBytes -= bytes;
          })
          .catch(() => undefined);
        const send = (verdict: SenderVerdict | null | undefined) => {
          if (bodies) {
            bodies.send(
              encodeBodyFrame(
                {
                  uid: message.uid,
                  size: message.size,
                  mode: message.mode,
                  ...(verdict !== undefined ? { verdict } : {}),
                },
                message.raw,
              ),
              (error) =>
                sent(
                  error
                    ? new MailError("INTERNAL", "the body channel closed before the message left")
                    : undefined,
                ),
            );
            return;
          }
          startClock();
          channel.push({
            type: "message",
            uid: message.uid,
            raw: message.raw.toString("base64"),
            size: message.size,
            mode: message.mode,
            ...(verdict !== undefined ? { verdict } : {}),
          });
        };
        const checks = this.opts.senderChecks;
        if (!checks) send(undefined);
        else {
          // The verdict is worked out while the next messages are retrieved (the window
          // above bounds how many), so checking signatures does not slow a pull down; a DNS
          // that keeps running out of time ends Pismo's own checks for this pull.
          const checkStarted = Date.now();
          void checks.verdictOfRaw(message.raw, message.mode === "headers" || slowChecks >= 3).then(
            (verdict) => {
              if (Date.now() - checkStarted >= DNS_BUDGET_MS) slowChecks += 1;
              send(verdict);
            },
            () => send(null),
          );
        }
        while (unacked.size >= ackWindow || (unacked.size > 0 && unackedBytes >= windowBytes))
          await Promise.race(unacked);
        // Backpressure: the next RETR waits while the link has not taken what was sent. A
        // cancel or a failed acknowledgement ends the wait; the driver then sees it.
        while (unsentBytes > sendBufferBytes && !run.aborted && !ackFailure)
          await new Promise<void>((resolve) => sendWaiters.add(resolve));
      },
    })
      .then(
        (result) => {
          this.opts.log.info("pop3.pull_done", {
            user: this.opts.user,
            stored: result.stored.length,
            deleted: result.deleted.length,
            skipped: result.skipped.length,
            malformed: result.malformed,
            cancelled: result.cancelled,
            ms: Date.now() - started,
          });
          channel.push({
            type: "done",
            stored: result.stored.length,
            deleted: result.deleted,
            deletionsCommitted: result.deletionsCommitted,
            cancelled: result.cancelled,
            skipped: result.skipped.length + result.malformed,
          });
        },
        (error: unknown) => {
          const mapped = toMailError(error);
          if (!run.aborted)
            this.opts.log.warn("pop3.pull_failed", {
              user: this.opts.user,
              code: mapped.code,
              reason: mapped.message,
            });
          channel.push({ type: "error", code: mapped.code });
        },
      )
      .finally(() => {
        clearInterval(watchdog);
        slot();
        bodies?.close();
        channel.end();
        if (this.running === run) this.running = null;
        finish();
      });

    let drained = false;
    try {
      yield { type: "started", pullId: run.id, now: started };
      for await (const event of channel.read(signal)) yield event;
      drained = !signal.aborted;
    } finally {
      // Reached on done, on error, and when the browser unsubscribes or disconnects: in the
      // last two cases the pull is still running and must stop without committing anything.
      signal.removeEventListener("abort", abort);
      if (!drained) abort();
    }
  }

  addKnown(knownId: string, entries: ReadonlyArray<readonly [string, Pop3KnownMessage]>): number {
    this.assertOpen();
    return this.known.add(knownId, entries);
  }

  takeKnown(knownId: string): ReadonlyMap<string, Pop3KnownMessage> {
    return this.known.take(knownId);
  }

  ack(pullId: string, uid: string): boolean {
    return this.ackMany(pullId, [uid]) === 1;
  }

  ackMany(pullId: string, uids: readonly string[]): number {
    const run = this.running;
    if (!run || run.id !== pullId) return 0;
    let acked = 0;
    for (const uid of uids) {
      const waiter = run.waiting.get(uid);
      if (!waiter) continue;
      run.waiting.delete(uid);
      waiter.resolve();
      acked += 1;
    }
    return acked;
  }

  async fetchFull(uid: string): Promise<Pop3FetchFullOutput> {
    this.assertOpen();
    if (this.running) throw new MailError("SERVER_REFUSED", "A pull is running; try again when it ends");
    // Each download holds a whole message (and its base64) in memory: a few at a time per
    // session and in the gateway, refused rather than queued (limits.ts).
    const mine = this.sessionFetches.tryAcquire();
    if (!mine)
      throw new MailError("RATE_LIMITED", "Too many downloads at once in this session; wait for one to end");
    const shared = this.opts.gatewayFetches ? this.opts.gatewayFetches.tryAcquire() : () => undefined;
    if (!shared) {
      mine();
      throw new MailError("RATE_LIMITED", "The gateway is busy with other downloads; try again shortly");
    }
    try {
      const client = await Pop3Client.connect(this.endpoint());
      this.fetches.add(client);
      if (this.closed) client.close();
      let raw: Buffer;
      try {
        await client.login(this.opts.user, this.opts.password);
        const entry = (await client.uidl()).find((e) => e.uid === uid);
        if (!entry) throw new MailError("NOT_FOUND", "The message is no longer on the server");
        const { size } = await client.listOne(entry.msgNo);
        if (size > client.maxMessageBytes)
          throw new MailError(
            "MESSAGE_TOO_LARGE",
            `The message (${size} bytes) is larger than this gateway downloads (${client.maxMessageBytes} bytes)`,
          );
        raw = await client.retr(entry.msgNo);
      } finally {
        this.fetches.delete(client);
        // Nothing was marked for deletion: QUIT is safe.
        await client.quit().catch(() => client.close());
      }
      // Checked after QUIT: slow DNS must not keep the maildrop locked.
      const verdict = this.opts.senderChecks
        ? await this.opts.senderChecks.verdictOfRaw(raw, false)
        : undefined;
      return { raw: raw.toString("base64"), size: raw.length, ...(verdict !== undefined ? { verdict } : {}) };
    } finally {
      shared();
      mine();
    }
  }
}
