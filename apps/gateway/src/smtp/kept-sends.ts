import { openSecret, sealSecret, sessionRef, type SessionToken } from "../sessions/session-crypto";
import type { SessionRecordStore } from "../sessions/stores/record-store";
import type { SendQueueLimits } from "./send-queue";

/**
 * Where a session's finished sends are kept when the gateway stops before the browser took
 * their answer (a POP3 account's Sent copy lives only in that answer): the gateway that resumes
 * the session, this one after a restart or another one, answers from here.
 */
export interface KeptSends<R> {
  /** `bytes`: what the answer counted against the session's bound in memory. */
  keep(id: string, result: R, bytes: number): Promise<void>;
  find(id: string): Promise<R | null>;
  forget(id: string): Promise<void>;
}

/** How long a stopped gateway's answers wait for the browser: a page open at the stop asks as
 * soon as it is connected again, however long the restart or the deploy took. */
export const KEEP_STOPPED_SENDS_MS = 60 * 60_000;

/** What an answer takes in the store over what it counts in memory, at most (base64 of its JSON). */
const STORED_OVER_MEMORY = 1.4;

export interface SealedSendsOptions<R> {
  records: SessionRecordStore;
  /** The server's half of the sealing key (DurableSessions.secret). */
  secret: Buffer;
  /** The session's cookie: the record store's key for it, and the other half of the key. */
  token: SessionToken;
  /** The session's bounds in memory, which bound what it keeps in the store too. */
  limits: SendQueueLimits;
  /** The answer as it was kept, or null for anything else (a version that kept another shape). */
  parse: (value: unknown) => R | null;
  /** @default KEEP_STOPPED_SENDS_MS */
  keepMs?: number;
  /** Told how many older answers made room for a newer one (never their content). */
  onDropped?: (count: number) => void;
}

/**
 * A session's kept sends in its record store, sealed as its password is (session-crypto.ts):
 * AES-256-GCM under the key derived from the server secret and the cookie's key, the session's
 * ref authenticated with it. The answer is the user's mail, so a copy of the store, or of the
 * store and the server's disk, opens none of it: only a request carrying the cookie does. The
 * send's id is sealed inside, so an answer moved to another id of the session does not open as
 * that one.
 */
export function sealedSends<R>(opts: SealedSendsOptions<R>): KeptSends<R> {
  const { records, secret, token } = opts;
  const ref = sessionRef(token.id);
  const bounds = {
    keepMs: opts.keepMs ?? KEEP_STOPPED_SENDS_MS,
    maxCount: opts.limits.heldSendsPerSession,
    // Counted as stored (sealed, base64 of the JSON of an answer that holds base64): about 4/3
    // of what the same answers count in memory, so the same answers fit, and no more is stored.
    maxBytes: Math.ceil(opts.limits.heldSendBytesPerSession * STORED_OVER_MEMORY),
  };
  return {
    async keep(id, result, bytes) {
      const sealed = sealSecret(secret, token, JSON.stringify({ v: 1, id, result }));
      const dropped = await records.keepSent(
        ref,
        id,
        { sealed, bytes: Math.max(bytes, sealed.length) },
        bounds,
      );
      if (dropped !== null && dropped > 0) opts.onDropped?.(dropped);
    },
    async find(id) {
      const sealed = await records.findSent(ref, id);
      const plain = sealed === null ? null : openSecret(secret, token, sealed);
      if (plain === null) return null;
      try {
        const kept = JSON.parse(plain) as { v?: unknown; id?: unknown; result?: unknown } | null;
        return kept?.v === 1 && kept.id === id ? opts.parse(kept.result) : null;
      } catch {
        return null;
      }
    },
    forget: (id) => records.forgetSent(ref, id),
  };
}
