import { EventEmitter } from "node:events";
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import {
  ENDED_KEPT_MS,
  parseStoredSession,
  type SessionRecordStore,
  type StoredSession,
} from "./record-store";

const REF = /^[A-Za-z0-9_-]{43}$/;

/**
 * The embedded store for a single gateway: one file per session in `<dataDir>/sessions`
 * (mode 0600, written to a temporary name and renamed, so a crash never leaves half a record).
 * The idle deadline is the file's mtime plus the idle time: touching a session is one utimes.
 * Leases and messages stay in this process: with one gateway there is nobody else to tell.
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

  private constructor(
    dataDir: string,
    private readonly idleMs: number,
  ) {
    this.dir = path.join(dataDir, "sessions");
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
    this.leases.delete(ref);
    const now = Date.now();
    for (const [old, at] of this.ended) {
      if (at > now - ENDED_KEPT_MS) break;
      this.ended.delete(old);
    }
    this.ended.set(ref, now);
  }

  /** Deletes records past their idle or absolute end (and temporary files a crash left). */
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

  close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.bus.removeAllListeners();
    this.handlers.clear();
    return Promise.resolve();
  }
}
