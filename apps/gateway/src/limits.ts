// Limits that keep one session's memory, disk and time bounded, whatever its mail server or
// browser sends, so that one user (or one hostile POP3 server) cannot take the gateway down
// for the others. Past a limit the user gets a specific error; nothing is lost on the server.

/** Bounds applied by the gateway; every field can be overridden when starting it (tests). */
export interface GatewayLimits {
  /**
   * Largest multi-line answer to a listing command (CAPA, UIDL, LIST) in bytes. A UIDL line
   * is at most about 83 bytes, so this covers some 200,000 messages.
   * @default 16 * 1024 * 1024 (16 MiB)
   */
  pop3MaxListingBytes: number;
  /**
   * Most lines in a listing answer (CAPA, UIDL, LIST).
   * @default 250_000
   */
  pop3MaxListingLines: number;
  /**
   * Largest message RETR (or TOP) brings in. A pull fetches only the headers of a larger
   * message (its LIST size says so) and leaves it on the server; a server whose RETR sends
   * more than this fails the command with MESSAGE_TOO_LARGE.
   * @default 50 * 1024 * 1024 (50 MiB: twice the common 25 MiB SMTP limit)
   */
  pop3MaxMessageBytes: number;
  /**
   * Overall deadline of one POP3 command, from sending it to the last byte of its answer. Not
   * restarted by data, unlike the inactivity timeout: a server that trickles a byte now and
   * then cannot hold a command (and its memory) for ever.
   * @default 10 * 60_000 (10 minutes: 50 MiB at under 1 Mbit/s)
   */
  pop3CommandDeadlineMs: number;
  /**
   * Bytes of retrieved messages a pull holds while it waits for the browser's
   * acknowledgements (on top of the message count window).
   * @default 32 * 1024 * 1024 (32 MiB)
   */
  pop3PullWindowBytes: number;
  /**
   * Whole-message downloads (pop3.fetchFull) running at once for one session; more answer
   * RATE_LIMITED.
   * @default 2
   */
  pop3FetchesPerSession: number;
  /**
   * Whole-message downloads running at once in the whole gateway; more answer RATE_LIMITED.
   * @default 4
   */
  pop3FetchesPerGateway: number;
  /**
   * POP3 pulls running at once in the whole gateway (each holds its window plus one message in
   * memory); more wait their turn, first come first served, and after a minute answer
   * GATEWAY_BUSY, nothing downloaded or removed.
   * @default 16
   */
  pop3PullsPerGateway: number;
  /**
   * Attachments uploaded and not yet sent or removed, per session; more answer RATE_LIMITED.
   * @default 50
   */
  uploadsPerSession: number;
  /**
   * Bytes of attachments uploaded and not yet sent or removed, per session; past it an upload
   * fails with MESSAGE_TOO_LARGE.
   * @default 100 * 1024 * 1024 (100 MiB)
   */
  uploadBytesPerSession: number;
  /**
   * Bytes of attachments uploaded and not yet sent or removed, per account over all its
   * sessions (every sign-in is a session); past it an upload fails with MESSAGE_TOO_LARGE.
   * @default 200 * 1024 * 1024 (200 MiB)
   */
  uploadBytesPerAccount: number;
  /**
   * Bytes of attachments uploaded and not yet sent or removed in the whole gateway (its disk);
   * past it an upload fails with RATE_LIMITED.
   * @default 2 * 1024 * 1024 * 1024 (2 GiB)
   */
  uploadBytesPerGateway: number;
  /**
   * Messages held back for Undo send (or sent, with their answer not yet read) per session;
   * more answer RATE_LIMITED.
   * @default 10
   */
  heldSendsPerSession: number;
  /**
   * Bytes of built messages held back for Undo send per session (their attachments also count
   * in the upload bounds until sent); past it sending with a delay fails with MESSAGE_TOO_LARGE.
   * @default 64 * 1024 * 1024 (64 MiB)
   */
  heldSendBytesPerSession: number;
  /**
   * WebSockets open at once from one client address (an IPv6 address counts by its /64, as
   * the sign-in limiter counts it); past it an upgrade is refused with 429. A tab holds one,
   * two during a POP3 pull: this leaves room for an office behind one NAT address.
   * @default 256
   */
  socketsPerClient: number;
  /**
   * WebSockets open at once from one client address (counted as for socketsPerClient) whose
   * tRPC context has no signed-in session, on top of (and also counted in) socketsPerClient;
   * past it such a socket is closed with 4429 as soon as that is known. A sign-in page holds
   * one while a person types, so they are not timed out; this keeps a few addresses from
   * filling socketsPerGateway with sockets that never sign in.
   * @default 16
   */
  unauthenticatedSocketsPerClient: number;
  /**
   * WebSockets open at once in the whole gateway; past it an upgrade is refused with 503 (the
   * page tries again, with back-off). Each signed-in idle socket costs about 50 KB.
   * @default 20_000
   */
  socketsPerGateway: number;
}

/** The defaults documented on GatewayLimits. */
export const DEFAULT_GATEWAY_LIMITS: Readonly<GatewayLimits> = Object.freeze({
  pop3MaxListingBytes: 16 * 1024 * 1024,
  pop3MaxListingLines: 250_000,
  pop3MaxMessageBytes: 50 * 1024 * 1024,
  pop3CommandDeadlineMs: 10 * 60_000,
  pop3PullWindowBytes: 32 * 1024 * 1024,
  pop3FetchesPerSession: 2,
  pop3FetchesPerGateway: 4,
  pop3PullsPerGateway: 16,
  uploadsPerSession: 50,
  uploadBytesPerSession: 100 * 1024 * 1024,
  uploadBytesPerAccount: 200 * 1024 * 1024,
  uploadBytesPerGateway: 2 * 1024 * 1024 * 1024,
  heldSendsPerSession: 10,
  heldSendBytesPerSession: 64 * 1024 * 1024,
  socketsPerClient: 256,
  unauthenticatedSocketsPerClient: 16,
  socketsPerGateway: 20_000,
});

/** Merges overrides into the defaults; a non-positive or non-integer limit is a programmer error. */
export function resolveGatewayLimits(overrides: Partial<GatewayLimits> | undefined): GatewayLimits {
  const limits: GatewayLimits = { ...DEFAULT_GATEWAY_LIMITS };
  for (const key of Object.keys(DEFAULT_GATEWAY_LIMITS) as Array<keyof GatewayLimits>) {
    const value = overrides?.[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new RangeError(`GatewayLimits.${key} must be a positive integer`);
    limits[key] = value;
  }
  return limits;
}

/**
 * A counter of things running at once. `tryAcquire` never waits; `acquire` waits its turn
 * (first come, first served: `tryAcquire` does not pass those waiting).
 */
export class Slots {
  private used = 0;
  private readonly queue: Array<(release: () => void) => void> = [];

  constructor(readonly size: number) {}

  get inUse(): number {
    return this.used;
  }

  /** Callers of `acquire` waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Takes a slot, or returns null when all are taken; the function gives it back (once). */
  tryAcquire(): (() => void) | null {
    if (this.used >= this.size || this.queue.length > 0) return null;
    this.used += 1;
    return this.releaser();
  }

  /** Takes a slot, waiting at most `maxWaitMs`; null when the wait ran out or `signal` aborted. */
  acquire(signal: AbortSignal, maxWaitMs: number): Promise<(() => void) | null> {
    const now = this.tryAcquire();
    if (now || signal.aborted) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", giveUp);
      };
      const grant = (release: () => void) => {
        done();
        resolve(release);
      };
      const giveUp = () => {
        const i = this.queue.indexOf(grant);
        if (i >= 0) this.queue.splice(i, 1);
        done();
        resolve(null);
      };
      const timer = setTimeout(giveUp, maxWaitMs);
      timer.unref();
      signal.addEventListener("abort", giveUp, { once: true });
      this.queue.push(grant);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= 1;
      const next = this.queue.shift();
      if (next) {
        this.used += 1;
        next(this.releaser());
      }
    };
  }
}
