import { Dexie, type Table } from "dexie";
import { applyFilters, builtInFolderIds, makeSettingsFile, parseSettingsFile } from "@pismo/protocol/filters";
import type { FilterRule, LocalFolder, SettingsFile } from "@pismo/protocol/filters";
import { parseMessage } from "@pismo/protocol/mime";
import type { Address } from "@pismo/protocol/mime";
import { defaultPop3Policy, pop3PolicySchema } from "@pismo/protocol/pop3";
import type { Pop3FetchMode, Pop3KnownEntry, Pop3Policy } from "@pismo/protocol/pop3";
import type { ComposeFields } from "../compose/initial-draft";

/**
 * This browser's copy of a POP3 account (seed point 1: "the local computer" is this browser's
 * IndexedDB). One database per account, so two accounts never mix and wiping one is one call.
 */

export const INBOX = "inbox";
export const TRASH = "trash";
/** Issue 7: what this account sends is kept here (the gateway returns the exact bytes sent). */
export const SENT = "sent";
/** Issue 7: unsent messages, kept as the compose fields (not as MIME), one row per draft. */
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
}

interface StoredBody {
  uid: string;
  /** Every byte as the server sent it (CRLF line ends, 8-bit bodies untouched). */
  raw: Uint8Array;
}

/** A draft's fields as the compose panel had them; its list row is in `messages` (folder DRAFTS). */
interface StoredDraft {
  uid: string;
  fields: ComposeFields;
  updatedAt: number;
}

interface SettingRow {
  key: string;
  value: unknown;
}

export interface Pop3Settings {
  policy: Pop3Policy;
  folders: LocalFolder[];
  filters: FilterRule[];
  /** 0 = only on request. @default 10 */
  checkEveryMinutes: number;
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

class Pop3Database extends Dexie {
  messages!: Table<StoredMessage, string>;
  bodies!: Table<StoredBody, string>;
  settings!: Table<SettingRow, string>;
  drafts!: Table<StoredDraft, string>;

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
  }
}

/** The database name of an account: same mailbox on the same server, same store. */
export function pop3DatabaseName(account: { email: string; server: { host: string; port: number } }): string {
  return `pismo-pop3:${account.email.toLowerCase()}@${account.server.host.toLowerCase()}:${account.server.port}`;
}

function displayAddress(a: Address | null | undefined): string {
  if (!a) return "";
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

function newId(prefix: string): string {
  return `${prefix}-${globalThis.crypto.randomUUID().slice(0, 8)}`;
}

export class Pop3Store {
  readonly db: Pop3Database;

  constructor(readonly name: string) {
    this.db = new Pop3Database(name);
  }

  close(): void {
    this.db.close();
  }

  /** Deletes every message and setting of this account from this browser (a shared computer). */
  async wipe(): Promise<void> {
    this.db.close();
    await Dexie.delete(this.name);
  }

  // ---- pulls -------------------------------------------------------------------------------

  /** What the planner must know: every UID this browser holds that may still be on the server. */
  async known(): Promise<Pop3KnownEntry[]> {
    const rows = await this.db.messages.filter((m) => m.onServer).toArray();
    return rows.map((m) => ({
      uid: m.uid,
      storedAt: m.storedAt,
      deletedLocally: m.deletedLocally,
      headersOnly: m.headersOnly,
    }));
  }

  /** One pulled message; see storeMessages. */
  async storeMessage(
    uid: string,
    raw: Uint8Array,
    info: { size: number; mode: Pop3FetchMode; now?: number },
  ): Promise<StoredMessage> {
    const [stored] = await this.storeMessages([{ uid, raw, size: info.size, mode: info.mode }], info.now);
    if (!stored) throw new Error("nothing stored");
    return stored;
  }

  /**
   * Stores pulled messages in one transaction and resolves only when it has committed: the
   * caller acknowledges them to the gateway after this, never before. One transaction for a
   * batch means one disk flush, not one per message. Filters sort each on arrival (seed point
   * 4). A UID already held is not stored twice.
   */
  async storeMessages(
    items: ReadonlyArray<{ uid: string; raw: Uint8Array; size: number; mode: Pop3FetchMode }>,
    now = Date.now(),
  ): Promise<StoredMessage[]> {
    const { folders, filters } = await this.settings();
    const folderIds = new Set<string>([...builtInFolderIds, ...folders.map((f) => f.id)]);
    const prepared: Array<{ message: StoredMessage; raw: Uint8Array; mode: Pop3FetchMode }> = [];
    for (const item of items) {
      const view = await parseMessage(item.raw);
      const to = [...view.to, ...view.cc].map(displayAddress).join(", ");
      const outcome = applyFilters(filters, {
        from: displayAddress(view.from),
        to,
        subject: view.subject ?? "",
      });
      const dateMs = view.date ? Date.parse(view.date) : NaN;
      prepared.push({
        raw: item.raw,
        mode: item.mode,
        message: {
          uid: item.uid,
          folderId: outcome.folderId !== null && folderIds.has(outcome.folderId) ? outcome.folderId : INBOX,
          from: view.from ? view.from.name || view.from.address : "",
          fromAddress: view.from?.address ?? "",
          to,
          subject: view.subject ?? "",
          date: view.date,
          sortKey: Number.isFinite(dateMs) ? dateMs : now,
          size: item.size,
          seen: outcome.markRead,
          flagged: false,
          headersOnly: item.mode === "headers",
          hasAttachment: view.attachments.some((a) => a.disposition === "attachment"),
          storedAt: now,
          deletedLocally: false,
          onServer: true,
        },
      });
    }
    try {
      return await this.db.transaction("rw", this.db.messages, this.db.bodies, async () => {
        const out: StoredMessage[] = [];
        for (const { message, raw, mode } of prepared) {
          const existing = await this.db.messages.get(message.uid);
          if (existing) {
            // Delivered again after a dropped pull: keep the user's folder and flags; only a
            // whole message may replace a headers-only one.
            if (existing.headersOnly && mode === "full" && !existing.deletedLocally) {
              await this.db.bodies.put({ uid: message.uid, raw });
              await this.db.messages.update(message.uid, {
                headersOnly: false,
                hasAttachment: message.hasAttachment,
              });
            }
            out.push(existing);
            continue;
          }
          await this.db.messages.add(message);
          await this.db.bodies.add({ uid: message.uid, raw });
          out.push(message);
        }
        return out;
      });
    } catch (error) {
      if (isQuotaError(error)) throw new StorageFullError("This browser's storage is full", { cause: error });
      throw error;
    }
  }

  /** After a pull: these UIDs are gone from the server; their tombstones can go too. */
  async forgetOnServer(uids: readonly string[]): Promise<void> {
    if (uids.length === 0) return;
    await this.db.transaction("rw", this.db.messages, async () => {
      const rows = (await this.db.messages.bulkGet([...uids])).filter(
        (m): m is StoredMessage => m !== undefined,
      );
      await this.db.messages.bulkDelete(rows.filter((m) => m.deletedLocally).map((m) => m.uid));
      await this.db.messages.bulkUpdate(
        rows.filter((m) => !m.deletedLocally).map((m) => ({ key: m.uid, changes: { onServer: false } })),
      );
    });
  }

  /** The whole message arrived for a headers-only one. */
  async completeMessage(uid: string, raw: Uint8Array): Promise<void> {
    const view = await parseMessage(raw);
    await this.db.transaction("rw", this.db.messages, this.db.bodies, async () => {
      await this.db.bodies.put({ uid, raw });
      await this.db.messages.update(uid, {
        headersOnly: false,
        hasAttachment: view.attachments.some((a) => a.disposition === "attachment"),
      });
    });
  }

  // ---- reading -----------------------------------------------------------------------------

  /** A folder's messages, newest first; `search` matches subject or sender (case-insensitive). */
  async list(folderId: string, search = ""): Promise<StoredMessage[]> {
    const rows = await this.db.messages
      .where("[folderId+sortKey]")
      .between([folderId, Dexie.minKey], [folderId, Dexie.maxKey])
      .reverse()
      .toArray();
    const live = rows.filter((m) => !m.deletedLocally);
    const needle = search.trim().toLocaleLowerCase();
    if (!needle) return live;
    return live.filter((m) =>
      `${m.subject}\n${m.from}\n${m.fromAddress}`.toLocaleLowerCase().includes(needle),
    );
  }

  async unreadCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    await this.db.messages.each((m) => {
      if (!m.seen && !m.deletedLocally) counts[m.folderId] = (counts[m.folderId] ?? 0) + 1;
    });
    return counts;
  }

  get(uid: string): Promise<StoredMessage | undefined> {
    return this.db.messages.get(uid);
  }

  async raw(uid: string): Promise<Uint8Array | null> {
    return (await this.db.bodies.get(uid))?.raw ?? null;
  }

  // ---- writing (issue 7): the local Sent and Drafts folders ---------------------------------

  /**
   * The copy of a message this account sent: the exact bytes the gateway submitted, read, in
   * Sent. Never on the POP3 server, so no pull ever touches it. The list shows the recipients.
   */
  async storeSent(raw: Uint8Array, now = Date.now()): Promise<StoredMessage> {
    const view = await parseMessage(raw);
    const dateMs = view.date ? Date.parse(view.date) : NaN;
    const recipients = [...view.to, ...view.cc, ...view.bcc];
    const message: StoredMessage = {
      uid: `sent-${globalThis.crypto.randomUUID()}`,
      folderId: SENT,
      from: recipients.map((a) => a.name || a.address).join(", "),
      fromAddress: view.from?.address ?? "",
      to: recipients.map(displayAddress).join(", "),
      subject: view.subject ?? "",
      date: view.date,
      sortKey: Number.isFinite(dateMs) ? dateMs : now,
      size: raw.length,
      seen: true,
      flagged: false,
      headersOnly: false,
      hasAttachment: view.attachments.some((a) => a.disposition === "attachment"),
      storedAt: now,
      deletedLocally: false,
      onServer: false,
    };
    try {
      await this.db.transaction("rw", this.db.messages, this.db.bodies, async () => {
        await this.db.messages.add(message);
        await this.db.bodies.add({ uid: message.uid, raw });
      });
    } catch (error) {
      if (isQuotaError(error)) throw new StorageFullError("This browser's storage is full", { cause: error });
      throw error;
    }
    return message;
  }

  /**
   * Saves a draft (autosave): a new one when `uid` is null, else replaces that one's fields.
   * Returns its id. The fields are kept as they are (JSON), not as a MIME message.
   */
  async saveDraft(fields: ComposeFields, uid: string | null, now = Date.now()): Promise<string> {
    const id = uid ?? `draft-${globalThis.crypto.randomUUID()}`;
    const message: StoredMessage = {
      uid: id,
      folderId: DRAFTS,
      from: fields.to.trim(),
      fromAddress: "",
      to: fields.to.trim(),
      subject: fields.subject,
      date: new Date(now).toISOString(),
      sortKey: now,
      size: JSON.stringify(fields).length,
      seen: true,
      flagged: false,
      headersOnly: false,
      hasAttachment: fields.attachments.length > 0,
      storedAt: now,
      deletedLocally: false,
      onServer: false,
    };
    try {
      await this.db.transaction("rw", this.db.messages, this.db.drafts, async () => {
        await this.db.messages.put(message);
        await this.db.drafts.put({ uid: id, fields, updatedAt: now });
      });
    } catch (error) {
      if (isQuotaError(error)) throw new StorageFullError("This browser's storage is full", { cause: error });
      throw error;
    }
    return id;
  }

  /** A draft's fields, to reopen it in the compose panel; null when there is no such draft. */
  async draft(uid: string): Promise<ComposeFields | null> {
    return (await this.db.drafts.get(uid))?.fields ?? null;
  }

  /** Sent or discarded: the draft goes for good (it was never anywhere but here). */
  async removeDraft(uid: string): Promise<void> {
    await this.db.transaction("rw", this.db.messages, this.db.drafts, async () => {
      await this.db.messages.delete(uid);
      await this.db.drafts.delete(uid);
    });
  }

  // ---- actions -----------------------------------------------------------------------------

  async setSeen(uids: readonly string[], seen: boolean): Promise<void> {
    await this.db.messages.bulkUpdate(uids.map((uid) => ({ key: uid, changes: { seen } })));
  }

  async setFlagged(uids: readonly string[], flagged: boolean): Promise<void> {
    await this.db.messages.bulkUpdate(uids.map((uid) => ({ key: uid, changes: { flagged } })));
  }

  /** Drafts stay in Drafts (they have no message bytes to show elsewhere), and only drafts are there. */
  async move(uids: readonly string[], folderId: string): Promise<void> {
    if (folderId === DRAFTS) return;
    await this.db.transaction("rw", this.db.messages, async () => {
      const rows = (await this.db.messages.bulkGet([...uids])).filter(
        (m): m is StoredMessage => m !== undefined && m.folderId !== DRAFTS,
      );
      await this.db.messages.bulkUpdate(rows.map((m) => ({ key: m.uid, changes: { folderId } })));
    });
  }

  /**
   * Delete: to the local Trash; from the Trash, for good. A message deleted for good keeps a
   * tombstone while it may still be on the server, so the planner applies
   * "Remove from the server when deleted here" and leave-a-copy never fetches it again.
   */
  async remove(uids: readonly string[]): Promise<{ permanently: number }> {
    let permanently = 0;
    await this.db.transaction("rw", this.db.messages, this.db.bodies, this.db.drafts, async () => {
      const rows = (await this.db.messages.bulkGet([...uids])).filter(
        (m): m is StoredMessage => m !== undefined,
      );
      for (const m of rows) {
        if (m.folderId === DRAFTS) {
          // A deleted draft is discarded: it was never sent nor on any server.
          permanently += 1;
          await this.db.messages.delete(m.uid);
          await this.db.drafts.delete(m.uid);
          continue;
        }
        if (m.folderId !== TRASH) {
          await this.db.messages.update(m.uid, { folderId: TRASH });
          continue;
        }
        permanently += 1;
        await this.db.bodies.delete(m.uid);
        if (m.onServer) await this.db.messages.update(m.uid, { deletedLocally: true });
        else await this.db.messages.delete(m.uid);
      }
    });
    return { permanently };
  }

  async emptyTrash(): Promise<number> {
    const uids = (await this.list(TRASH)).map((m) => m.uid);
    return (await this.remove(uids)).permanently;
  }

  // ---- folders, filters, policy (seed point 4) ----------------------------------------------

  async settings(): Promise<Pop3Settings> {
    const rows = await this.db.settings.bulkGet(["policy", "folders", "filters", "checkEveryMinutes"]);
    const [policy, folders, filters, every] = rows.map((r) => r?.value);
    const parsedPolicy = pop3PolicySchema.safeParse(policy ?? {});
    return {
      policy: parsedPolicy.success ? parsedPolicy.data : defaultPop3Policy,
      folders: Array.isArray(folders) ? (folders as LocalFolder[]) : [],
      filters: Array.isArray(filters) ? (filters as FilterRule[]) : [],
      checkEveryMinutes: typeof every === "number" ? every : 10,
    };
  }

  async setPolicy(policy: Pop3Policy): Promise<void> {
    await this.db.settings.put({ key: "policy", value: pop3PolicySchema.parse(policy) });
  }

  async setCheckEveryMinutes(minutes: number): Promise<void> {
    await this.db.settings.put({
      key: "checkEveryMinutes",
      value: Math.max(0, Math.min(1440, Math.round(minutes))),
    });
  }

  async setFilters(filters: FilterRule[]): Promise<void> {
    await this.db.settings.put({ key: "filters", value: filters });
  }

  async addFilter(rule: Omit<FilterRule, "id">): Promise<FilterRule> {
    const full = { ...rule, id: newId("r") };
    const { filters } = await this.settings();
    await this.setFilters([...filters, full]);
    return full;
  }

  async createFolder(name: string): Promise<LocalFolder> {
    const folder = { id: newId("f"), name: name.trim() };
    const { folders } = await this.settings();
    await this.db.settings.put({ key: "folders", value: [...folders, folder] });
    return folder;
  }

  async renameFolder(id: string, name: string): Promise<void> {
    const { folders } = await this.settings();
    await this.db.settings.put({
      key: "folders",
      value: folders.map((f) => (f.id === id ? { ...f, name: name.trim() } : f)),
    });
  }

  /** Its messages go to the Trash (nothing is lost by a slip); filters into it stop moving. */
  async deleteFolder(id: string): Promise<void> {
    if (localBuiltIns.includes(id) || (builtInFolderIds as readonly string[]).includes(id)) return;
    await this.db.transaction("rw", this.db.messages, this.db.settings, async () => {
      const { folders, filters } = await this.settings();
      await this.db.messages.where("folderId").equals(id).modify({ folderId: TRASH });
      await this.db.settings.put({ key: "folders", value: folders.filter((f) => f.id !== id) });
      await this.db.settings.put({ key: "filters", value: withoutFolder(filters, id) });
    });
  }

  async exportSettings(): Promise<SettingsFile> {
    const { policy, folders, filters } = await this.settings();
    return makeSettingsFile({ policy, folders, filters });
  }

  /**
   * Replaces policy, folders and filters with an exported file's. A bad file changes nothing
   * and says what is wrong. Mail in a folder the file does not have goes to the Inbox.
   */
  async importSettings(
    text: string,
  ): Promise<{ ok: true; settings: SettingsFile } | { ok: false; error: string }> {
    const parsed = parseSettingsFile(text);
    if (!parsed.ok) return parsed;
    const { settings } = parsed;
    const keep = new Set<string>([
      ...localBuiltIns,
      ...builtInFolderIds,
      ...settings.folders.map((f) => f.id),
    ]);
    await this.db.transaction("rw", this.db.messages, this.db.settings, async () => {
      await this.db.messages.filter((m) => !keep.has(m.folderId)).modify({ folderId: INBOX });
      await this.db.settings.bulkPut([
        { key: "policy", value: settings.policy },
        { key: "folders", value: settings.folders },
        { key: "filters", value: settings.filters },
      ]);
    });
    return parsed;
  }
}

function withoutFolder(filters: readonly FilterRule[], folderId: string): FilterRule[] {
  return filters.flatMap((rule) => {
    if (rule.action.moveTo !== folderId) return [rule];
    return rule.action.markRead === true ? [{ ...rule, action: { markRead: true } }] : [];
  });
}

/** Asks the browser not to evict this origin's storage under pressure (issue 4, point 3). */
export async function requestPersistentStorage(): Promise<boolean> {
  try {
    if (typeof navigator === "undefined" || !navigator.storage?.persist) return false;
    if (await navigator.storage.persisted()) return true;
    return await navigator.storage.persist();
  } catch {
    return false;
  }
}
