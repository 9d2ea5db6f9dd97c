import { execFile } from "node:child_process";
import { chown, mkdir, rename, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { promisify } from "node:util";
import type { Doveadm } from "./dovecot";

const execFileAsync = promisify(execFile);

export interface MailUser {
  /** Full address, e.g. alice@pismo.test; also the IMAP/POP3 login. */
  name: string;
  password: string;
  /** @default 1 GiB */
  quotaBytes?: number;
}

export const DEFAULT_QUOTA = 1024 ** 3;

/** Who owns the mail on disk: nobody (65534) under root, else the current user. */
export class MailOwner {
  constructor(
    readonly uid: number,
    readonly gid: number,
    /** Only root can (and must) hand files to another uid. */
    private readonly chowns: boolean,
  ) {}

  async own(path: string): Promise<void> {
    if (this.chowns) await chown(path, this.uid, this.gid);
  }

  async ownTree(path: string): Promise<void> {
    if (this.chowns) await execFileAsync("chown", ["-R", `${this.uid}:${this.gid}`, path]);
  }
}

/**
 * The instance's users: Dovecot's passwd-file (with each user's quota) and each user's home
 * and Maildir.
 */
export class MailUsers {
  private readonly users = new Map<string, MailUser>();
  /** The passwd-file's last mtime, in whole seconds (writePasswd). */
  private lastMtime = 0;
  private readonly passwdPath: string;

  constructor(
    private readonly dir: string,
    private readonly owner: MailOwner,
    /** Dovecot writes rawlogs only into a directory that already exists. */
    private readonly rawlog: boolean,
  ) {
    this.passwdPath = join(dir, "passwd");
  }

  names(): string[] {
    return [...this.users.keys()];
  }

  get(name: string): MailUser {
    const user = this.users.get(name);
    if (!user) throw new Error(`unknown user ${name}`);
    return user;
  }

  homeOf(name: string): string {
    return join(this.dir, "users", name);
  }

  maildirOf(name: string): string {
    return join(this.homeOf(name), "Maildir");
  }

  async writePasswd(): Promise<void> {
    const lines = [...this.users.values()].map(
      (u) =>
        `${u.name}:{PLAIN}${u.password}:${this.owner.uid}:${this.owner.gid}::${this.homeOf(u.name)}::userdb_quota_rule=*:storage=${u.quotaBytes ?? DEFAULT_QUOTA}B`,
    );
    // Rename, so auth never reads half a file. Dovecot re-reads it when its mtime (whole
    // seconds) or size changed: a password changed within the second of the last write, to one
    // of the same length, would go unseen, so the mtime always moves on by a second at least.
    const tmp = `${this.passwdPath}.${process.pid}.tmp`;
    await writeFile(tmp, lines.join("\n") + "\n", { mode: 0o644 });
    const mtime = Math.max(Math.floor(Date.now() / 1000), this.lastMtime + 1);
    this.lastMtime = mtime;
    await utimes(tmp, mtime, mtime);
    await rename(tmp, this.passwdPath);
  }

  /** Adds the user to the passwd-file and makes their home and Maildir. */
  async add(user: MailUser): Promise<void> {
    if (/[:\n/]/.test(user.name) || /[:\n]/.test(user.password))
      throw new Error(`unsupported characters in user ${user.name}`);
    this.users.set(user.name, user);
    await this.writePasswd();
    const maildir = this.maildirOf(user.name);
    for (const path of [
      this.homeOf(user.name),
      maildir,
      ...["cur", "new", "tmp"].map((d) => join(maildir, d)),
    ]) {
      await mkdir(path, { recursive: true });
      await this.owner.own(path);
    }
    if (this.rawlog) {
      const rawDir = join(this.dir, "rawlog", user.name);
      await mkdir(rawDir, { recursive: true });
      await this.owner.own(rawDir);
    }
  }
}

/** Dovecot stats the passwd-file at most once a second, so a user added right after a lookup
 * is not visible at once; waits until auth accepts the new password. */
export async function waitForPassdb(doveadm: Doveadm, user: MailUser): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      await doveadm(["auth", "test", "-x", "service=imap", user.name, user.password]);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await delay(100);
    }
  }
}
