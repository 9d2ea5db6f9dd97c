import { existsSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { mkdir, rename, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { START_TIMEOUT_MS, type DovecotConfigFile, type Doveadm } from "./dovecot";
import { encodeModifiedUtf7, folderDirName, maildirBaseName, maildirFlags, virtualSize } from "./maildir";
import { imapCommand, RawSocket } from "./raw-socket";
import { generateMessages, planFolders, type SeedOptions } from "./seed/generate";
import type { MailOwner, MailUser, MailUsers } from "./users";

/** An IMAP quoted string. */
const imapQuote = (s: string): string => `"${s.replace(/["\\]/g, "\\$&")}"`;

export type SpecialUse = "\\Sent" | "\\Drafts" | "\\Trash" | "\\Junk" | "\\Archive";

export interface DeliverOptions {
  /** @default "INBOX" */
  folder?: string;
  flags?: string[];
  /** INTERNALDATE (the file's mtime). @default now */
  date?: Date;
}

export interface SeedReport {
  count: number;
  bytes: number;
  perFolder: Record<string, number>;
}

/**
 * Folders and mail of the instance's users, written the way an MDA writes Maildir (tmp/, then
 * a rename), so Dovecot and its IDLE see only complete messages.
 */
export class Mailboxes {
  private seq = 0;

  constructor(
    private readonly users: MailUsers,
    private readonly owner: MailOwner,
    private readonly doveadm: Doveadm,
    private readonly config: DovecotConfigFile,
    private readonly imapPort: number,
  ) {}

  async createFolder(user: string, path: string, specialUse?: SpecialUse): Promise<void> {
    const account = this.users.get(user);
    if (!existsSync(join(this.users.maildirOf(user), folderDirName(path), "cur"))) {
      await this.doveadm(["mailbox", "create", "-u", user, "-s", path]).catch(async (error: unknown) => {
        // Special-use folders are auto-created by config and may already "exist" virtually.
        if (!/exists/i.test((error as Error).message)) throw error;
      });
    }
    if (specialUse && !this.config.hasSpecialUse(path, specialUse)) {
      // Dovecot 2.3 has no CREATE-SPECIAL-USE and /private/specialuse is read-only, so the
      // attribute goes into the namespace config (for every user of this instance) and a reload.
      this.config.addSpecialUse(path, specialUse);
      await this.config.write();
      await this.doveadm(["reload"]);
      await waitForSpecialUse(this.imapPort, account, path, specialUse);
    }
  }

  /** Makes sure a folder exists on disk before files are written into it directly. */
  private async folderDir(user: string, folder: string): Promise<string> {
    const folderDir = join(this.users.maildirOf(user), folderDirName(folder));
    if (!existsSync(join(folderDir, "cur"))) {
      await this.createFolder(user, folder);
      // An auto=subscribe folder that was never opened has no directory yet.
      for (const d of ["cur", "new", "tmp"]) {
        await mkdir(join(folderDir, d), { recursive: true });
      }
      await this.owner.ownTree(folderDir);
    }
    return folderDir;
  }

  async deliver(user: string, raw: string | Uint8Array, o: DeliverOptions = {}): Promise<void> {
    this.users.get(user);
    const bytes = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw;
    const folderDir = await this.folderDir(user, o.folder ?? "INBOX");
    const date = o.date ?? new Date();
    const base = maildirBaseName(new Date(), ++this.seq, bytes.length, virtualSize(bytes));
    const tmpPath = join(folderDir, "tmp", base);
    await writeFile(tmpPath, bytes);
    await utimes(tmpPath, date, date);
    await this.owner.own(tmpPath);
    // The rename is the MDA's commit point: Dovecot (and IDLE via inotify) only sees complete files.
    const flags = o.flags ?? [];
    await rename(
      tmpPath,
      flags.length > 0
        ? join(folderDir, "cur", `${base}:2,${maildirFlags(flags)}`)
        : join(folderDir, "new", base),
    );
  }

  /**
   * Saves a message through Dovecot (IMAP APPEND), the way mail reaches a real server's
   * storage (LMTP delivery, another client's APPEND): unlike `deliver`, which writes the
   * Maildir past Dovecot, Dovecot's full-text index learns of it (fts_autoindex, in the
   * background), and this returns once that indexing is done, so the message is as a search
   * a moment after its arrival finds it.
   */
  async save(user: string, raw: string | Uint8Array, o: { folder?: string } = {}): Promise<void> {
    const account = this.users.get(user);
    const bytes = typeof raw === "string" ? Buffer.from(raw, "utf8") : Buffer.from(raw);
    const folder = o.folder ?? "INBOX";
    await this.folderDir(user, folder);
    const mailbox = imapQuote(folder.split("/").map(encodeModifiedUtf7).join("/"));
    const socket = await signedIn(this.imapPort, account);
    try {
      // A synchronizing literal: Dovecot says "+" before the bytes are sent.
      socket.write(`S1 APPEND ${mailbox} {${bytes.length}}\r\n`);
      const go = await socket.readLine();
      if (!go.startsWith("+")) throw new Error(`save: APPEND refused: ${go}`);
      socket.write(Buffer.concat([bytes, Buffer.from("\r\n")]));
      for (;;) {
        const line = await socket.readLine();
        if (!line.startsWith("S1 ")) continue;
        if (!line.startsWith("S1 OK")) throw new Error(`save: APPEND failed: ${line}`);
        break;
      }
      await imapCommand(socket, "LOGOUT").catch(() => undefined);
    } finally {
      socket.close();
    }
    // Indexes what the background indexer has not yet (nothing, once it is done), and waits.
    if (this.config.fts) await this.doveadm(["index", "-u", user, folder]);
  }

  async seed(user: string, seedOpts: SeedOptions): Promise<SeedReport> {
    this.users.get(user);
    const dirs = new Map<string, string>();
    for (const folder of planFolders(seedOpts).keys()) dirs.set(folder, await this.folderDir(user, folder));
    const perFolder: Record<string, number> = {};
    let count = 0;
    let bytes = 0;
    // Synchronous writes: for 100k small files they beat the promise API by a wide margin.
    for (const m of generateMessages({ user, ...seedOpts })) {
      const folderDir = dirs.get(m.folder) as string;
      const base = maildirBaseName(m.date, ++this.seq, m.raw.length, m.raw.length);
      const tmpPath = join(folderDir, "tmp", base);
      writeFileSync(tmpPath, m.raw);
      utimesSync(tmpPath, m.date, m.date);
      renameSync(tmpPath, join(folderDir, "cur", `${base}:2,${maildirFlags(m.flags)}`));
      perFolder[m.folder] = (perFolder[m.folder] ?? 0) + 1;
      count++;
      bytes += m.raw.length;
      if (count % 2000 === 0) await delay(0);
    }
    await this.owner.ownTree(this.users.maildirOf(user));
    // Sync every folder now (uidlist + index), so a client's first SELECT does not scan 100k files;
    // then let quota count the new mail.
    await this.doveadm(["mailbox", "status", "-u", user, "messages", "*"]);
    await this.doveadm(["quota", "recalc", "-u", user]);
    // Mail written into the Maildir bypassed fts_autoindex: index it now when asked, so the
    // first body search answers from the index instead of indexing every message while it waits.
    if (this.config.fts && seedOpts.ftsIndex) await this.doveadm(["index", "-u", user, "*"]);
    return { count, bytes, perFolder };
  }
}

/** An IMAP connection to Dovecot on `port`, past its greeting and signed in as `user`. */
async function signedIn(port: number, user: MailUser): Promise<RawSocket> {
  const socket = await RawSocket.connect(port);
  try {
    await socket.readLine();
    const login = await imapCommand(socket, `LOGIN ${imapQuote(user.name)} ${imapQuote(user.password)}`);
    if (!login.status.includes(" OK")) throw new Error(`IMAP LOGIN as ${user.name} failed: ${login.status}`);
    return socket;
  } catch (error) {
    socket.close();
    throw error;
  }
}

/** Polls LIST until a reloaded config shows the special-use attribute to new sessions. */
async function waitForSpecialUse(port: number, user: MailUser, path: string, use: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  const mailbox = path.split("/").map(encodeModifiedUtf7).join("/");
  for (;;) {
    let found = false;
    try {
      const socket = await signedIn(port, user);
      try {
        const list = await imapCommand(socket, `LIST "" ${imapQuote(mailbox)}`);
        found = list.untagged.some((l) => l.includes(use));
      } finally {
        socket.close();
      }
    } catch {
      // the login process may be restarting after the reload
    }
    if (found) return;
    if (Date.now() > deadline) throw new Error(`special-use ${use} on ${path} did not appear after reload`);
    await delay(50);
  }
}
