import { existsSync, rmSync } from "node:fs";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gatewayEnv, startMailServer, type MailServer } from "@pismo/mail-harness";
import { startGatewayProcess, type GatewayProcess } from "../fixtures/gateway-process";
import { repoRoot } from "./options";
import type { Account } from "./ui";

export interface BenchStack {
  mail: MailServer;
  gateway: GatewayProcess;
  /** The run's own copy of apps/web/out: a build made meanwhile (by anyone) cannot change it. */
  staticDir: string;
  /** Starts another gateway (for instance one that reaches IMAP through a counting proxy). */
  startGateway(overrides?: Record<string, string>): Promise<GatewayProcess>;
  stop(): Promise<void>;
}

/** Folders the folder-switch figure opens, each once per page (so each switch is a cold one). */
export function switchFolderNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `Mapa ${String(i + 1).padStart(2, "0")}`);
}
export const SWITCH_FOLDER_SIZE = 200;

export function inboxAccount(size: number): Account {
  return { email: `inbox${size}@pismo.test`, password: `bench-${size}-pw` };
}
export const idleAccount: Account = { email: "idle@pismo.test", password: "bench-idle-pw" };
export const pop3Account: Account = { email: "pop@pismo.test", password: "bench-pop-pw" };

/**
 * One Dovecot (rawlog on, for the users whose sign-in is counted) and one built gateway in
 * front of it, exactly as `npm start` runs it.
 */
export async function startBenchStack(): Promise<BenchStack> {
  const staticDir = await mkdtemp(join(tmpdir(), "pismo-bench-web-"));
  // Also when the runner gives up on a timed-out run and exits without its clean-up.
  const removeStaticDir = () => rmSync(staticDir, { recursive: true, force: true });
  process.once("exit", removeStaticDir);
  await snapshotWebApp(staticDir);
  const mail = await startMailServer({ rawlog: true }).catch(async (error: unknown) => {
    await rm(staticDir, { recursive: true, force: true });
    throw error;
  });
  const gateways: GatewayProcess[] = [];
  const startGateway = async (overrides: Record<string, string> = {}) => {
    const g = await startGatewayProcess({
      ...gatewayEnv(mail),
      PISMO_LOG_LEVEL: "warn",
      PISMO_STATIC_DIR: staticDir,
      ...overrides,
    });
    gateways.push(g);
    return g;
  };
  try {
    const gateway = await startGateway();
    return {
      mail,
      gateway,
      staticDir,
      startGateway,
      async stop() {
        for (const g of gateways) await g.stop().catch(() => undefined);
        await mail.stop();
        await rm(staticDir, { recursive: true, force: true });
        process.off("exit", removeStaticDir);
      },
    };
  } catch (error) {
    for (const g of gateways) await g.stop().catch(() => undefined);
    await mail.stop();
    await rm(staticDir, { recursive: true, force: true });
    throw error;
  }
}

/** Copies the built web app; again if a build was writing it meanwhile (a page names a missing file). */
export async function snapshotWebApp(into: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await rm(into, { recursive: true, force: true });
    await cp(join(repoRoot, "apps/web/out"), into, { recursive: true });
    const html = await readFile(join(into, "index.html"), "utf8").catch(() => "");
    const assets = [...html.matchAll(/"(\/_next\/static\/[^"?\\]+)"/g)].map((m) => m[1] as string);
    if (html && assets.length > 0 && assets.every((a) => existsSync(join(into, a)))) return;
    if (attempt >= 10)
      throw new Error("apps/web/out is incomplete (run the build, and no other build at the same time)");
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

/** Adds a user; without rawlog unless asked (Dovecot logs only into directories that exist). */
export async function addUser(
  mail: MailServer,
  account: Account,
  opts: { rawlog?: boolean } = {},
): Promise<void> {
  await mail.addUser({ name: account.email, password: account.password, quotaBytes: 8 * 1024 ** 3 });
  if (!opts.rawlog) await rm(join(mail.dir, "rawlog", account.email), { recursive: true, force: true });
}

/**
 * The benchmark's mailbox: an INBOX of `size` and `folders` folders of SWITCH_FOLDER_SIZE
 * (the folder switch's and the search's), seeded from `size`; with the server's full-text
 * index built when `ftsIndex` (the body search's figure is "with the server's index").
 */
export async function seedBenchMailbox(
  mail: MailServer,
  account: Account,
  { size, folders, ftsIndex = false }: { size: number; folders: number; ftsIndex?: boolean },
): Promise<void> {
  const switchFolders = Object.fromEntries(switchFolderNames(folders).map((n) => [n, SWITCH_FOLDER_SIZE]));
  await mail.seed(account.email, {
    count: 0,
    folders: { INBOX: size, ...switchFolders },
    user: account.email,
    seed: size,
    ftsIndex,
  });
}

export function rawlogDir(mail: MailServer, account: Account): string {
  return join(mail.dir, "rawlog", account.email);
}
