import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { SessionStoreConfig } from "../../env";
import type { Logger } from "../../log";
import type { DurableSessions } from "../session";
import { FileSessionStore } from "./file-store";
import { RedisSessionStore } from "./redis-store";

/**
 * Opens the configured store. The embedded store without PISMO_SECRET keeps a generated
 * secret in `<dataDir>/secret` (0600): the disk then holds the server's half of every sealing
 * key, but not the other half, which only the users' cookies carry, so a copy of the disk
 * still opens no password. PISMO_SECRET (kept elsewhere, e.g. a systemd credential) keeps even
 * the server's half off that disk.
 */
export async function openSessionStore(
  config: SessionStoreConfig | undefined,
  opts: { idleMs: number; gatewayId?: string | undefined; log: Logger },
): Promise<DurableSessions | null> {
  if (!config || config.kind === "memory") return null;
  const gatewayId = opts.gatewayId ?? `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  if (config.kind === "redis") {
    const records = await RedisSessionStore.connect(config.url, {
      onError: (error) => opts.log.warn("sessions.redis_error", { message: error.message }),
    });
    return { records, secret: config.secret, gatewayId };
  }
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const secret = config.secret ?? (await secretFile(config.dataDir, opts.log));
  const records = await FileSessionStore.open(config.dataDir, opts.idleMs);
  return { records, secret, gatewayId };
}

async function secretFile(dataDir: string, log: Logger): Promise<Buffer> {
  const file = path.join(dataDir, "secret");
  const existing = await readFile(file, "utf8").catch(() => null);
  if (existing && existing.trim().length >= 32) return Buffer.from(existing.trim(), "utf8");
  const secret = randomBytes(32).toString("base64url");
  // "wx": two gateways starting at once on one data dir do not overwrite each other's secret.
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    log.info("sessions.secret_created", { file });
  } catch {
    return Buffer.from((await readFile(file, "utf8")).trim(), "utf8");
  }
  await chmod(file, 0o600);
  return Buffer.from(secret, "utf8");
}
