import { Dexie } from "dexie";
import { builtInFolderIds } from "@pismo/protocol/filters";
import type { FilterRule, LocalFolder, ParseSettingsResult, SettingsFile } from "@pismo/protocol/filters";
import { runRules, type Rule } from "@pismo/protocol/rules";
import { headerValues } from "@pismo/protocol/rules";
import { parseMessage, withoutServerVerdicts, type MessageView } from "@pismo/protocol/mime";
import type { AddressBook } from "@pismo/protocol/contacts";
import type { Pop3FetchMode, Pop3KnownEntry, Pop3Policy } from "@pismo/protocol/pop3";
import type { SenderVerdict } from "@pismo/protocol/trust";
import type { IdentitySettings } from "@pismo/protocol/identities";
import { randomId } from "@pismo/protocol/ids";
import { inGroups } from "@/lib/batch";
import type { ComposeFields } from "../compose/initial-draft";
import type { ImportedMessage } from "../shared/mbox";
import { IMPORT_GROUP_BYTES } from "../shared/import-limits";
import type { StoredTemplate, TemplateBody } from "@pismo/protocol/templates";
import * as local from "./local-settings";
import { draftRow, hasAttachments, messageRow, receivedFields, sentRow } from "./message-row";
import {
  DRAFTS,
  INBOX,
  Pop3Database,
  SENT,
  TRASH,
  serverUidOf,
  writing,
  type StoredMessage,
} from "./pop3-database";
import { Pop3SearchIndex } from "./pop3-search-index";
import { sameMessage } from "./same-message";
import { summarize } from "./parse-pool";
import type { PulledSummary, SearchText } from "./pulled-summary";

/** Messages stored per transaction by an import (fewer when they weigh IMPORT_GROUP_BYTES): a
 * large mbox is not one long write, nor held whole. */
const IMPORT_BATCH = 200;

export {
  DRAFTS,
  INBOX,
  SENT,
  StorageFullError,
  TRASH,
  isQuotaError,
  localBuiltIns,
  pop3DatabaseName,
  requestPersistentStorage,
  serverUidOf,
} from "./pop3-database";
export type { StoredMessage } from "./pop3-database";
export type { Pop3Settings } from "./local-settings";

/**
 * What the POP3 app does with this browser's copy of an account: store what a pull brings,
 * list and read it, keep the local Sent and Drafts, and sort mail into local folders. The
 * schema is in pop3-database.ts, list rows are made in message-row.ts, and settings are read
 * and written in local-settings.ts.
 */
export class Pop3Store {
  readonly db: Pop3Database;
  /** Full-text search over every local folder, kept as mail is stored. */
  readonly search: Pop3SearchIndex;

  constructor(readonly name: string) {
    this.db = new Pop3Database(name);
    this.search = new Pop3SearchIndex(name, this.db);
  }

  close(): void {
    this.db.close();
    this.search.close();
  }

  /** Deletes every message and setting of this account from this browser (a shared computer). */
  async wipe(): Promise<void> {
    this.db.close();
    await Dexie.delete(this.name);
    await this.search.wipe();
  }

  // ---- pulls -------------------------------------------------------------------------------

  /** What the planner must know: every UID this browser holds that may still be on the server. */
  async known(): Promise<Pop3KnownEntry[]> {
    const rows = await this.db.messages.filter((m) => m.onServer).toArray();
    return rows.map((m) => ({
      uid: serverUidOf(m),
      storedAt: m.storedAt,
      deletedLocally: m.deletedLocally,
      headersOnly: m.headersOnly,
      size: m.size,
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
   * batch means one disk flush, not one per message. Filters sort each on arrival. A UID
   * already held is not stored twice.
   */
  async storeMessages(
    items: ReadonlyArray<{
      uid: string;
      raw: Uint8Array;
      size: number;
      mode: Pop3FetchMode;
      verdict?: SenderVerdict | null;
      /** The parse, when it was started as the message arrived (parse-pool.ts). */
      summary?: Promise<PulledSummary>;
    }>,
    now = Date.now(),
    /**
     * Called as soon as the transaction has committed, before the search texts are written:
     * a pull acknowledges here, so the next batch is not held up by the search index.
     */
    onCommitted?: (stored: readonly StoredMessage[]) => void,
  ): Promise<StoredMessage[]> {
    const { rules } = await this.settings();
    // Parsing (a Worker's work) started when each message arrived: await them in order.
    const summaries = await Promise.all(items.map((item) => item.summary ?? summarize(item.uid, item.raw)));
    const prepared: Array<{
      message: StoredMessage;
      /** The folder its rules chose; null: the Inbox. */
      target: string | null;
      raw: Uint8Array;
      mode: Pop3FetchMode;
      text: SearchText;
    }> = [];
    for (const [i, item] of items.entries()) {
      const { fields, from, to, text } = summaries[i]!;
      // Only the header block of a message pulled without its body: whether it has attachments
      // is read from its type (multipart/mixed), as an IMAP server's search does, not taken as
      // "none" (the large messages left on the server are the ones that usually carry them).
      const hasAttachment =
        item.mode === "headers"
          ? /^\s*multipart\/mixed\b/i.test(headerValues(item.raw, "content-type")[0] ?? "")
          : fields.hasAttachment;
      const outcome = runRules(rules, {
        from,
        to,
        subject: fields.subject,
        header: (name) => headerValues(item.raw, name),
        size: item.size,
        hasAttachment,
      });
      // "Delete" locally is the Trash: nothing is lost by a rule written too broadly.
      const target = outcome.discard ? TRASH : outcome.folder;
      const row = messageRow(
        {
          ...fields,
          hasAttachment,
          uid: item.uid,
          folderId: INBOX,
          size: item.size,
          seen: outcome.markRead,
          headersOnly: item.mode === "headers",
          onServer: true,
        },
        // A millisecond apart, in the server's order: storedAt is also the order of arrival
        // that names the message a repeated Message-ID belongs to (threads), and a whole pull
        // is stored at one `now`.
        now + i,
      );
      const message: StoredMessage = { ...row, flagged: outcome.flag };
      if (item.verdict !== undefined) message.senderVerdict = item.verdict;
      prepared.push({ raw: item.raw, mode: item.mode, text, message, target });
    }
    const stored = await writing(() =>
      this.db.transaction("rw", this.db.messages, this.db.bodies, this.db.settings, async () => {
        // The folders as they are now, in this transaction: one deleted while the batch was
        // parsed gets none of its mail (its messages went to the Trash, and nothing lists it).
        const { folders } = await local.readSettings(this.db);
        const folderIds = new Set<string>([...builtInFolderIds, ...folders.map((f) => f.id)]);
        // One read per table for the batch and one write per table: awaiting a get and two
        // adds for each message cost the page a round trip to IndexedDB per request. A row is
        // this server message when its unique-id matches and it is still on the server; a row
        // the server no longer has (onServer false: its DELE was committed, or a listing did
        // not show it) names an older message whose unique-id the server gave again (RFC 1939
        // section 7 allows reuse): the new one is stored beside it, never taken for it, unless
        // its bytes show it is that very message (same-message.ts).
        const serverUids = [...new Set(prepared.map(({ message }) => message.uid))];
        const rows = new Map<string, StoredMessage>();
        for (const m of await this.db.messages.bulkGet(serverUids)) if (m) rows.set(m.uid, m);
        for (const m of await this.db.messages.where("serverUid").anyOf(serverUids).toArray())
          rows.set(m.uid, m);
        const rowsOf = (serverUid: string): StoredMessage[] =>
          [...rows.values()].filter((m) => serverUidOf(m) === serverUid);
        const out: StoredMessage[] = [];
        const added: Array<{ message: StoredMessage; raw: Uint8Array }> = [];
        const texts: SearchText[] = [];
        for (const { message, target, raw, mode, text } of prepared) {
          if (target !== null && folderIds.has(target)) message.folderId = target;
          const serverUid = message.uid;
          // The same size as LIST said when it was stored: a different size is another message.
          let existing = rowsOf(serverUid).find((m) => m.onServer && m.size === message.size);
          if (!existing) {
            // A row counted as removed from the server may be this very message: the server
            // answered QUIT +OK and kept it. Then it is on the server again (the policy deletes
            // it again or leaves it), not a second copy; a reused unique-id is another message.
            for (const old of rowsOf(serverUid)) {
              if (old.onServer || old.deletedLocally || old.size !== message.size) continue;
              const oldRaw = (await this.db.bodies.get(old.uid))?.raw ?? null;
              if (!sameMessage(old, oldRaw, { ...message, raw })) continue;
              for (const other of rowsOf(serverUid).filter((m) => m.onServer)) {
                other.onServer = false;
                await this.db.messages.update(other.uid, { onServer: false });
              }
              old.onServer = true;
              await this.db.messages.update(old.uid, { onServer: true });
              existing = old;
              break;
            }
          }
          if (existing) {
            // Delivered again after a dropped pull: keep the user's folder and flags; only a
            // whole message may replace a headers-only one.
            if (existing.headersOnly && mode === "full" && !existing.deletedLocally) {
              const changes = {
                headersOnly: false,
                hasAttachment: message.hasAttachment,
                ...(message.senderVerdict !== undefined ? { senderVerdict: message.senderVerdict } : {}),
              };
              await this.db.bodies.put({ uid: existing.uid, raw });
              await this.db.messages.update(existing.uid, changes);
              Object.assign(existing, changes);
              texts.push({ ...text, uid: existing.uid });
            }
            out.push(existing);
            continue;
          }
          // Any row still counted on the server under this unique-id is not what the server
          // holds now (a size that differs): it is gone from there.
          for (const old of rowsOf(serverUid).filter((m) => m.onServer)) {
            old.onServer = false;
            await this.db.messages.update(old.uid, { onServer: false });
          }
          let key = serverUid;
          if (rows.has(key) || (await this.db.messages.get(key)) !== undefined) {
            for (let n = 2; ; n += 1) {
              key = `${serverUid}~${n}`;
              if (!rows.has(key) && (await this.db.messages.get(key)) === undefined) break;
            }
          }
          const row: StoredMessage = key === serverUid ? message : { ...message, uid: key, serverUid };
          rows.set(key, row);
          added.push({ message: row, raw });
          texts.push({ ...text, uid: key });
          out.push(row);
        }
        await this.db.messages.bulkAdd(added.map(({ message }) => message));
        await this.db.bodies.bulkAdd(added.map(({ message, raw }) => ({ uid: message.uid, raw })));
        return { out, texts };
      }),
    );
    // After the commit (the pull acknowledges on it): the text search reads. Only the texts of
    // rows written here: an older message under the same unique-id keeps its own.
    onCommitted?.(stored.out);
    await this.search.noteTexts(stored.texts);
    return stored.out;
  }

  /**
   * After a pull: these unique-ids were removed from the server (DELE, then QUIT +OK). The
   * messages stay here but leave the known list; a tombstone (deleted here) stays known until a
   * listing shows the unique-id gone (forgetGone): a server that answered QUIT +OK and kept
   * the message gets its DELE again rather than bringing the deleted message back.
   */
  async forgetOnServer(uids: readonly string[]): Promise<void> {
    if (uids.length === 0) return;
    await this.db.transaction("rw", this.db.messages, async () => {
      const rows = await this.onServerRows(uids);
      await this.db.messages.bulkUpdate(
        rows.filter((m) => !m.deletedLocally).map((m) => ({ key: m.uid, changes: { onServer: false } })),
      );
    });
  }

  /**
   * A pull's listing did not show these unique-ids: whatever this browser holds under them is
   * no longer on the server (removed by another client, or by a DELE whose QUIT answer never
   * came). Messages leave the known list, so a later message the server gives the same
   * unique-id is fetched, not taken for them; tombstones go.
   */
  async forgetGone(uids: readonly string[]): Promise<void> {
    if (uids.length === 0) return;
    await this.db.transaction("rw", this.db.messages, async () => {
      const rows = await this.onServerRows(uids);
      await this.db.messages.bulkDelete(rows.filter((m) => m.deletedLocally).map((m) => m.uid));
      await this.db.messages.bulkUpdate(
        rows.filter((m) => !m.deletedLocally).map((m) => ({ key: m.uid, changes: { onServer: false } })),
      );
    });
  }

  /**
   * Rows still on the server dated after `now` (the gateway's clock: this browser's ran ahead
   * when they were stored) are dated `now`, so "delete after N days" counts from there.
   */
  async capStoredAt(now: number): Promise<void> {
    await this.db.transaction("rw", this.db.messages, async () => {
      const ahead = await this.db.messages.filter((m) => m.onServer && m.storedAt > now).toArray();
      // In their order, a millisecond apart up to now: storedAt is also the order of arrival
      // that decides which message a repeated Message-ID names (threads).
      ahead.sort((a, b) => a.storedAt - b.storedAt);
      await this.db.messages.bulkUpdate(
        ahead.map((m, i) => ({ key: m.uid, changes: { storedAt: now - (ahead.length - 1 - i) } })),
      );
    });
  }

  /** The rows counted on the server under these unique-ids. */
  private async onServerRows(uids: readonly string[]): Promise<StoredMessage[]> {
    const wanted = new Set(uids);
    const rows = [
      ...(await this.db.messages.bulkGet([...wanted])),
      ...(await this.db.messages
        .where("serverUid")
        .anyOf([...wanted])
        .toArray()),
    ];
    const seen = new Set<string>();
    return rows.filter((m): m is StoredMessage => {
      if (m === undefined || seen.has(m.uid) || !m.onServer || !wanted.has(serverUidOf(m))) return false;
      seen.add(m.uid);
      return true;
    });
  }

  /** The whole message arrived for a headers-only one. */
  async completeMessage(uid: string, raw: Uint8Array, verdict?: SenderVerdict | null): Promise<void> {
    const view = await parseMessage(raw);
    await this.db.transaction("rw", this.db.messages, this.db.bodies, async () => {
      await this.db.bodies.put({ uid, raw });
      await this.db.messages.update(uid, {
        headersOnly: false,
        hasAttachment: hasAttachments(view),
        ...(verdict !== undefined ? { senderVerdict: verdict } : {}),
      });
    });
    await this.search.noteStored(uid, view);
  }

  // ---- reading -----------------------------------------------------------------------------

  /** A folder's messages, newest first; `search` matches subject or sender (case-insensitive). */
  async list(folderId: string, search = ""): Promise<StoredMessage[]> {
    const live = await this.listed(folderId).reverse().toArray();
    const needle = search.trim().toLocaleLowerCase();
    if (!needle) return live;
    return live.filter((m) =>
      `${m.subject}\n${m.from}\n${m.fromAddress}`.toLocaleLowerCase().includes(needle),
    );
  }

  /** The rows a folder lists (tombstones are not in the index), oldest first. */
  private listed(folderId: string) {
    return this.db.messages
      .where("[listedIn+sortKey]")
      .between([folderId, Dexie.minKey], [folderId, Dexie.maxKey]);
  }

  /** How many messages a folder lists, counted on the index without reading them. */
  count(folderId: string): Promise<number> {
    return this.listed(folderId).count();
  }

  /**
   * `limit` of a folder's messages from the `offset`-th, in the list's order (newest first):
   * what the list shows of a long folder is read a window at a time.
   */
  window(folderId: string, offset: number, limit: number): Promise<StoredMessage[]> {
    return this.listed(folderId).reverse().offset(offset).limit(limit).toArray();
  }

  /**
   * The messages whose only copy is in this browser: removed from the server by a pull, or
   * sent from here (drafts and messages deleted for good are not counted). Removing this
   * browser's mail, or the browser clearing its storage, loses them.
   */
  private onlyHereRows() {
    return this.db.messages.filter((m) => !m.onServer && !m.deletedLocally && m.folderId !== DRAFTS);
  }

  /** How many messages exist only in this browser (see onlyHereRows). */
  countOnlyHere(): Promise<number> {
    return this.onlyHereRows().count();
  }

  /** The messages that exist only in this browser, oldest first (see onlyHereRows). */
  async onlyHere(): Promise<StoredMessage[]> {
    return (await this.onlyHereRows().toArray()).sort((a, b) => a.sortKey - b.sortKey);
  }

  /** The UIDs a folder lists, in the list's order, without their rows ("Select all"). */
  async uids(folderId: string): Promise<string[]> {
    return (await this.listed(folderId).reverse().primaryKeys()).map(String);
  }

  /**
   * Where a message stands in its folder's list (0 is the newest); -1 when that folder does
   * not list it. Equal sortKeys are ordered by UID, as the index orders them.
   */
  async position(folderId: string, uid: string): Promise<number> {
    const m = await this.db.messages.get(uid);
    if (!m || m.listedIn !== folderId) return -1;
    const newer = await this.db.messages
      .where("[listedIn+sortKey]")
      .between([folderId, m.sortKey], [folderId, Dexie.maxKey], false, true)
      .count();
    const ties = await this.db.messages
      .where("[listedIn+sortKey]")
      .equals([folderId, m.sortKey])
      .primaryKeys();
    return newer + ties.filter((k) => String(k) > uid).length;
  }

  async unreadCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    // One getAll rather than a cursor (a round trip per row): it runs again after every
    // batch a pull stores.
    for (const m of await this.db.messages.toArray())
      if (!m.seen && !m.deletedLocally) counts[m.folderId] = (counts[m.folderId] ?? 0) + 1;
    return counts;
  }

  get(uid: string): Promise<StoredMessage | undefined> {
    return this.db.messages.get(uid);
  }

  async raw(uid: string): Promise<Uint8Array | null> {
    return (await this.db.bodies.get(uid))?.raw ?? null;
  }

  // ---- writing: the local Sent and Drafts folders ------------------------------------------

  /**
   * The copy of a message this account sent: the exact bytes the gateway submitted, read, in
   * Sent. Never on the POP3 server, so no pull ever touches it. The list shows the recipients.
   * Filed once: its key is its Message-ID (the gateway gives every message it builds a new one),
   * so the same send filed again (two tabs of the account told it went out, a page filing again
   * after a reload) finds its row, in Sent or wherever it was moved (Trash too), and adds
   * nothing. One deleted for good meanwhile is filed again: a sent copy keeps no tombstone (it
   * was never on the server; tombstones are for what a pull could bring back), and a page files
   * again only within minutes of the send (undo-send's pending record). IndexedDB runs
   * read-write transactions on the same table one after another, in every tab: the look and the
   * add are one.
   */
  async storeSent(raw: Uint8Array, now = Date.now()): Promise<StoredMessage> {
    const view = await parseMessage(raw);
    const messageId = receivedFields(view).messageId;
    const message = sentRow(`sent-${messageId ? `<${messageId}>` : randomId()}`, view, raw.length, now);
    const filed = await writing(() =>
      this.db.transaction("rw", this.db.messages, this.db.bodies, async () => {
        const before = await this.db.messages.get(message.uid);
        if (before) return before;
        await this.db.messages.add(message);
        await this.db.bodies.add({ uid: message.uid, raw });
        return null;
      }),
    );
    if (filed) return filed;
    await this.search.noteStored(message.uid, view);
    return message;
  }

  /**
   * Messages imported from a file (an mbox exported here or by another program, an .eml) into
   * a folder of this browser: read and flagged as the file says (read when it says nothing),
   * never on the server, so no pull touches them. A message the folder already holds (the same
   * Message-ID and Date: the same file imported twice, or again after it stopped part-way, or an
   * export of mail pulled here) is left out and counted as `already`; one without a Message-ID
   * is always imported. Not the size: a pulled message's is what the server listed, and an
   * exported one comes back with other line ends and its verdicts renamed. Stored in batches,
   * each in one transaction; what was stored before a failure stays stored, and `onStored` has
   * been told how many that is.
   */
  async importMessages(
    folderId: string,
    imported: AsyncIterable<ImportedMessage> | Iterable<ImportedMessage>,
    {
      now = Date.now(),
      onStored = () => undefined,
    }: { now?: number; onStored?: (stored: number, already: number) => void } = {},
  ): Promise<{ stored: number; already: number }> {
    // Without a Date the Message-ID alone would join two messages a careless sender gave one id.
    const copyKey = (m: Pick<StoredMessage, "messageId" | "date">) =>
      m.messageId && m.date ? `${m.messageId}\u0000${m.date}` : null;
    // The folder's messages as those keys, read one row at a time (a folder of 100,000 is not
    // held whole); the ones this import stores join them, so a file holding a message twice
    // stores it once.
    const held = new Set<string>();
    // A message only whose headers are here is not held: its whole copy is welcome.
    await this.listed(folderId).each((m) => {
      const key = m.headersOnly ? null : copyKey(m);
      if (key) held.add(key);
    });
    let stored = 0;
    let already = 0;
    let at = 0;
    const groups = inGroups(imported, IMPORT_BATCH, {
      maxWeight: IMPORT_GROUP_BYTES,
      weigh: (m) => m.raw.length,
    });
    for await (const group of groups) {
      const batch: Array<{ message: StoredMessage; raw: Uint8Array; view: MessageView }> = [];
      for (const [i, { raw: file, state }] of group.entries()) {
        // A file is not mail the server checked: its verdicts are renamed, not believed.
        const raw = withoutServerVerdicts(file);
        const view = await parseMessage(raw);
        const uid = `import-${randomId()}`;
        // Sent lists whom a message went to, as its own copies do.
        const row =
          folderId === SENT
            ? sentRow(uid, view, raw.length, now + at + i)
            : messageRow(
                {
                  ...receivedFields(view),
                  uid,
                  folderId,
                  size: raw.length,
                  seen: state?.seen ?? true,
                  headersOnly: false,
                  onServer: false,
                },
                now + at + i,
              );
        const key = copyKey(row);
        if (key && held.has(key)) {
          already += 1;
          continue;
        }
        if (key) held.add(key);
        const message = { ...row, flagged: state?.flagged ?? false };
        batch.push({ message, raw, view });
      }
      if (batch.length > 0)
        await writing(() =>
          this.db.transaction("rw", this.db.messages, this.db.bodies, async () => {
            await this.db.messages.bulkAdd(batch.map(({ message }) => message));
            await this.db.bodies.bulkAdd(batch.map(({ message, raw }) => ({ uid: message.uid, raw })));
          }),
        );
      stored += batch.length;
      at += group.length;
      onStored(stored, already);
      await this.search.noteStoredMany(batch.map(({ message, view }) => ({ uid: message.uid, view })));
    }
    return { stored, already };
  }

  /**
   * Saves a draft (autosave): a new one when `uid` is null, else replaces that one's fields.
   * Returns its id. The fields are kept as they are (JSON), not as a MIME message; the files
   * they attach are kept beside them, so that the draft outlives the gateway's uploads: `files`
   * holds the bytes of the uploads the compose window made (by upload id); each is written once,
   * and stays kept while the fields still name it.
   */
  async saveDraft(
    fields: ComposeFields,
    uid: string | null,
    { files = new Map(), now = Date.now() }: { files?: ReadonlyMap<string, Blob>; now?: number } = {},
  ): Promise<string> {
    const id = uid ?? `draft-${randomId()}`;
    const named = new Set(fields.attachments.flatMap((a) => (a.kind === "upload" ? [a.id] : [])));
    await writing(() =>
      this.db.transaction("rw", this.db.messages, this.db.drafts, this.db.draftFiles, async () => {
        await this.db.messages.put(draftRow(id, fields, now));
        await this.db.drafts.put({ uid: id, fields, updatedAt: now });
        const kept = new Set(
          (await this.db.draftFiles.where("draft").equals(id).primaryKeys()).map(([, file]) => file),
        );
        const added = [...named].flatMap((file) => {
          const bytes = files.get(file);
          return !kept.has(file) && bytes ? [{ draft: id, id: file, bytes }] : [];
        });
        const dropped = [...kept].filter((file) => !named.has(file));
        if (added.length > 0) await this.db.draftFiles.bulkAdd(added);
        if (dropped.length > 0) await this.db.draftFiles.bulkDelete(dropped.map((file) => [id, file]));
      }),
    );
    return id;
  }

  /** A draft's fields, to reopen it in the compose panel; null when there is no such draft. */
  async draft(uid: string): Promise<ComposeFields | null> {
    return (await this.db.drafts.get(uid))?.fields ?? null;
  }

  /** The bytes of the files a draft attaches, by the upload id its fields name. */
  async draftFiles(uid: string): Promise<Map<string, Blob>> {
    const rows = await this.db.draftFiles.where("draft").equals(uid).toArray();
    return new Map(rows.map((r) => [r.id, r.bytes]));
  }

  /** Sent or discarded: the draft goes for good (it was never anywhere but here). */
  async removeDraft(uid: string): Promise<void> {
    await this.db.transaction("rw", this.db.messages, this.db.drafts, this.db.draftFiles, async () => {
      await this.db.messages.delete(uid);
      await this.db.drafts.delete(uid);
      await this.db.draftFiles.where("draft").equals(uid).delete();
    });
  }

  // ---- actions -----------------------------------------------------------------------------

  async setSeen(uids: readonly string[], seen: boolean): Promise<void> {
    await this.db.messages.bulkUpdate(uids.map((uid) => ({ key: uid, changes: { seen } })));
  }

  /** Its read receipt was sent or declined: the message asks no more (RFC 3503's $MDNSent, here). */
  async noteReceiptAnswered(uid: string): Promise<void> {
    await this.db.messages.update(uid, { receiptAnswered: true });
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
    const tables = [this.db.messages, this.db.bodies, this.db.drafts, this.db.draftFiles];
    await this.db.transaction("rw", tables, async () => {
      const rows = (await this.db.messages.bulkGet([...uids])).filter(
        (m): m is StoredMessage => m !== undefined,
      );
      for (const m of rows) {
        if (m.folderId === DRAFTS) {
          // A deleted draft is discarded: it was never sent nor on any server.
          permanently += 1;
          await this.db.messages.delete(m.uid);
          await this.db.drafts.delete(m.uid);
          await this.db.draftFiles.where("draft").equals(m.uid).delete();
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

  /**
   * Empty Trash, when it holds the `expected` messages the user confirmed; otherwise nothing,
   * and null: mail filed there meanwhile (a pull's filter, another tab) is not deleted unseen.
   */
  async emptyTrash(expected: number): Promise<number | null> {
    const tables = [this.db.messages, this.db.bodies, this.db.drafts, this.db.draftFiles];
    return this.db.transaction("rw", tables, async () => {
      const uids = await this.listed(TRASH).primaryKeys();
      if (uids.length !== expected) return null;
      return (await this.remove(uids)).permanently;
    });
  }

  // ---- settings: policy, local folders and filters (see local-settings.ts) -----------------

  settings(): Promise<local.Pop3Settings> {
    return local.readSettings(this.db);
  }
  setPolicy(policy: Pop3Policy): Promise<void> {
    return local.setPolicy(this.db, policy);
  }
  setCheckEveryMinutes(minutes: number): Promise<void> {
    return local.setCheckEveryMinutes(this.db, minutes);
  }
  setRules(rules: Rule[]): Promise<void> {
    return local.setRules(this.db, rules);
  }
  addFilter(rule: Omit<FilterRule, "id">): Promise<Rule> {
    return local.addFilter(this.db, rule);
  }
  createFolder(name: string): Promise<LocalFolder> {
    return local.createFolder(this.db, name);
  }
  renameFolder(id: string, name: string): Promise<void> {
    return local.renameFolder(this.db, id, name);
  }
  deleteFolder(id: string): Promise<void> {
    return local.deleteFolder(this.db, id);
  }
  contacts(): Promise<AddressBook> {
    return local.readContacts(this.db);
  }
  setContacts(book: AddressBook): Promise<void> {
    return local.writeContacts(this.db, book);
  }
  identities(): Promise<IdentitySettings | null> {
    return local.readIdentities(this.db);
  }
  setIdentities(settings: IdentitySettings): Promise<void> {
    return local.setIdentities(this.db, settings);
  }
  /** Templates, newest first: kept with the settings, and exported with them. */
  templates(): Promise<StoredTemplate[]> {
    return local.readTemplates(this.db);
  }
  addTemplate(body: TemplateBody): Promise<StoredTemplate> {
    return local.addTemplate(this.db, body);
  }
  removeTemplate(id: string): Promise<void> {
    return local.removeTemplate(this.db, id);
  }
  exportSettings(): Promise<SettingsFile> {
    return local.exportSettings(this.db);
  }
  importSettings(text: string): Promise<ParseSettingsResult> {
    return local.importSettings(this.db, text);
  }
}
