import type { Account } from "@pismo/protocol/schemas";
import type { LeasedMail } from "../cluster/leased-mail";
import type { CookieOptions } from "./cookie";
import type { SessionRecordStore } from "./stores/record-store";

export interface Session {
  readonly id: string;
  /** What the store keys the session by (a hash of the id). */
  readonly ref: string;
  /** The cookie's half of the key that seals the stored password; held in memory only. */
  readonly key: string;
  readonly account: Account;
  /** Held only in this process's memory, never logged, and stored only sealed: POP3 pulls and
   * IMAP reconnects need it. */
  readonly password: string;
  mail: LeasedMail | null;
  readonly clientAddress: string;
  /** Absolute end of the session, epoch ms. */
  readonly expiresAt: number;
  attached: number;
  expiry: NodeJS.Timeout | null;
}

export type SessionEndReason = "SESSION_EXPIRED" | "NOT_SIGNED_IN";
/** Why a session left this gateway: it ended, or it was only let go of here (shutdown, no page
 * attached here any more) and lives on in the store. */
export type SessionLeaveReason = SessionEndReason | "RELEASED";

/** Same mailbox on the same server: sessions that should hear of each other's folder changes. */
export function accountKey(account: Account): string {
  return `${account.protocol}:${account.email.toLowerCase()}@${account.server.host.toLowerCase()}:${account.server.port}`;
}

export interface DurableSessions {
  records: SessionRecordStore;
  /** The server's half of the sealing key (PISMO_SECRET or the data dir's secret file). */
  secret: Buffer;
  /** This gateway's name in leases. */
  gatewayId: string;
  /** How long a lease lasts unless renewed. @default 30 s */
  leaseMs?: number;
  /** How often records are touched and leases renewed. @default 10 s */
  renewMs?: number;
  /** How often sessions whose pages listen here without the connection look whether its
   * holder still runs. @default 2 s */
  listenCheckMs?: number;
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
  /** Sessions kept in a store, so they survive a restart and move between gateways. Without
   * it they live in this process's memory only. */
  durable?: DurableSessions;
}
