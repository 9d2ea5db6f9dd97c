import type { Account } from "@pismo/protocol/schemas";

/** What a store keeps of a signed-in session: enough to rebuild it on any gateway, with the
 * password sealed (session-crypto.ts) so that the record alone opens nothing. */
export interface StoredSession {
  v: 1;
  account: Account;
  clientAddress: string;
  createdAt: number;
  /** Absolute end of the session (PISMO_SESSION_MAX_HOURS after sign-in), epoch ms. */
  expiresAt: number;
  /** The password, sealed with AES-256-GCM (base64url). */
  sealed: string;
}

/**
 * The one port every session store implements (file store for one gateway, Redis/Valkey for
 * several). Keys are session refs (hashes of the cookie's id). A record lives until removed,
 * until its absolute `expiresAt`, or until nobody touched it for `idleMs`.
 */
export interface SessionRecordStore {
  readonly kind: "file" | "redis";
  save(ref: string, record: StoredSession, idleMs: number): Promise<void>;
  load(ref: string): Promise<StoredSession | null>;
  /** Pushes the idle deadline of these records `idleMs` ahead (a browser is attached);
   * returns the refs whose record was removed (the session ended elsewhere). A record lost
   * otherwise (the store restarted without it) is not one of them: that ends no session. */
  touch(refs: readonly string[], idleMs: number): Promise<string[]>;
  /** Removes the record, and the sends kept for it, leaving word that it ended (ENDED_KEPT_MS)
   * for `touch` to tell. */
  remove(ref: string): Promise<void>;

  /**
   * Keeps a finished send's answer (`id`, the browser's name for the send) for the session
   * `ref`: a gateway that stops before the browser took it leaves it here for the gateway that
   * resumes the session. It goes with `forgetSent`, the session's `remove`, or `keepMs` after.
   * The caller seals it (session-crypto.ts) and counts its `bytes` as it counted them in memory;
   * the session keeps at most `maxCount` answers of at most `maxBytes` together, the oldest
   * making room for a newer one (a page waiting now rather than one that may never come back).
   * Returns how many went for it, or null when the session has no record (it ended: nobody
   * could ask for it) and nothing was kept; throws for one that alone is over `maxBytes`.
   */
  keepSent(ref: string, id: string, sent: KeptSend, bounds: KeptSendBounds): Promise<number | null>;
  /** The sealed answer kept for `id`, or null (never kept, forgotten, past its time). */
  findSent(ref: string, id: string): Promise<string | null>;
  forgetSent(ref: string, id: string): Promise<void>;

  /** Makes `holder` the one gateway holding the session's IMAP connection, whoever held it;
   * returns the previous holder when it was another. */
  takeLease(ref: string, holder: string, ttlMs: number): Promise<string | null>;
  /** Extends the leases `holder` still holds; returns the refs it no longer holds. */
  renewLeases(refs: readonly string[], holder: string, ttlMs: number): Promise<string[]>;
  /** Lets go of the lease if `holder` still has it. */
  releaseLease(ref: string, holder: string): Promise<void>;
  leaseHolder(ref: string): Promise<string | null>;
  /** Says, for as long as this process's connection to the store lasts, that `gateway` runs;
   * called again from time to time (it also says so again after the store came back). */
  markRunning(gateway: string): Promise<void>;
  /** Whether `gateway` runs (its connection to the store is open): a gateway killed outright
   * stops running at once, while the leases it held last until they lapse. True for a gateway
   * that does not say so (one of an older version): only its lease's lapse tells. */
  isRunning(gateway: string): Promise<boolean>;

  /** Messages between gateways (every subscriber of the channel, this gateway's included). */
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, onMessage: (message: string) => void): Promise<void>;
  unsubscribe(channel: string): Promise<void>;

  close(): Promise<void>;
}

/** A send's answer as a store keeps it: sealed, and what it counts against the session's bound. */
export interface KeptSend {
  sealed: string;
  bytes: number;
}

export interface KeptSendBounds {
  keepMs: number;
  maxCount: number;
  maxBytes: number;
}

/** The browser's name for a send (heldSendIdSchema), as a store takes it: it names a file. */
export const KEPT_SEND_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** How long a removed record's "ended" is kept: long past any gateway's next renewal. */
export const ENDED_KEPT_MS = 60 * 60_000;

/** Parses a stored record; null for anything that is not one (a damaged file, a stranger's
 * key), so a bad record reads as "no session" rather than a crash. */
export function parseStoredSession(text: string | null): StoredSession | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<StoredSession> | null;
    if (
      !value ||
      value.v !== 1 ||
      typeof value.sealed !== "string" ||
      typeof value.expiresAt !== "number" ||
      typeof value.createdAt !== "number" ||
      typeof value.clientAddress !== "string" ||
      typeof value.account !== "object"
    )
      return null;
    return value as StoredSession;
  } catch {
    return null;
  }
}
