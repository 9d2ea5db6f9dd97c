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

  constructor(
    private readonly limits: Pick<
      GatewayLimits,
      "uploadsPerSession" | "uploadBytesPerSession"
    > = DEFAULT_GATEWAY_LIMITS,
  ) {}

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

  async save(sessionKey: string, body: Readable, maxBytes: number): Promise<{ id: string; size: number }> {
    const usage = this.usageOf(sessionKey);
    const { uploadsPerSession, uploadBytesPerSession } = this.limits;
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
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        usage.bytes += chunk.length;
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
        else done(null, chunk);
      },
    });
    try {
      file = path.join(await this.dir(sessionKey), id);
      await pipeline(body, limiter, createWriteStream(file, { mode: 0o600 }));
    } catch (error) {
      usage.count -= 1;
      usage.bytes -= size;
      if (file) await rm(file, { force: true });
      throw error;
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
  }

  async clear(sessionKey: string): Promise<void> {
    this.usage.delete(sessionKey);
    for (const key of this.sizes.keys()) if (key.startsWith(`${sessionKey}/`)) this.sizes.delete(key);
    if (this.root)
      await rm(path.join(this.root, this.folderOf(sessionKey)), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    this.usage.clear();
    this.sizes.clear();
    if (this.root) await rm(this.root, { recursive: true, force: true });
    this.root = null;
  }
}
