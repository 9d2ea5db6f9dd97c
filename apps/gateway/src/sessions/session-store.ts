import type { Account, MailEvent } from "@pismo/protocol/schemas";
import type { IncomingMessage } from "node:http";
import type { Logger } from "../log";
import type { LeasedMail } from "../cluster/leased-mail";
import { AccountChannels } from "./account-channels";
import { readSessionCookie, type CookieOptions } from "./cookie";
import {
  formatToken,
  newSessionToken,
  openSecret,
  parseToken,
  sameKey,
  sealSecret,
  sessionRef,
  type SessionToken,
} from "./session-crypto";
import type { Session, SessionEndReason, SessionLeaveReason, SessionStoreOptions } from "./session";
import type { SessionRecordStore, StoredSession } from "./stores/record-store";

interface Tracking {
  lifetime: NodeJS.Timeout;
  /** Ends every browser connection of the session (a WebSocket each). */
  closers: Set<() => void>;
}

/** How long a lease's holder must stay "not running" before its lease is taken over. */
const STOPPED_CONFIRM_MS = 1_500;

/**
 * Signed-in sessions, named by a random id (256 bits) that only the httpOnly cookie carries,
 * with a second random value, the cookie key, that unlocks the stored password. A session with
 * no browser attached ends after `idleMs`; every session ends `maxLifetimeMs` after sign-in.
 * When a session ends, for whatever reason, every connection attached to it is closed, on
 * every gateway, and its IMAP connection and POP3 pulls are stopped (listeners of `onEnded`).
 *
 * With a durable store, a session is also a record there: a gateway that gets a socket or a
 * request for a session it does not hold rebuilds it from the record (`resolve`), and a
 * shutdown only lets go of the sessions it holds. What gateways tell each other about a
 * session (ended, let go, folder changed) goes through its account's channel (`AccountChannels`).
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly byRef = new Map<string, Session>();
  private readonly resuming = new Map<string, Promise<Session | null>>();
  private readonly tracking = new WeakMap<Session, Tracking>();
  private readonly endedListeners: Array<(session: Session, reason: SessionLeaveReason) => void> = [];
  private readonly leavingHooks: Array<(session: Session) => Promise<void>> = [];
  private readonly channels: AccountChannels;
  private mailFactory: (session: Session) => LeasedMail | null = () => null;
  private renewTimer: NodeJS.Timeout | null = null;
  private listenTimer: NodeJS.Timeout | null = null;
  /** A listen check under way: the next one waits for it (a slow store is not asked twice). */
  private listening = false;
  /** Gateways holding a lease that the store said are not running, since when. */
  private readonly stoppedSince = new Map<string, number>();
  /** The store's answer on whether a gateway runs, while it is being asked (`isRunning`). */
  private readonly runningAsked = new Map<string, Promise<boolean>>();

  constructor(
    private readonly opts: SessionStoreOptions,
    private readonly log: Logger,
  ) {
    this.channels = new AccountChannels(
      opts.durable,
      {
        all: () => this.sessions.values(),
        byRef: (ref) => this.byRef.get(ref),
        end: (session, reason) => void this.leave(session, reason),
      },
      log,
    );
    const durable = opts.durable;
    if (durable) {
      this.renewTimer = setInterval(() => void this.renew(), durable.renewMs ?? 10_000);
      this.renewTimer.unref();
      // A gateway killed outright holds its leases until they lapse (30 s); its running mark
      // goes at once, so the pages here that listen to its connection get one of their own
      // within this check's period.
      durable.records
        .markRunning(durable.gatewayId)
        .catch((error: unknown) => log.warn("session.mark_running_failed", { error }));
      this.listenTimer = setInterval(() => void this.keepListened(), durable.listenCheckMs ?? 2_000);
      this.listenTimer.unref();
    }
  }

  /** True when sessions outlive this process (a store is configured). */
  get isDurable(): boolean {
    return this.opts.durable !== undefined;
  }

  /** Builds a session's mail (IMAP accounts), at sign-in and when a session is resumed. */
  setMailFactory(factory: (session: Session) => LeasedMail | null): void {
    this.mailFactory = factory;
  }

  /** Called when a session leaves this gateway (sign-out, expiry, shutdown, let go of), to
   * free what it held here. */
  onEnded(listener: (session: Session, reason: SessionLeaveReason) => void): void {
    this.endedListeners.push(listener);
  }

  /** Called, and waited for, when a session is about to leave this gateway, while its mail
   * connection still works (held sends go out and file their Sent copy). */
  onLeaving(hook: (session: Session) => Promise<void>): void {
    this.leavingHooks.push(hook);
  }

  get size(): number {
    return this.sessions.size;
  }

  /**
   * A new session; with a store, its record (password sealed) is written before the cookie is
   * handed out. `prepare` runs with the session before it is visible (sign-in adopts the IMAP
   * connection it opened to check the password). Returns the cookie's value.
   */
  async create(
    init: { account: Account; password: string; clientAddress: string },
    prepare?: (session: Session) => Promise<void>,
  ): Promise<{ session: Session; cookie: string }> {
    const token = newSessionToken();
    const now = Date.now();
    const session = this.build(token, { ...init, expiresAt: now + this.opts.maxLifetimeMs });
    const durable = this.opts.durable;
    if (durable) {
      const record: StoredSession = {
        v: 1,
        account: init.account,
        clientAddress: init.clientAddress,
        createdAt: now,
        expiresAt: session.expiresAt,
        sealed: sealSecret(durable.secret, token, init.password),
      };
      await durable.records.save(session.ref, record, this.opts.idleMs);
    }
    await prepare?.(session);
    void this.register(session);
    this.log.info("session.created", {
      protocol: init.account.protocol,
      user: init.account.email,
      sessions: this.sessions.size,
    });
    return { session, cookie: formatToken(token) };
  }

  private build(
    token: SessionToken,
    init: { account: Account; password: string; clientAddress: string; expiresAt: number },
  ): Session {
    const session: Session = {
      ...init,
      id: token.id,
      ref: sessionRef(token.id),
      key: token.key,
      mail: null,
      attached: 0,
      expiry: null,
    };
    session.mail = this.mailFactory(session);
    const durable = this.opts.durable;
    if (durable)
      session.mail?.link({
        heldElsewhere: async () => {
          const holder = await durable.records.leaseHolder(session.ref);
          return holder !== null && holder !== durable.gatewayId && !(await this.hasStopped(holder));
        },
        relay: (event) => this.channels.relay(session, event),
      });
    return session;
  }

  /** Resolves once the session hears its account's channel (AccountChannels.listen). */
  private register(session: Session): Promise<void> {
    this.sessions.set(session.id, session);
    this.byRef.set(session.ref, session);
    const lifetime = setTimeout(
      () => void this.destroy(session.id, "SESSION_EXPIRED"),
      Math.max(0, session.expiresAt - Date.now()),
    );
    lifetime.unref();
    this.tracking.set(session, { lifetime, closers: new Set() });
    this.armExpiry(session);
    return this.channels.listen(session.account);
  }

  /** How the session cookie is named and marked (for sessionCookieHeader). */
  get cookie(): CookieOptions {
    return this.opts.cookie ?? {};
  }

  /** The session named by the request's cookie if this gateway holds it, or null. */
  fromRequest(req: IncomingMessage): Session | null {
    return this.held(parseToken(readSessionCookie(req, this.cookie)));
  }

  /** The session named by the request's cookie: held here, or rebuilt from the store. */
  async resolve(req: IncomingMessage): Promise<Session | null> {
    const token = parseToken(readSessionCookie(req, this.cookie));
    return this.held(token) ?? (token ? this.resume(token) : null);
  }

  private held(token: SessionToken | null): Session | null {
    if (!token) return null;
    const session = this.sessions.get(token.id);
    return session && sameKey(session.key, token.key) ? session : null;
  }

  /**
   * Rebuilds a session from its record: after a restart, or on another gateway. Requests
   * resuming at once share the work only when their cookies are the same, id and key: one with
   * the right id and a wrong key must neither get the session nor spoil its owner's resume.
   */
  private resume(token: SessionToken): Promise<Session | null> {
    const durable = this.opts.durable;
    if (!durable) return Promise.resolve(null);
    const ref = sessionRef(token.id);
    const resumeKey = `${ref} ${sessionRef(token.key)}`;
    let pending = this.resuming.get(resumeKey);
    if (!pending) {
      pending = (async () => {
        const record = await durable.records.load(ref);
        if (!record || record.expiresAt <= Date.now()) return null;
        const password = openSecret(durable.secret, token, record.sealed);
        if (password === null) {
          this.log.warn("session.unsealing_failed", { user: record.account.email });
          return null;
        }
        const again = this.held(token);
        if (again) return again;
        const session = this.build(token, {
          account: record.account,
          password,
          clientAddress: record.clientAddress,
          expiresAt: record.expiresAt,
        });
        await this.register(session);
        // Ended elsewhere (a sign-out) before this gateway heard the account's channel: its
        // "ended" was said to no one here, so the record, gone, says it.
        if (!(await durable.records.load(ref))) {
          await this.leave(session, "NOT_SIGNED_IN");
          return null;
        }
        await durable.records.touch([ref], this.opts.idleMs);
        this.log.info("session.resumed", { user: record.account.email, sessions: this.sessions.size });
        return session;
      })()
        .catch((error: unknown) => {
          this.log.error("session.resume_failed", { error });
          return null;
        })
        .finally(() => this.resuming.delete(resumeKey));
      this.resuming.set(resumeKey, pending);
    }
    return pending.then((session) => (session && sameKey(session.key, token.key) ? session : null));
  }

  get(id: string | null): Session | null {
    return id ? (this.sessions.get(id) ?? null) : null;
  }

  /** False once the session has ended: a context built earlier must no longer act for it. */
  isLive(session: Session): boolean {
    return this.sessions.get(session.id) === session;
  }

  /**
   * A browser connected with this session; `close` ends that connection when the session
   * ends. Returns the function to call when the browser leaves.
   */
  attach(session: Session, close?: () => void): () => void {
    session.attached += 1;
    if (session.expiry) {
      clearTimeout(session.expiry);
      session.expiry = null;
    }
    const closers = this.tracking.get(session)?.closers;
    if (close) closers?.add(close);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (close) closers?.delete(close);
      session.attached -= 1;
      if (session.attached === 0 && this.isLive(session)) this.armExpiry(session);
    };
  }

  /** Makes this gateway the holder of the session's IMAP connection; the gateway that held it
   * is told to let go. */
  async takeLease(session: Session): Promise<void> {
    const durable = this.opts.durable;
    if (!durable) return;
    const previous = await durable.records.takeLease(
      session.ref,
      durable.gatewayId,
      durable.leaseMs ?? 30_000,
    );
    if (previous) {
      this.log.info("session.lease_taken", { user: session.account.email, from: previous });
      await this.channels.letGo(session, previous);
    }
  }

  /** Tells the account's other sessions, and `from`'s pages on other gateways, of a change made
   * through `from` here (AccountChannels.announce). */
  announce(from: Session, event: MailEvent): void {
    this.channels.announce(from, event);
  }

  /** Ends the session everywhere: its record is deleted and every gateway closes its pages. */
  async destroy(id: string, reason: SessionEndReason = "NOT_SIGNED_IN"): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    const durable = this.opts.durable;
    if (durable) {
      await durable.records.remove(session.ref).catch((error: unknown) => {
        this.log.error("session.remove_failed", { error });
      });
      await this.channels.ended(session, reason);
    }
    await this.leave(session, reason);
  }

  /** Ends a session whose cookie names it even when this gateway does not hold it. */
  async destroyByCookie(req: IncomingMessage): Promise<void> {
    const session = await this.resolve(req);
    if (session) await this.destroy(session.id);
  }

  /** Removes the session from this gateway: ended (pages closed, connection logged out) or
   * only released (the record stays; another gateway, or this one after a restart, resumes). */
  private async leave(session: Session, reason: SessionLeaveReason): Promise<void> {
    if (!this.isLive(session)) return;
    this.sessions.delete(session.id);
    this.byRef.delete(session.ref);
    if (session.expiry) clearTimeout(session.expiry);
    const tracking = this.tracking.get(session);
    if (tracking) {
      clearTimeout(tracking.lifetime);
      // Every socket of the session, however old: its context was built when it opened.
      if (reason !== "RELEASED") for (const close of [...tracking.closers]) close();
      tracking.closers.clear();
    }
    this.channels.unlisten(session.account);
    await Promise.all(this.leavingHooks.map((hook) => hook(session).catch(() => undefined)));
    for (const listener of this.endedListeners) listener(session, reason);
    if (reason === "RELEASED") {
      await session.mail?.letGo();
      const durable = this.opts.durable;
      if (durable) {
        await durable.records.releaseLease(session.ref, durable.gatewayId).catch(() => undefined);
        await this.channels.released(session);
      }
    } else {
      await session.mail?.close(reason).catch(() => undefined);
    }
    this.log.info(reason === "RELEASED" ? "session.released" : "session.ended", {
      reason,
      user: session.account.email,
      sessions: this.sessions.size,
    });
  }

  /** Shutdown: with a store, sessions are only let go of (they resume elsewhere or after the
   * restart); without one they end. */
  async closeAll(): Promise<void> {
    if (this.renewTimer) clearInterval(this.renewTimer);
    if (this.listenTimer) clearInterval(this.listenTimer);
    const all = [...this.sessions.values()];
    if (this.opts.durable) {
      await Promise.all(all.map((s) => this.leave(s, "RELEASED")));
      await this.opts.durable.records.close();
    } else {
      await Promise.all(all.map((s) => this.destroy(s.id)));
    }
  }

  /** Keeps the records of attached sessions from going idle and renews the leases held here;
   * a lease lost meanwhile (another gateway took it) lets go of the connection. A session whose
   * record is gone ends here too: it was signed out elsewhere and this gateway missed the word
   * ("ended" is one message between gateways, lost while the store's subscriber reconnects). */
  private async renew(): Promise<void> {
    const durable = this.opts.durable;
    if (!durable) return;
    const all = [...this.sessions.values()];
    try {
      const gone = await durable.records.touch(
        all.filter((s) => s.attached > 0).map((s) => s.ref),
        this.opts.idleMs,
      );
      for (const ref of gone) {
        const session = this.byRef.get(ref);
        if (!session) continue;
        this.log.info("session.record_gone", { user: session.account.email });
        void this.leave(session, "NOT_SIGNED_IN");
      }
      // Said again: a mark that failed at start, or lost with the store's restart, comes back.
      await durable.records
        .markRunning(durable.gatewayId)
        .catch((error: unknown) => this.log.warn("session.mark_running_failed", { error }));
      const held = all.filter((s) => s.mail?.held === true).map((s) => s.ref);
      const lost = await durable.records.renewLeases(held, durable.gatewayId, durable.leaseMs ?? 30_000);
      for (const ref of lost) void this.byRef.get(ref)?.mail?.letGo({ handedOver: true });
    } catch (error) {
      this.log.warn("session.renew_failed", { error });
    }
  }

  /** Pages here that hear a holder which is gone (stopped without letting go, or killed): the
   * connection opens here. Asks the store only for sessions with pages listening here. */
  private async keepListened(): Promise<void> {
    if (this.listening) return;
    this.listening = true;
    try {
      const waiting = [...this.sessions.values()].filter((s) => s.mail && !s.mail.held);
      await Promise.all(waiting.map((s) => s.mail?.keepListened()));
    } finally {
      this.listening = false;
    }
  }

  /**
   * Whether a lease's holder has stopped: the store said it is not running, twice, at least
   * STOPPED_CONFIRM_MS apart. Once is not enough: a running gateway's mark is missing for a
   * moment while its connection to the store is made again (after a Redis restart).
   */
  private async hasStopped(holder: string): Promise<boolean> {
    const durable = this.opts.durable;
    if (!durable || (await this.isRunning(durable.records, holder))) {
      this.stoppedSince.delete(holder);
      return false;
    }
    const since = this.stoppedSince.get(holder);
    if (since === undefined) {
      this.stoppedSince.set(holder, Date.now());
      if (this.stoppedSince.size > 1_000)
        this.stoppedSince.delete(this.stoppedSince.keys().next().value as string);
      return false;
    }
    return Date.now() - since >= STOPPED_CONFIRM_MS;
  }

  /**
   * Whether `holder` runs, asked once for every session that asks meanwhile: a listen check
   * asks for each session with pages here, and a thousand sessions held by one other gateway
   * are one question to the store, not a thousand.
   */
  private isRunning(records: SessionRecordStore, holder: string): Promise<boolean> {
    const asked = this.runningAsked.get(holder);
    if (asked) return asked;
    const answer = records.isRunning(holder).finally(() => this.runningAsked.delete(holder));
    this.runningAsked.set(holder, answer);
    return answer;
  }

  private armExpiry(session: Session): void {
    session.expiry = setTimeout(
      // With a store, the record's own idle end decides (a page may be attached to another
      // gateway); this gateway only lets go.
      () =>
        void (this.isDurable ? this.leave(session, "RELEASED") : this.destroy(session.id, "SESSION_EXPIRED")),
      this.opts.idleMs,
    );
    session.expiry.unref();
  }
}
