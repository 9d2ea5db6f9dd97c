import { randomBytes } from "node:crypto";
import type { Account } from "@pismo/protocol/schemas";
import type { Logger } from "../log";
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

/** Same mailbox on the same server: sessions that should hear of each other's folder changes. */
export function accountKey(account: Account): string {
  return `${account.protocol}:${account.email.toLowerCase()}@${account.server.host.toLowerCase()}:${account.server.port}`;
}

/**
 * Signed-in sessions, by a random id (256 bits) that only the httpOnly cookie carries. A
 * session with no browser attached ends after `idleMs`, closing its IMAP connection.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly endedListeners: Array<(session: Session) => void> = [];

  constructor(
    private readonly idleMs: number,
    private readonly log: Logger,
  ) {}

  /** Called when a session ends (sign-out, expiry, shutdown), to free what it held. */
  onEnded(listener: (session: Session) => void): void {
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
    this.armExpiry(session);
    this.log.info("session.created", {
      protocol: init.account.protocol,
      user: init.account.email,
      sessions: this.sessions.size,
    });
    return session;
  }

  get(id: string | null): Session | null {
    return id ? (this.sessions.get(id) ?? null) : null;
  }

  siblings(session: Session): Session[] {
    const key = accountKey(session.account);
    return [...this.sessions.values()].filter((s) => s !== session && accountKey(s.account) === key);
  }

  /** A browser connected with this session; returns the function to call when it leaves. */
  attach(session: Session): () => void {
    session.attached += 1;
    if (session.expiry) {
      clearTimeout(session.expiry);
      session.expiry = null;
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      session.attached -= 1;
      if (session.attached === 0 && this.sessions.has(session.id)) this.armExpiry(session);
    };
  }

  async destroy(id: string, reason: "SESSION_EXPIRED" | "NOT_SIGNED_IN" = "NOT_SIGNED_IN"): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    if (session.expiry) clearTimeout(session.expiry);
    await session.mail?.close(reason).catch(() => undefined);
    for (const listener of this.endedListeners) listener(session);
    this.log.info("session.ended", { reason, user: session.account.email, sessions: this.sessions.size });
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.destroy(id)));
  }

  private armExpiry(session: Session): void {
    session.expiry = setTimeout(() => void this.destroy(session.id, "SESSION_EXPIRED"), this.idleMs);
    session.expiry.unref();
  }
}
