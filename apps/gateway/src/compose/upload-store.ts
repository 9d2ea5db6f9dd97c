import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import { MailError } from "@pismo/protocol/errors";
import { DEFAULT_GATEWAY_LIMITS, type GatewayLimits } from "../limits";

/** Without a SIZE from the server, a message may carry this much (a common provider limit). */
export const DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

type UploadLimits = Pick<
  GatewayLimits,
  "uploadsPerSession" | "uploadBytesPerSession" | "uploadBytesPerAccount" | "uploadBytesPerGateway"
>;

export interface StoredUpload {
  path: string;
  size: number;
}

/**
 * Bytes counted against one bound. They are counted before they are checked, so uploads coming
 * in side by side cannot together pass it; bytes that pass it stay counted until given back.
 */
class ByteBudget {
  used = 0;

  constructor(readonly limit: number) {}

  /** Counts `n` bytes; false if that took it past its bound. */
  charge(n: number): boolean {
    this.used += n;
    return this.used <= this.limit;
  }

  refund(n: number): void {
    this.used -= n;
  }
}

/** One session's uploads (finished or streaming) and their bytes. */
interface SessionUsage {
  count: number;
  bytes: ByteBudget;
}

/**
 * Attachments being composed, streamed to disk as they arrive (never held whole in memory),
 * one folder per session, removed when the session ends or the message is sent.
 */
export class UploadStore {
  /** The gateway's folder of uploads, made by the first (one promise: two first uploads at
   * once must not each make a folder, the file of one then looked for in the other's). */
  private root: Promise<string> | null = null;
  /** Uploads (finished or streaming) and their bytes, per session: disk is bounded too. */
  private readonly usage = new Map<string, SessionUsage>();
  private readonly sizes = new Map<string, number>();
  /**
   * Bytes per account, over all its sessions (a session per sign-in: signing in again and again
   * must not multiply the disk an account may fill), and in the whole gateway.
   */
  private readonly accountBytes = new Map<string, ByteBudget>();
  private readonly ownerOf = new Map<string, string>();
  private gatewayBytes: ByteBudget;

  private readonly limits: UploadLimits;

  constructor(limits: Partial<UploadLimits> = {}) {
    this.limits = { ...DEFAULT_GATEWAY_LIMITS, ...limits };
    this.gatewayBytes = new ByteBudget(this.limits.uploadBytesPerGateway);
  }

  /**
   * Counts `n` bytes of an upload against its session, its account and the gateway, and says
   * which bound (the narrowest first) they took it past, if any. All three stay counted either
   * way: `refund` gives them back.
   */
  private charge(usage: SessionUsage, account: string | undefined, n: number): MailError | null {
    const inSession = usage.bytes.charge(n);
    const inAccount = this.countAccount(account, n);
    const inGateway = this.gatewayBytes.charge(n);
    if (!inSession)
      return new MailError(
        "MESSAGE_TOO_LARGE",
        `The attachments waiting to be sent are larger than this gateway keeps (${usage.bytes.limit} bytes); remove some`,
      );
    if (!inAccount)
      return new MailError(
        "MESSAGE_TOO_LARGE",
        `The attachments this account has waiting to be sent, on all its devices, are larger than this gateway keeps (${this.limits.uploadBytesPerAccount} bytes); remove some`,
      );
    if (!inGateway)
      return new MailError(
        "RATE_LIMITED",
        "This gateway holds as many attachments as it may just now; try again later",
      );
    return null;
  }

  /**
   * Gives `n` bytes back to the account and the gateway, and to the session when it is given
   * (null: the session has ended, and its count went with it).
   */
  private refund(usage: SessionUsage | null, account: string | undefined, n: number): void {
    usage?.bytes.refund(n);
    this.countAccount(account, -n);
    this.gatewayBytes.refund(n);
  }

  /** Counts `n` bytes (negative: given back) for an account; false if past its bound. */
  private countAccount(account: string | undefined, n: number): boolean {
    if (account === undefined) return true;
    let budget = this.accountBytes.get(account);
    if (!budget) {
      budget = new ByteBudget(this.limits.uploadBytesPerAccount);
      this.accountBytes.set(account, budget);
    }
    const within = budget.charge(n);
    if (budget.used <= 0) this.accountBytes.delete(account);
    return within;
  }

  private usageOf(sessionKey: string): SessionUsage {
    let usage = this.usage.get(sessionKey);
    if (!usage) {
      usage = { count: 0, bytes: new ByteBudget(this.limits.uploadBytesPerSession) };
      this.usage.set(sessionKey, usage);
    }
    return usage;
  }

  /** A session's folder is named by a hash of `sessionKey` (the session id, half of its
   * cookie, which is written nowhere at rest). */
  private folderOf(sessionKey: string): string {
    return createHash("sha256").update(`pismo-uploads:${sessionKey}`).digest("base64url");
  }

  private async dir(sessionKey: string): Promise<string> {
    this.root ??= mkdtemp(path.join(os.tmpdir(), "pismo-uploads-")).catch((error: unknown) => {
      this.root = null;
      throw error;
    });
    const dir = path.join(await this.root, this.folderOf(sessionKey));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /** Streams one upload to disk. `owner`: the session's account, whose sessions share a bound. */
  async save(
    sessionKey: string,
    body: Readable,
    maxBytes: number,
    owner?: string,
  ): Promise<{ id: string; size: number }> {
    if (owner !== undefined && !this.ownerOf.has(sessionKey))
      this.ownerOf.set(sessionKey, owner.toLowerCase());
    const usage = this.usageOf(sessionKey);
    const account = this.ownerOf.get(sessionKey);
    const { uploadsPerSession } = this.limits;
    if (usage.count >= uploadsPerSession)
      throw new MailError(
        "RATE_LIMITED",
        `At most ${uploadsPerSession} attachments can wait to be sent; remove some or send the message`,
      );
    // Counted from the first byte, so parallel uploads cannot together pass the total.
    usage.count += 1;
    const id = randomBytes(18).toString("base64url");
    let size = 0;
    let file: string | null = null;
    const limiter = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        size += chunk.length;
        const past = this.charge(usage, account, chunk.length);
        if (size > maxBytes)
          done(
            new MailError(
              "MESSAGE_TOO_LARGE",
              `The file is larger than the server accepts (${maxBytes} bytes)`,
            ),
          );
        else if (past) done(past);
        else done(null, chunk);
      },
    });
    try {
      file = path.join(await this.dir(sessionKey), id);
      await pipeline(body, limiter, createWriteStream(file, { mode: 0o600 }));
    } catch (error) {
      usage.count -= 1;
      this.refund(usage, account, size);
      if (file) await rm(file, { force: true });
      throw error;
    }
    if (this.usage.get(sessionKey) !== usage) {
      // The session ended while the file came in: its folder is gone, and so is this.
      this.refund(null, account, size);
      await rm(file, { force: true });
      throw new MailError("NOT_SIGNED_IN", "The session has ended");
    }
    this.sizes.set(`${sessionKey}/${id}`, size);
    return { id, size };
  }

  async open(sessionKey: string, id: string): Promise<{ stream: Readable; size: number }> {
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(id)) throw new MailError("BAD_INPUT", "Bad upload id");
    const file = path.join(await this.dir(sessionKey), id);
    const info = await stat(file).catch(() => null);
    if (!info) throw new MailError("NOT_FOUND", "The attachment upload has expired; attach the file again");
    return { stream: createReadStream(file), size: info.size };
  }

  /** The most bytes one session's uploads may hold: no message it builds needs more. */
  get bytesPerSession(): number {
    return this.limits.uploadBytesPerSession;
  }

  /** Whether the session still holds this upload, finished. */
  holds(sessionKey: string, id: string): boolean {
    return this.sizes.has(`${sessionKey}/${id}`);
  }

  async remove(sessionKey: string, id: string): Promise<void> {
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(id) || !this.root) return;
    await rm(path.join(await this.root, this.folderOf(sessionKey), id), { force: true });
    const size = this.sizes.get(`${sessionKey}/${id}`);
    if (size === undefined) return;
    this.sizes.delete(`${sessionKey}/${id}`);
    const usage = this.usageOf(sessionKey);
    usage.count -= 1;
    this.refund(usage, this.ownerOf.get(sessionKey), size);
  }

  async clear(sessionKey: string): Promise<void> {
    // The finished uploads are given back here; one still coming in gives its bytes back
    // when it ends (and is not kept).
    const owner = this.ownerOf.get(sessionKey);
    for (const [key, size] of this.sizes)
      if (key.startsWith(`${sessionKey}/`)) {
        this.sizes.delete(key);
        this.refund(null, owner, size);
      }
    this.usage.delete(sessionKey);
    this.ownerOf.delete(sessionKey);
    if (this.root)
      await rm(path.join(await this.root, this.folderOf(sessionKey)), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    this.usage.clear();
    this.sizes.clear();
    this.accountBytes.clear();
    this.ownerOf.clear();
    this.gatewayBytes = new ByteBudget(this.limits.uploadBytesPerGateway);
    const root = this.root;
    this.root = null;
    if (root) await rm(await root, { recursive: true, force: true });
  }
}
