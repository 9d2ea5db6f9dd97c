import type { ImapFlow } from "imapflow";
import { MailError } from "@pismo/protocol/errors";
import type { Folder } from "@pismo/protocol/schemas";
import { templatesFolderOf } from "@pismo/protocol/templates";
import { FOLDER_STATUS } from "./connection";
import type { ImapContext } from "./context";
import { sortFolders, toFolder } from "./to-domain";

/** The folders the gateway itself files into: three special uses (RFC 6154) and the templates
 * folder, which has none and is found by its name (templatesFolderOf). */
export type FolderUse = "trash" | "sent" | "drafts" | "templates";

/** The path of the folder with that use, or null when the server has none. */
export async function specialFolder(ctx: ImapContext, use: FolderUse): Promise<string | null> {
  const folders = (await ctx.onClient((client) => client.list())).map(toFolder);
  const hit = use === "templates" ? templatesFolderOf(folders) : folders.find((f) => f.specialUse === use);
  return hit?.path ?? null;
}

/** The folder tree, with the folders listed empty and the UIDVALIDITY each is empty under. */
export interface FolderListing {
  folders: Folder[];
  empty: ReadonlyMap<string, string>;
}

/**
 * The folder tree and its counts: listing, creating, renaming, deleting, subscribing, and the
 * periodic refresh that tells browsers of other folders' new counts.
 */
export class Folders {
  /** "messages/unseen" per folder as last told to the browsers: by a `counts` event, or in the
   * listing where the folder first appeared. */
  private readonly lastCounts = new Map<string, string>();

  constructor(
    private readonly ctx: ImapContext,
    /** Called after this session changed the folder tree, so sibling sessions hear of it. */
    private readonly onTreeChanged: (() => void) | undefined,
  ) {}

  async list(): Promise<Folder[]> {
    return this.ctx.onClient(async (client) => {
      // One LIST-STATUS (RFC 5819) gives the tree and every count in a single round trip; right
      // after connecting, the one the connection took before its first SELECT.
      const entries = this.ctx.takeFirstListing() ?? (await client.list({ statusQuery: FOLDER_STATUS }));
      const folders = sortFolders(entries.map(toFolder));
      // A count is recorded here only for a folder not known yet (the first listing, a folder
      // this session made), never over one the browsers were told: the pages ask for the tree
      // after nearly every event and action, and search lists it too, and a count recorded on
      // such a request as told was never announced by the periodic refresh (new mail in the
      // Inbox while the user reads Work: no notification, no refresh of another page showing it).
      for (const f of folders)
        if (!this.lastCounts.has(f.path)) this.lastCounts.set(f.path, `${f.messages}/${f.unseen}`);
      return folders;
    });
  }

  /**
   * The tree listed now (never the sign-in's listing), with the folders it shows empty, each
   * with the UIDVALIDITY it is empty under: a search across folders answers those without
   * opening them. Only a count the server gave counts: a folder without one is not "empty".
   */
  async listNow(): Promise<FolderListing> {
    return this.ctx.onClient(async (client) => {
      const entries = await client.list({ statusQuery: { ...FOLDER_STATUS, uidValidity: true } });
      const empty = new Map<string, string>();
      for (const e of entries)
        if (e.status?.messages === 0 && e.status.uidValidity !== undefined)
          empty.set(e.path, String(e.status.uidValidity));
      return { folders: sortFolders(entries.map(toFolder)), empty };
    });
  }

  /** Other folders' counts (imapflow has no NOTIFY, so IDLE only covers the watched folder):
   * a changed count becomes a `counts` event, a new or vanished folder a `folders` event. */
  async refreshCounts(): Promise<void> {
    const client = this.ctx.usableClient();
    if (!client || this.ctx.hub.size === 0) return;
    try {
      const entries = await client.list({ statusQuery: FOLDER_STATUS });
      const seen = new Set<string>();
      let changedTree = entries.length !== this.lastCounts.size;
      for (const entry of entries) {
        const f = toFolder(entry);
        seen.add(f.path);
        const key = `${f.messages}/${f.unseen}`;
        const before = this.lastCounts.get(f.path);
        if (before === undefined) changedTree = true;
        else if (before !== key)
          this.ctx.hub.publish({ type: "counts", folder: f.path, messages: f.messages, unseen: f.unseen });
        this.lastCounts.set(f.path, key);
      }
      for (const path of [...this.lastCounts.keys()])
        if (!seen.has(path)) {
          this.lastCounts.delete(path);
          changedTree = true;
        }
      if (changedTree) this.ctx.hub.publish({ type: "folders" });
    } catch (error) {
      this.ctx.log.debug("imap.status_failed", { error });
    }
  }

  async create(parentPath: string | null, name: string): Promise<string> {
    this.ctx.takeFirstListing(); // the tree changes: that listing is out of date
    return this.ctx.onClient(async (client) => {
      const delimiter = await delimiterOf(client);
      if (name.includes(delimiter))
        throw new MailError("BAD_INPUT", `A folder name cannot contain "${delimiter}"`);
      const path = parentPath ? `${parentPath}${delimiter}${name}` : name;
      const created = await client.mailboxCreate(path);
      // imapflow resolves (created: false) when the server says ALREADYEXISTS.
      if (!created.created) throw new MailError("BAD_INPUT", `A folder "${created.path}" already exists`);
      await client.mailboxSubscribe(created.path).catch(() => undefined);
      this.treeChanged();
      return created.path;
    });
  }

  async rename(path: string, newName: string): Promise<string> {
    this.ctx.takeFirstListing(); // the tree changes: that listing is out of date
    return this.ctx.onClient(async (client) => {
      if (path.toUpperCase() === "INBOX") throw new MailError("BAD_INPUT", "The Inbox cannot be renamed");
      const delimiter = await delimiterOf(client);
      if (newName.includes(delimiter))
        throw new MailError("BAD_INPUT", `A folder name cannot contain "${delimiter}"`);
      const cut = path.lastIndexOf(delimiter);
      const newPath = cut >= 0 ? `${path.slice(0, cut + 1)}${newName}` : newName;
      // The watch follows the folder, or the folder under it that is open ("Projects/2026" when
      // "Projects" is renamed), to its new path: Dovecot ends the connection that stays in it.
      const renamed = await this.ctx.awayFrom(client, path, () => client.mailboxRename(path, newPath), {
        delimiter,
        newPath: (result) => result.newPath,
      });
      await client.mailboxSubscribe(renamed.newPath).catch(() => undefined);
      this.treeChanged();
      return renamed.newPath;
    });
  }

  async delete(path: string): Promise<void> {
    this.ctx.takeFirstListing(); // the tree changes: that listing is out of date
    await this.ctx.onClient(async (client) => {
      if (path.toUpperCase() === "INBOX") throw new MailError("BAD_INPUT", "The Inbox cannot be deleted");
      // Deleted first: a refused delete (NO [NOPERM], [HASCHILDREN]) must leave the folder
      // subscribed, or the app, which hides unsubscribed folders, would hide one still there; and
      // watched, or its pages would hear nothing more of it until it was opened again. A watched
      // folder under it stays watched while the server keeps it (Dovecot deletes `path` alone).
      await this.ctx.awayFrom(client, path, () => client.mailboxDelete(path));
      await client.mailboxUnsubscribe(path).catch(() => undefined);
      this.treeChanged();
    });
  }

  async setSubscribed(path: string, subscribed: boolean): Promise<void> {
    await this.ctx.onClient(async (client) => {
      if (subscribed) await this.ctx.must("subscribe", () => client.mailboxSubscribe(path), { folder: path });
      else await this.ctx.must("unsubscribe", () => client.mailboxUnsubscribe(path), { folder: path });
      this.treeChanged();
    });
  }

  private treeChanged(): void {
    this.ctx.hub.publish({ type: "folders" });
    this.onTreeChanged?.();
  }
}

/** The hierarchy delimiter, as the server gives it for the Inbox. */
async function delimiterOf(client: ImapFlow): Promise<string> {
  const inbox = (await client.list()).find((e) => e.path.toUpperCase() === "INBOX");
  return inbox?.delimiter ?? "/";
}
