import { Dexie, type Table } from "dexie";
import type { SenderVerdict } from "@pismo/protocol/trust";
import type { ComposeFields } from "../compose/initial-draft";
import { threadingHeaders } from "./pop3-threading";

/**
 * This browser's copy of a POP3 account: "the local computer" is this browser's IndexedDB.
 * One database per account, so two accounts never mix and wiping one is one call.
 */

export const INBOX = "inbox";
export const TRASH = "trash";
/** What this account sends is kept here (the gateway returns the exact bytes sent). */
export const SENT = "sent";
/** Unsent messages, kept as the compose fields (not as MIME), one row per draft. */
export const DRAFTS = "drafts";
/** The folders every POP3 account has here; filters may target only Inbox and Trash. */
export const localBuiltIns: readonly string[] = [INBOX, DRAFTS, SENT, TRASH];

/** What the list needs, without the bytes: listing never loads message bodies. */
export interface StoredMessage {
  /** The UIDL unique-id: stable across pulls and devices. */
  uid: string;
  folderId: string;
  from: string;
  fromAddress: string;
  to: string;
  subject: string;
  /** ISO 8601, or null when the message has no usable Date. */
  date: string | null;
  /** Date in ms (or storedAt without a date): the list's order. */
  sortKey: number;
  /** Size on the server in octets. */
  size: number;
  seen: boolean;
  flagged: boolean;
  /** Only the header block is here; the body is still only on the server. */
  headersOnly: boolean;
  hasAttachment: boolean;
  storedAt: number;
  /**
   * Deleted here for good: a tombstone kept (without its bytes) so the next pull neither
   * fetches it again (leave-a-copy) nor forgets to delete it on the server when the policy
   * says so.
   */
  deletedLocally: boolean;
  /** Still on the server as far as this browser knows; false once a pull confirmed the DELE. */
  onServer: boolean;
  /**
   * The UIDL unique-id on the server, when it is not `uid`: the server gave this message a
   * unique-id an older message here already had (RFC 1939 section 7 allows reuse once the old
   * one was deleted), so it is kept under a local key of its own (see serverUidOf).
   */
  serverUid?: string;
  /**
   * Who really sent it, as the gateway judged it when it brought the message (the server's
   * Authentication-Results, else Pismo's DKIM check). Null: nothing to judge by; absent:
   * stored before Pismo judged senders. Not indexed, so the schema needs no new version.
   */
  senderVerdict?: SenderVerdict | null;
  /** Its read receipt was sent or declined (the $MDNSent of RFC 3503, kept here); not indexed. */
  receiptAnswered?: boolean;
  /** Threading headers (RFC 5322 §3.6.4), without angle brackets: conversations are built
   * from them. Absent on rows stored before they were kept, until the upgrade fills them. */
  messageId?: string | null;
  inReplyTo?: string | null;
  references?: string[];
  /**
   * The folder whose list shows this message: its folderId, absent for a tombstone. Indexed
   * with sortKey, so a folder's list is read a window at a time (offset and limit on the
   * index) and counted without reading its rows; IndexedDB leaves a row whose key has a
   * missing part out of the index, so tombstones never take a place in a window. Kept by the
   * table's hooks on every write; never set it by hand.
   */
  listedIn?: string;
}

/** The message's UIDL unique-id on the server (its local key, unless the server reused it). */
export function serverUidOf(m: Pick<StoredMessage, "uid" | "serverUid">): string {
  return m.serverUid ?? m.uid;
}

export interface StoredBody {
  uid: string;
  /** Every byte as the server sent it (CRLF line ends, 8-bit bodies untouched). */
  raw: Uint8Array;
}

/** A draft's fields as the compose panel had them; its list row is in `messages` (folder DRAFTS). */
export interface StoredDraft {
  uid: string;
  fields: ComposeFields;
  updatedAt: number;
}

/**
 * A file attached to a draft kept here: its bytes, so the draft can be sent after the gateway
 * has forgotten the upload (a sign-out, a restart). `id` is the upload the draft's fields name.
 */
export interface StoredDraftFile {
  draft: string;
  id: string;
  bytes: Blob;
}

export interface SettingRow {
  key: string;
  value: unknown;
}

export class Pop3Database extends Dexie {
  messages!: Table<StoredMessage, string>;
  bodies!: Table<StoredBody, string>;
  settings!: Table<SettingRow, string>;
  drafts!: Table<StoredDraft, string>;
  draftFiles!: Table<StoredDraftFile, [string, string]>;

  constructor(name: string) {
    // "strict": the transaction's completion means the data reached the disk; only then may
    // the gateway delete the message on the server (Chromium defaults to "relaxed").
    super(name, { chromeTransactionDurability: "strict" });
    this.version(1).stores({
      messages: "&uid, folderId, [folderId+sortKey], onServer",
      bodies: "&uid",
      settings: "&key",
    });
    this.version(2).stores({ drafts: "&uid" });
    // Conversations need each message's Message-ID, In-Reply-To and References: read once from
    // the stored header block of every row kept before (synchronously, inside the upgrade's
    // transaction; a row without bytes simply stays out of threading by headers).
    this.version(3)
      .stores({})
      .upgrade(async (tx) => {
        const messages = tx.table<StoredMessage, string>("messages");
        const bodies = tx.table<StoredBody, string>("bodies");
        for (const m of await messages.toArray()) {
          if (m.messageId !== undefined) continue;
          const body = await bodies.get(m.uid);
          await messages.update(
            m.uid,
            body ? threadingHeaders(body.raw) : { messageId: null, inReplyTo: null, references: [] },
          );
        }
      });
    // The windowed list: [listedIn+sortKey] in place of reading a whole folder to show a page
    // of it. Rows kept before get their listedIn here (the hooks below see only later writes).
    this.version(4)
      .stores({ messages: "&uid, folderId, [folderId+sortKey], [listedIn+sortKey], onServer" })
      .upgrade(async (tx) => {
        await tx
          .table<StoredMessage, string>("messages")
          .toCollection()
          .modify((m) => {
            if (m.deletedLocally) delete m.listedIn;
            else m.listedIn = m.folderId;
          });
      });
    // A draft's attached files, kept with it (before, only the gateway's upload held them).
    this.version(5).stores({ draftFiles: "&[draft+id], draft" });
    // Rows of a reused unique-id, found by it (rows without one are not in the index).
    this.version(6).stores({
      messages: "&uid, folderId, [folderId+sortKey], [listedIn+sortKey], onServer, serverUid",
    });
    // Every writer (a pull, a move, Delete, an Undo, a settings import that joins a folder to the
    // file's of the same name) changes folderId or deletedLocally; the hooks keep listedIn in
    // step with them.
    this.messages.hook("creating", (_key, m) => {
      if (m.deletedLocally) delete m.listedIn;
      else m.listedIn = m.folderId;
    });
    this.messages.hook("updating", (changes: Partial<StoredMessage>, _key, m) => {
      const folderId = "folderId" in changes ? changes.folderId : m.folderId;
      const deleted = "deletedLocally" in changes ? changes.deletedLocally : m.deletedLocally;
      const listedIn = deleted ? undefined : folderId;
      // A put over a row is an update too, and its diff drops listedIn (the new row has none).
      const after = "listedIn" in changes ? changes.listedIn : m.listedIn;
      return listedIn === after ? undefined : { listedIn };
    });
  }
}

/** The database name of an account: same mailbox on the same server, same store. */
export function pop3DatabaseName(account: { email: string; server: { host: string; port: number } }): string {
  return `pismo-pop3:${account.email.toLowerCase()}@${account.server.host.toLowerCase()}:${account.server.port}`;
}

export class StorageFullError extends Error {
  override readonly name = "StorageFullError";
  readonly code = "STORAGE_FULL" as const;
}

/** Dexie wraps IndexedDB's QuotaExceededError (and Chromium reports some as AbortError with an inner one). */
export function isQuotaError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth += 1) {
    const { name, inner } = e as { name?: unknown; inner?: unknown };
    if (name === "QuotaExceededError" || name === "StorageFullError") return true;
    e = inner;
  }
  return false;
}

/** Runs a write; a full storage comes out as StorageFullError, whatever Dexie wrapped it in. */
export async function writing<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isQuotaError(error)) throw new StorageFullError("This browser's storage is full", { cause: error });
    throw error;
  }
}

/** Asks the browser not to evict this origin's storage under pressure. */
export async function requestPersistentStorage(): Promise<boolean> {
  try {
    if (typeof navigator === "undefined" || !navigator.storage?.persist) return false;
    if (await navigator.storage.persisted()) return true;
    return await navigator.storage.persist();
  } catch {
    return false;
  }
}
