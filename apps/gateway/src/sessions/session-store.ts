import { randomBytes } from "node:crypto";
import type { Account } from "@pismo/protocol/schemas";
import type { IncomingMessage } from "node:http";
import type { Logger } from "../log";
import { readSessionCookie, type CookieOptions } from "./cookie";
import type { ImapSession } from "../imap/imap-session";

export interface Session {
  readonly id: string;
  readonly account: Account;
  /** Held only in this process's memory, never logged or written anywhere: POP3 pulls and
   * IMAP reconnects need it. */
  readonly password: string;
  readonly mail: ImapSession | null;
  readonly clientAddress: string;
  attached: number;
  expiry: NodeJS.Timeout | null;
}

export type SessionEndReason = "SESSION_EXPIRED" | "NOT_SIGNED_IN";

/** Same mailbox on the same server: sessions that should hear of each other's folder changes. */
export function accountKey(account: Account): string {
  return `${account.protocol}:${account.email.toLowerCase()}@${account.server.host.toLowerCase()}:${account.server.port}`;
}

export interface SessionStoreOptions {
  /** A session with no browser attached ends after this long. */
  idleMs: number;
  /**
   * Every session ends this long after sign-in, attached or not: a stolen cookie, or a tab
   * left open for days, does not keep the password in use for ever.
   */
  maxLifetimeMs: number;
  /** How the session cookie is named and marked. */
  cookie?: CookieOptions;
}

interface Tracking {
  lifetime: NodeJS.Timeout;
  /** Ends every browser connection of the session (a WebSocket each). */
  closers: Set<() => void>;
}

/**
 * Signed-in sessions, by a random id (256 bits) that only the httpOnly cookie carries. A
 * session with no browser attached ends after `idleMs`; every session ends `maxLifetimeMs`
 * after sign-in. When a session ends, for whatever reason, every connection attached to it is
 * closed and its IMAP connection and POP3 pulls are stopped (listeners of `onEnded`).
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly tracking = new WeakMap<Session, Tracking>();
  private readonly endedListeners: Array<(session: Session, reason: SessionEndReason) => void> = [];

  constructor(
    private readonly opts: SessionStoreOptions,
    private readonly log: Logger,
  ) {}

  /** Called when a session ends (sign-out, expiry, shutdown), to free what it held. */
  onEnded(listener: (session: Session, reason: SessionEndReason) => void): void {
    this.endedListeners.push(listener);
  }

  get size(): number {
    return this.sessions.size;
  }

  create(init: Omit<Session, "id" | "attached" | "expiry">): Session {
    const session: Session = {
      ...init,
      id: randomBytes(32).toString("base64url"),
      attached: 0,
      expiry: null,
    };
    this.sessions.set(session.id, session);
    const lifetime = setTimeout(
      () => void this.destroy(session.id, "SESSION_EXPIRED"),
      this.opts.maxLifetimeMs,
    );
    lifetime.unref();
    this.tracking.set(session, { lifetime, closers: new Set() });
    this.armExpiry(session);
    this.log.info("session.created", {
      protocol: init.account.protocol,
      user: init.account.email,
      sessions: this.sessions.size,
    });
    return session;
  }

  /** How the session cookie is named and marked (for sessionCookieHeader). */
  get cookie(): CookieOptions {
    return this.opts.cookie ?? {};
  }

  /** The live session named by the request's cookie, or null. */
  fromRequest(req: IncomingMessage): Session | null {
    return this.get(readSessionCookie(req, this.cookie));
  }

  get(id: string | null): Session | null {
    return id ? (this.sessions.get(id) ?? null) : null;
  }

  /** False once the session has ended: a context built earlier must no longer act for it. */
  isLive(session: Session): boolean {
    return this.sessions.get(session.id) === session;
  }

  siblings(session: Session): Session[] {
    const key = accountKey(session.account);
    return [...this.sessions.values()].filter((s) => s !== session && accountKey(s.account) === key);
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

  async destroy(id: string, reason: SessionEndReason = "NOT_SIGNED_IN"): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    if (session.expiry) clearTimeout(session.expiry);
    const tracking = this.tracking.get(session);
    if (tracking) {
      clearTimeout(tracking.lifetime);
      // Every socket of the session, however old: its context was built when it opened.
      for (const close of [...tracking.closers]) close();
      tracking.closers.clear();
    }
    for (const listener of this.endedListeners) listener(session, reason);
    await session.mail?.close(reason).catch(() => undefined);
    this.log.info("session.ended", { reason, user: session.account.email, sessions: this.sessions.size });
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.destroy(id)));
  }

  private armExpiry(session: Session): void {
    session.expiry = setTimeout(() => void this.destroy(session.id, "SESSION_EXPIRED"), this.opts.idleMs);
    session.expiry.unref();
  }
}
