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

type UploadLimits = Pick<
  GatewayLimits,
  "uploadsPerSession" | "uploadBytesPerSession" | "uploadBytesPerAccount" | "uploadBytesPerGateway"
>;

export interface StoredUpload {
  path: string;
  size: number;
}

/**
 * Attachments being composed, streamed to disk as they arrive (never held whole in memory),
 * one folder per session, removed when the session ends or the message is sent.
 */
export class UploadStore {
  private root: string | null = null;
  /** Uploads (finished or streaming) and their bytes, per session: disk is bounded too. */
  private readonly usage = new Map<string, { count: number; bytes: number }>();
  private readonly sizes = new Map<string, number>();
  /**
   * Bytes per account, over all its sessions (a session per sign-in: signing in again and again
   * must not multiply the disk an account may fill), and in the whole gateway.
   */
  private readonly accountBytes = new Map<string, number>();
  private readonly ownerOf = new Map<string, string>();
  private gatewayBytes = 0;

  private readonly limits: UploadLimits;

  constructor(limits: Partial<UploadLimits> = {}) {
    this.limits = { ...DEFAULT_GATEWAY_LIMITS, ...limits };
  }

  /** Counts `bytes` (negative: given back) for an account and the gateway. */
  private countShared(owner: string | undefined, bytes: number): void {
    this.gatewayBytes += bytes;
    if (owner === undefined) return;
    const left = (this.accountBytes.get(owner) ?? 0) + bytes;
    if (left > 0) this.accountBytes.set(owner, left);
    else this.accountBytes.delete(owner);
  }

  private usageOf(sessionKey: string): { count: number; bytes: number } {
    let usage = this.usage.get(sessionKey);
    if (!usage) {
      usage = { count: 0, bytes: 0 };
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
    this.root ??= await mkdtemp(path.join(os.tmpdir(), "pismo-uploads-"));
    const dir = path.join(this.root, this.folderOf(sessionKey));
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
    const { uploadsPerSession, uploadBytesPerSession, uploadBytesPerAccount, uploadBytesPerGateway } =
      this.limits;
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
        usage.bytes += chunk.length;
        this.countShared(account, chunk.length);
        if (size > maxBytes)
          done(
            new MailError(
              "MESSAGE_TOO_LARGE",
              `The file is larger than the server accepts (${maxBytes} bytes)`,
            ),
          );
        else if (usage.bytes > uploadBytesPerSession)
          done(
            new MailError(
              "MESSAGE_TOO_LARGE",
              `The attachments waiting to be sent are larger than this gateway keeps (${uploadBytesPerSession} bytes); remove some`,
            ),
          );
        else if (account !== undefined && (this.accountBytes.get(account) ?? 0) > uploadBytesPerAccount)
          done(
            new MailError(
              "MESSAGE_TOO_LARGE",
              `The attachments this account has waiting to be sent, on all its devices, are larger than this gateway keeps (${uploadBytesPerAccount} bytes); remove some`,
            ),
          );
        else if (this.gatewayBytes > uploadBytesPerGateway)
          done(
            new MailError(
              "RATE_LIMITED",
              "This gateway holds as many attachments as it may just now; try again later",
            ),
          );
        else done(null, chunk);
      },
    });
    try {
      file = path.join(await this.dir(sessionKey), id);
      await pipeline(body, limiter, createWriteStream(file, { mode: 0o600 }));
    } catch (error) {
      usage.count -= 1;
      usage.bytes -= size;
      this.countShared(account, -size);
      if (file) await rm(file, { force: true });
      throw error;
    }
    if (this.usage.get(sessionKey) !== usage) {
      // The session ended while the file came in: its folder is gone, and so is this.
      this.countShared(account, -size);
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
    await rm(path.join(this.root, this.folderOf(sessionKey), id), { force: true });
    const size = this.sizes.get(`${sessionKey}/${id}`);
    if (size === undefined) return;
    this.sizes.delete(`${sessionKey}/${id}`);
    const usage = this.usageOf(sessionKey);
    usage.count -= 1;
    usage.bytes -= size;
    this.countShared(this.ownerOf.get(sessionKey), -size);
  }

  async clear(sessionKey: string): Promise<void> {
    // The finished uploads are given back here; one still coming in gives its bytes back
    // when it ends (and is not kept).
    const owner = this.ownerOf.get(sessionKey);
    for (const [key, size] of this.sizes)
      if (key.startsWith(`${sessionKey}/`)) {
        this.sizes.delete(key);
        this.countShared(owner, -size);
      }
    this.usage.delete(sessionKey);
    this.ownerOf.delete(sessionKey);
    if (this.root)
      await rm(path.join(this.root, this.folderOf(sessionKey)), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    this.usage.clear();
    this.sizes.clear();
    this.accountBytes.clear();
    this.ownerOf.clear();
    this.gatewayBytes = 0;
    if (this.root) await rm(this.root, { recursive: true, force: true });
    this.root = null;
  }
}
