import { EventEmitter } from "node:events";
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import {
  ENDED_KEPT_MS,
  KEPT_SEND_ID,
  parseStoredSession,
  type KeptSend,
  type KeptSendBounds,
  type SessionRecordStore,
  type StoredSession,
} from "./record-store";

const REF = /^[A-Za-z0-9_-]{43}$/;
/** A kept send's file: `<id>.<until>.<bytes>`, what the bounds read without opening it. */
const SENT_FILE = /^([A-Za-z0-9_-]{1,64})\.(\d+)\.(\d+)$/;

interface SentFile {
  name: string;
  id: string;
  until: number;
  bytes: number;
}

/**
 * The embedded store for a single gateway: one file per session in `<dataDir>/sessions`
 * (mode 0600, written to a temporary name and renamed, so a crash never leaves half a record).
 * The idle deadline is the file's mtime plus the idle time: touching a session is one utimes.
 * Leases and messages stay in this process: with one gateway there is nobody else to tell.
 * Sends kept for a session are files in `<dataDir>/sent/<ref>/` (0700, 0600), one per send.
 */
export class FileSessionStore implements SessionRecordStore {
  readonly kind = "file";
  private readonly dir: string;
  private readonly leases = new Map<string, { holder: string; until: number }>();
  /** Records removed, and when: the word `touch` tells (one process: kept in its memory). */
  private readonly ended = new Map<string, number>();
  private readonly bus = new EventEmitter();
  private readonly handlers = new Map<string, (message: string) => void>();
  private sweeper: NodeJS.Timeout | null = null;
  private readonly sentRoot: string;
  /** Per session, what is done to its kept sends, one after the other (a keep reads the
   * others to bound them, then writes). */
  private readonly sentTurns = new Map<string, Promise<unknown>>();

  private constructor(
    dataDir: string,
    private readonly idleMs: number,
  ) {
    this.dir = path.join(dataDir, "sessions");
    this.sentRoot = path.join(dataDir, "sent");
    this.bus.setMaxListeners(0);
  }

  static async open(dataDir: string, idleMs: number): Promise<FileSessionStore> {
    const store = new FileSessionStore(dataDir, idleMs);
    await mkdir(store.dir, { recursive: true, mode: 0o700 });
    await store.sweep();
    store.sweeper = setInterval(() => void store.sweep(), Math.min(idleMs, 10 * 60_000));
    store.sweeper.unref();
    return store;
  }

  private file(ref: string): string {
    if (!REF.test(ref)) throw new Error("not a session ref");
    return path.join(this.dir, `${ref}.json`);
  }

  async save(ref: string, record: StoredSession): Promise<void> {
    const target = this.file(ref);
    const temp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temp, JSON.stringify(record), { mode: 0o600 });
    await rename(temp, target);
  }

  async load(ref: string): Promise<StoredSession | null> {
    const file = this.file(ref);
    const [text, info] = await Promise.all([
      readFile(file, "utf8").catch(() => null),
      stat(file).catch(() => null),
    ]);
    const record = parseStoredSession(text);
    if (!record || !info) return null;
    const now = Date.now();
    if (record.expiresAt <= now || info.mtimeMs + this.idleMs <= now) {
      await this.remove(ref);
      return null;
    }
    return record;
  }

  async touch(refs: readonly string[]): Promise<string[]> {
    const now = new Date();
    const gone = await Promise.all(
      refs.map((ref) =>
        utimes(this.file(ref), now, now).then(
          () => null,
          (error: unknown) =>
            (error as NodeJS.ErrnoException).code === "ENOENT" && this.ended.has(ref) ? ref : null,
        ),
      ),
    );
    return gone.filter((ref): ref is string => ref !== null);
  }

  async remove(ref: string): Promise<void> {
    await rm(this.file(ref), { force: true });
    await this.inTurn(ref, () => rm(this.sentDir(ref), { recursive: true, force: true }));
    this.leases.delete(ref);
    const now = Date.now();
    for (const [old, at] of this.ended) {
      if (at > now - ENDED_KEPT_MS) break;
      this.ended.delete(old);
    }
    this.ended.set(ref, now);
  }

  private sentDir(ref: string): string {
    if (!REF.test(ref)) throw new Error("not a session ref");
    return path.join(this.sentRoot, ref);
  }

  /** `run` after what was asked before for the session's kept sends. */
  private inTurn<T>(ref: string, run: () => Promise<T>): Promise<T> {
    const next = (this.sentTurns.get(ref) ?? Promise.resolve()).then(run, run);
    const settled = next.catch(() => undefined);
    this.sentTurns.set(ref, settled);
    void settled.then(() => {
      if (this.sentTurns.get(ref) === settled) this.sentTurns.delete(ref);
    });
    return next;
  }

  /** The session's kept sends; those past their time are deleted on the way. */
  private async sentFiles(dir: string): Promise<SentFile[]> {
    const names = await readdir(dir).catch(() => [] as string[]);
    const now = Date.now();
    const files: SentFile[] = [];
    for (const name of names) {
      const match = SENT_FILE.exec(name);
      if (!match) continue;
      const file = { name, id: match[1] ?? "", until: Number(match[2]), bytes: Number(match[3]) };
      if (file.until <= now) await rm(path.join(dir, name), { force: true });
      else files.push(file);
    }
    return files;
  }

  keepSent(ref: string, id: string, sent: KeptSend, bounds: KeptSendBounds): Promise<number | null> {
    const dir = this.sentDir(ref);
    checkSentId(id);
    if (sent.bytes > bounds.maxBytes)
      return Promise.reject(new Error("The send's answer is larger than a session keeps"));
    return this.inTurn(ref, async () => {
      // Its record is removed before its kept sends, in this turn (remove).
      if (!(await exists(this.file(ref)))) return null;
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const others: SentFile[] = [];
      for (const file of await this.sentFiles(dir))
        if (file.id === id) await rm(path.join(dir, file.name), { force: true });
        else others.push(file);
      others.sort((a, b) => a.until - b.until);
      let count = others.length + 1;
      let total = others.reduce((n, f) => n + f.bytes, sent.bytes);
      let dropped = 0;
      for (const file of others) {
        if (count <= bounds.maxCount && total <= bounds.maxBytes) break;
        await rm(path.join(dir, file.name), { force: true });
        count -= 1;
        total -= file.bytes;
        dropped += 1;
      }
      const target = path.join(dir, `${id}.${Date.now() + bounds.keepMs}.${sent.bytes}`);
      const temp = path.join(dir, `${id}.${randomBytes(6).toString("hex")}.tmp`);
      await writeFile(temp, sent.sealed, { mode: 0o600 });
      await rename(temp, target);
      return dropped;
    });
  }

  findSent(ref: string, id: string): Promise<string | null> {
    const dir = this.sentDir(ref);
    checkSentId(id);
    return this.inTurn(ref, async () => {
      const file = (await this.sentFiles(dir)).find((f) => f.id === id);
      return file ? readFile(path.join(dir, file.name), "utf8").catch(() => null) : null;
    });
  }

  forgetSent(ref: string, id: string): Promise<void> {
    const dir = this.sentDir(ref);
    checkSentId(id);
    return this.inTurn(ref, async () => {
      const files = await this.sentFiles(dir);
      for (const file of files) if (file.id === id) await rm(path.join(dir, file.name), { force: true });
      // The last one gone: so is the session's directory (rmdir leaves one that is not empty).
      if (files.every((f) => f.id === id)) await rmdir(dir).catch(() => undefined);
    });
  }

  /** Kept sends past their time, or of a session whose record is gone, and what a crash left
   * of a keep (its temporary file). */
  private async sweepSent(): Promise<void> {
    const refs = await readdir(this.sentRoot).catch(() => [] as string[]);
    for (const ref of refs) {
      if (!REF.test(ref)) continue;
      const dir = this.sentDir(ref);
      await this.inTurn(ref, async () => {
        if (!(await exists(this.file(ref)))) return rm(dir, { recursive: true, force: true });
        // Nothing writes in this turn: a temporary file here is a crash's.
        for (const name of await readdir(dir).catch(() => [] as string[]))
          if (name.endsWith(".tmp")) await rm(path.join(dir, name), { force: true });
        if ((await this.sentFiles(dir)).length === 0) await rmdir(dir).catch(() => undefined);
      });
    }
  }

  /** Deletes records past their idle or absolute end (and temporary files a crash left), and
   * the sends kept past their time or for no record. */
  async sweep(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const now = Date.now();
    for (const name of names) {
      const file = path.join(this.dir, name);
      if (name.endsWith(".tmp")) {
        const info = await stat(file).catch(() => null);
        if (info && info.mtimeMs < now - 60_000) await rm(file, { force: true });
        continue;
      }
      if (!name.endsWith(".json")) continue;
      const ref = name.slice(0, -5);
      if (REF.test(ref)) await this.load(ref);
    }
    await this.sweepSent();
  }

  takeLease(ref: string, holder: string, ttlMs: number): Promise<string | null> {
    const previous = this.currentHolder(ref);
    this.leases.set(ref, { holder, until: Date.now() + ttlMs });
    return Promise.resolve(previous && previous !== holder ? previous : null);
  }

  renewLeases(refs: readonly string[], holder: string, ttlMs: number): Promise<string[]> {
    const lost: string[] = [];
    for (const ref of refs) {
      if (this.currentHolder(ref) === holder) this.leases.set(ref, { holder, until: Date.now() + ttlMs });
      else lost.push(ref);
    }
    return Promise.resolve(lost);
  }

  releaseLease(ref: string, holder: string): Promise<void> {
    if (this.currentHolder(ref) === holder) this.leases.delete(ref);
    return Promise.resolve();
  }

  leaseHolder(ref: string): Promise<string | null> {
    return Promise.resolve(this.currentHolder(ref));
  }

  /** One gateway per file store: the one asking. */
  markRunning(): Promise<void> {
    return Promise.resolve();
  }

  isRunning(): Promise<boolean> {
    return Promise.resolve(true);
  }

  private currentHolder(ref: string): string | null {
    const lease = this.leases.get(ref);
    if (!lease) return null;
    if (lease.until <= Date.now()) {
      this.leases.delete(ref);
      return null;
    }
    return lease.holder;
  }

  publish(channel: string, message: string): Promise<void> {
    // Delivered on a later tick, as Redis would: a publisher never re-enters itself.
    setImmediate(() => this.bus.emit(channel, message));
    return Promise.resolve();
  }

  subscribe(channel: string, onMessage: (message: string) => void): Promise<void> {
    if (!this.handlers.has(channel)) {
      this.handlers.set(channel, onMessage);
      this.bus.on(channel, onMessage);
    }
    return Promise.resolve();
  }

  unsubscribe(channel: string): Promise<void> {
    const handler = this.handlers.get(channel);
    if (handler) this.bus.off(channel, handler);
    this.handlers.delete(channel);
    return Promise.resolve();
  }

  /** Waits for the kept sends being written (a stopping gateway keeps them just before). */
  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.bus.removeAllListeners();
    this.handlers.clear();
    await Promise.all(this.sentTurns.values());
  }
}

function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function checkSentId(id: string): void {
  if (!KEPT_SEND_ID.test(id)) throw new Error("not a send id");
}
