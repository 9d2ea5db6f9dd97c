import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import { MailError } from "@pismo/protocol/errors";

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

  private async dir(sessionKey: string): Promise<string> {
    this.root ??= await mkdtemp(path.join(os.tmpdir(), "pismo-uploads-"));
    const dir = path.join(this.root, sessionKey);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  async save(sessionKey: string, body: Readable, maxBytes: number): Promise<{ id: string; size: number }> {
    const id = randomBytes(18).toString("base64url");
    const file = path.join(await this.dir(sessionKey), id);
    let size = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes)
          done(
            new MailError(
              "MESSAGE_TOO_LARGE",
              `The file is larger than the server accepts (${maxBytes} bytes)`,
            ),
          );
        else done(null, chunk);
      },
    });
    try {
      await pipeline(body, limiter, createWriteStream(file, { mode: 0o600 }));
    } catch (error) {
      await rm(file, { force: true });
      throw error;
    }
    return { id, size };
  }

  async open(sessionKey: string, id: string): Promise<{ stream: Readable; size: number }> {
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(id)) throw new MailError("BAD_INPUT", "Bad upload id");
    const file = path.join(await this.dir(sessionKey), id);
    const info = await stat(file).catch(() => null);
    if (!info) throw new MailError("NOT_FOUND", "The attachment upload has expired; attach the file again");
    return { stream: createReadStream(file), size: info.size };
  }

  async remove(sessionKey: string, id: string): Promise<void> {
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(id) || !this.root) return;
    await rm(path.join(this.root, sessionKey, id), { force: true });
  }

  async clear(sessionKey: string): Promise<void> {
    if (this.root) await rm(path.join(this.root, sessionKey), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    if (this.root) await rm(this.root, { recursive: true, force: true });
    this.root = null;
  }
}
