import type { LocalFolder } from "@pismo/protocol/filters";
import type { Rule } from "@pismo/protocol/rules";
import { DRAFTS, INBOX, TRASH, localBuiltIns, type Pop3Store, type StoredMessage } from "../pop3/pop3-store";

/**
 * A POP3 account's undoable actions, on the browser's own copy: each returns the function that
 * puts things back (folders, read state, and the spam rules it changed), or null where nothing
 * can be put back (a message deleted for good from the Trash has lost its bytes).
 */

/** The local Junk and Archive folders, made on first use with stable ids. */
export const JUNK = "junk";
export const ARCHIVE = "archive";

export type Undo = () => Promise<void>;

/** Where each message is and whether it is read, before an action: what its Undo restores. */
async function rowsOf(store: Pop3Store, uids: readonly string[]): Promise<StoredMessage[]> {
  return (await store.db.messages.bulkGet([...uids])).filter((m): m is StoredMessage => m !== undefined);
}

/**
 * The Undo of an action: it puts back only what that action changed (a move the folder, mark
 * read the read state), so whatever the user did since to the other stays as it is. A folder
 * deleted since is not brought back: its messages go to the Inbox, not to a folder no list shows.
 */
function restoring(store: Pop3Store, before: readonly StoredMessage[], what: "folder" | "seen"): Undo {
  return async () => {
    await store.db.transaction("rw", store.db.messages, store.db.settings, async () => {
      const now = await rowsOf(
        store,
        before.map((m) => m.uid),
      );
      const still = new Set(now.filter((m) => !m.deletedLocally).map((m) => m.uid));
      const folders = new Set([...localBuiltIns, ...(await store.settings()).folders.map((f) => f.id)]);
      await store.db.messages.bulkUpdate(
        before
          .filter((m) => still.has(m.uid))
          .map((m) => ({
            key: m.uid,
            changes:
              what === "seen" ? { seen: m.seen } : { folderId: folders.has(m.folderId) ? m.folderId : INBOX },
          })),
      );
    });
  };
}

/** Adds the folder to the account's local folders unless it is there. */
export async function ensureFolder(store: Pop3Store, id: string, name: string): Promise<void> {
  const row = await store.db.settings.get("folders");
  const folders = Array.isArray(row?.value) ? (row.value as LocalFolder[]) : [];
  if (folders.some((f) => f.id === id)) return;
  await store.db.settings.put({ key: "folders", value: [...folders, { id, name }] });
}

/** Null for Drafts, which holds only drafts: nothing is moved there, so nothing is undone. */
export async function moveMessages(
  store: Pop3Store,
  uids: readonly string[],
  to: string,
): Promise<Undo | null> {
  if (to === DRAFTS) return null;
  const before = await rowsOf(store, uids);
  await store.move(uids, to);
  return restoring(store, before, "folder");
}

export async function removeMessages(
  store: Pop3Store,
  uids: readonly string[],
): Promise<{ permanently: number; undo: Undo | null }> {
  const before = await rowsOf(store, uids);
  const { permanently } = await store.remove(uids);
  const kept = before.filter((m) => m.folderId !== TRASH);
  return {
    permanently,
    undo: permanently === 0 && kept.length > 0 ? restoring(store, kept, "folder") : null,
  };
}

export async function setSeen(store: Pop3Store, uids: readonly string[], seen: boolean): Promise<Undo> {
  const before = await rowsOf(store, uids);
  await store.setSeen(uids, seen);
  return restoring(store, before, "seen");
}

export async function archiveMessages(
  store: Pop3Store,
  uids: readonly string[],
  name: string,
): Promise<Undo | null> {
  await ensureFolder(store, ARCHIVE, name);
  return moveMessages(store, uids, ARCHIVE);
}

/** FNV-1a: a short stable id for a sender's rule (rule ids allow letters, digits, - and _). */
function senderKey(address: string): string {
  let h = 0x811c9dc5;
  for (const c of address.toLowerCase()) {
    h ^= c.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** The id of the rule that sends a sender's mail to Junk. */
export function spamRuleId(address: string): string {
  return `spam-${senderKey(address)}`;
}

/** A rule that files a sender's mail in Junk; first, so it wins over broader rules. */
export function spamRule(address: string, name: string): Rule {
  return {
    id: spamRuleId(address),
    name,
    enabled: true,
    match: "all",
    conditions: [
      { kind: "text", field: "from", match: "contains", not: false, value: address.toLowerCase() },
    ],
    actions: [{ type: "move", folder: JUNK }],
  };
}

/**
 * Report spam: to the local Junk, and the sender's later mail goes there on the next pull
 * (a rule in the local filters). Not spam: back to the Inbox, and that rule is gone. Undo
 * takes back only the senders' rules this changed: rules added, edited or imported since stay,
 * and a rule into a folder deleted since is not brought back (the settings could not be
 * exported with it).
 */
export async function reportSpam(
  store: Pop3Store,
  uids: readonly string[],
  spam: boolean,
  names: { junk: string; rule: (sender: string) => string },
): Promise<Undo> {
  const before = await rowsOf(store, uids);
  const senders = [...new Set(before.map((m) => m.fromAddress.toLowerCase()).filter((a) => a.includes("@")))];
  const { rules } = await store.settings();
  if (spam) await ensureFolder(store, JUNK, names.junk);
  const ids = new Set(senders.map(spamRuleId));
  const others = rules.filter((r) => !ids.has(r.id));
  await store.setRules(spam ? [...senders.map((a) => spamRule(a, names.rule(a))), ...others] : others);
  await store.move(uids, spam ? JUNK : INBOX);
  const restore = restoring(store, before, "folder");
  const replaced = rules.filter((r) => ids.has(r.id));
  return async () => {
    await store.db.transaction("rw", store.db.settings, async () => {
      const { folders, rules: now } = await store.settings();
      const folderIds = new Set([...localBuiltIns, ...folders.map((f) => f.id)]);
      const back = replaced.filter((r) =>
        r.actions.every((a) => (a.type !== "move" && a.type !== "copy") || folderIds.has(a.folder)),
      );
      await store.setRules([...back, ...now.filter((r) => !ids.has(r.id))]);
    });
    await restore();
  };
}
