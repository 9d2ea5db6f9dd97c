import { MailError } from "@pismo/protocol/errors";
import type { HeldSendState } from "@pismo/protocol/compose";
import type { Logger } from "../log";

/** What one held send needs: when to go, what it costs while held, and how it goes out. */
export interface HoldRequest<D, R> {
  /** Given back by `cancel` (Undo): the draft as the user sent it. */
  draft: D;
  /** Bytes held in memory for it (the built message), counted against the session's bound. */
  bytes: number;
  delayMs: number;
  /** Hands the message to SMTP and files the Sent copy; called at most once. */
  deliver: () => Promise<R>;
  /** Frees what the held message kept (its uploaded attachments) once it went out. Not called
   * on cancel or failure: the draft, back in the form, still needs them. */
  release?: () => Promise<void>;
  /** Bytes the result keeps until it is acknowledged (a POP3 account's Sent copy). */
  keptBytes?: (result: R) => number;
  /** Writes a result not yet acknowledged where the gateway that resumes the session finds it
   * (KeptSends: the session store), when this one stops (`keepUnacknowledged`). */
  keep?: (result: R) => Promise<void>;
}

export interface SendQueueLimits {
  /** Messages held (waiting or kept until their outcome is read) per session. */
  heldSendsPerSession: number;
  /** Bytes of held messages per session. */
  heldSendBytesPerSession: number;
}

interface Entry<D, R> {
  id: string;
  session: string;
  state: Exclude<HeldSendState, "unknown">;
  sendAt: number;
  bytes: number;
  draft: D | null;
  request: HoldRequest<D, R> | null;
  timer: NodeJS.Timeout | null;
  done: Promise<void>;
  finish: () => void;
  result: R | null;
  error: unknown;
  forget: NodeJS.Timeout | null;
  keep: ((result: R) => Promise<void>) | null;
  /** Its result was (or is being) written by `keep`: acknowledging it must remove it there too. */
  kept: boolean;
}

const keyOf = (session: string, id: string) => `${session}\u0000${id}`;

/** How long a finished send's answer is kept for its outcome and a late Undo. */
const KEEP_FINISHED_MS = 5 * 60_000;

/**
 * Sends held back for Undo, keyed by session: one timer per message, and at its deadline the
 * message is delivered exactly once. `cancel` before the deadline takes it back; after it, the
 * answer says what became of it ("sent", never a silent success). The queue belongs to the
 * gateway, not to a browser connection, so a closed tab does not stop a send; a session that
 * ends (sign-out, expiry) or a gateway that stops sends what it holds at once (`flush`), since
 * nothing could take it back any more and the user pressed Send. A stopping gateway then keeps
 * the results the browser has not acknowledged (`keepUnacknowledged`): they die with the
 * process otherwise, and a POP3 account's Sent copy with them.
 */
export class SendQueue<D, R> {
  /** By session and id: an id is the browser's choice, valid only in its own session. */
  private readonly entries = new Map<string, Entry<D, R>>();

  constructor(
    private readonly limits: SendQueueLimits,
    private readonly log?: Logger,
  ) {}

  private ofSession(session: string): Entry<D, R>[] {
    return [...this.entries.values()].filter((e) => e.session === session);
  }

  private entry(session: string, id: string): Entry<D, R> | undefined {
    return this.entries.get(keyOf(session, id));
  }

  /** Holds a message under the `id` the browser chose, which the session must not have used. */
  hold(session: string, id: string, request: HoldRequest<D, R>): { id: string; sendAt: number } {
    if (this.entry(session, id))
      throw new MailError("BAD_INPUT", "This send was already made; it is not made a second time");
    // Finished sends kept for their answer cost nothing unless their result is still kept.
    const mine = this.ofSession(session).filter(
      (e) => e.state === "held" || e.state === "sending" || e.bytes > 0,
    );
    if (mine.length >= this.limits.heldSendsPerSession)
      throw new MailError(
        "RATE_LIMITED",
        `${mine.length} messages are already waiting to be sent; try again in a few seconds`,
      );
    const heldBytes = mine.reduce((n, e) => n + e.bytes, 0);
    if (heldBytes + request.bytes > this.limits.heldSendBytesPerSession)
      throw new MailError(
        "MESSAGE_TOO_LARGE",
        `Messages waiting to be sent already take ${heldBytes} bytes; this one (${request.bytes}) would pass the bound of ${this.limits.heldSendBytesPerSession}`,
      );
    let finish = () => undefined as void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const entry: Entry<D, R> = {
      id,
      session,
      state: "held",
      sendAt: Date.now() + request.delayMs,
      bytes: request.bytes,
      draft: request.draft,
      request,
      timer: null,
      done,
      finish,
      result: null,
      error: null,
      forget: null,
      keep: request.keep ?? null,
      kept: false,
    };
    this.entries.set(keyOf(session, id), entry);
    if (request.delayMs <= 0) void this.deliver(entry);
    else {
      entry.timer = setTimeout(() => void this.deliver(entry), request.delayMs);
      // A held send must not keep a stopping process alive: `flushAll` sends it then.
      entry.timer.unref();
    }
    return { id, sendAt: entry.sendAt };
  }

  /** Undo: the draft when the message was still held; otherwise what became of it. */
  cancel(session: string, id: string): { state: HeldSendState; draft: D | null } {
    const entry = this.entry(session, id);
    if (!entry) return { state: "unknown", draft: null };
    if (entry.state !== "held") return { state: entry.state, draft: null };
    if (entry.timer) clearTimeout(entry.timer);
    entry.state = "cancelled";
    entry.bytes = 0;
    const draft = entry.draft;
    this.settle(entry);
    return { state: "cancelled", draft };
  }

  /** Waits until the send finished; a failed send throws its error. The result stays until
   * `acknowledge` (it may carry the whole message, for a POP3 account's Sent copy): a page
   * closed while it waited must not take it with it, so the next page can still file it. */
  async outcome(session: string, id: string): Promise<{ state: HeldSendState; result: R | null }> {
    const entry = this.entry(session, id);
    if (!entry) return { state: "unknown", result: null };
    await entry.done;
    if (entry.state === "failed") throw entry.error;
    return { state: entry.state, result: entry.result };
  }

  /** The browser has what it needed of a sent message's result: its bytes are let go. True
   * when the result may also be kept elsewhere (`keep`), for the caller to remove it there: the
   * send is not known here (a gateway stopped with it), or it was kept. */
  acknowledge(session: string, id: string): boolean {
    const entry = this.entry(session, id);
    if (!entry) return true;
    if (entry.state !== "sent") return false;
    entry.result = null;
    entry.bytes = 0;
    entry.keep = null;
    return entry.kept;
  }

  /** Sends the session's held messages now and waits for them (its end: nothing can undo them). */
  async flush(session: string): Promise<void> {
    const mine = this.ofSession(session);
    for (const entry of mine) if (entry.state === "held") void this.deliver(entry);
    await Promise.all(mine.map((e) => e.done));
  }

  /** Sends every held message now (the gateway stops) and waits for them. */
  async flushAll(): Promise<void> {
    const sessions = new Set([...this.entries.values()].map((e) => e.session));
    await Promise.all([...sessions].map((s) => this.flush(s)));
  }

  /**
   * The gateway stops: the results its sessions' browsers have not acknowledged (of `session`,
   * or all) are written where the gateway that resumes the session finds them (the request's
   * `keep`), each once. Call it after `flush`: a message still held has no result yet. A
   * failure is logged (never the message) and the others are still kept.
   */
  async keepUnacknowledged(session?: string): Promise<void> {
    const waiting = [...this.entries.values()].filter(
      (e) => (session === undefined || e.session === session) && e.state === "sent" && e.result !== null,
    );
    let kept = 0;
    await Promise.all(
      waiting.map(async (entry) => {
        const { keep, result } = entry;
        if (!keep || result === null) return;
        entry.keep = null;
        // Marked before it is written: an acknowledgement meanwhile removes it after the write
        // (a store does one session's writes in order).
        entry.kept = true;
        try {
          await keep(result);
          kept += 1;
        } catch (error) {
          this.log?.warn("send.keep_failed", { error });
        }
      }),
    );
    if (kept > 0) this.log?.info("send.kept_unacknowledged", { kept });
  }

  /** Held (not yet sending) messages of a session, for tests and the log. */
  heldCount(session: string): number {
    return this.ofSession(session).filter((e) => e.state === "held").length;
  }

  private async deliver(entry: Entry<D, R>): Promise<void> {
    // The timer and a flush may both reach here; only the first one sends.
    if (entry.state !== "held" || !entry.request) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.state = "sending";
    const request = entry.request;
    try {
      const result = await request.deliver();
      entry.result = result;
      entry.bytes = request.keptBytes?.(result) ?? 0;
      entry.state = "sent";
      await request.release?.().catch(() => undefined);
    } catch (error) {
      // Not sent: the page gives the message back to the form, as after an Undo, and its
      // uploads must still be there for the next Send (they go when it is sent, or with the
      // session).
      entry.error = error;
      entry.bytes = 0;
      entry.state = "failed";
      this.log?.warn("send.held_failed", { error });
    }
    this.settle(entry);
  }

  /** The message can no longer come back: free what it held; its answer is kept a while, for
   * its outcome and a late Undo ("sent"), then forgotten. */
  private settle(entry: Entry<D, R>): void {
    entry.request = null;
    entry.draft = null;
    if (entry.state !== "sent") entry.keep = null;
    entry.finish();
    entry.forget = setTimeout(() => this.entries.delete(keyOf(entry.session, entry.id)), KEEP_FINISHED_MS);
    entry.forget.unref();
  }
}
