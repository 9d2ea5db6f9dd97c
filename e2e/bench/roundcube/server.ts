import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Debian 12's layout (roundcube-core): the application and its public directory. */
export const ROUNDCUBE_APP = "/usr/share/roundcube";
export const ROUNDCUBE_PUBLIC = "/var/lib/roundcube/public_html";
const DEBIAN_DEFAULTS = "/etc/roundcube/defaults.inc.php";
const SQLITE_SCHEMA = path.join(ROUNDCUBE_APP, "SQL/sqlite.initial.sql");
const ROUTER = path.join(path.dirname(fileURLToPath(import.meta.url)), "router.php");

/** Roundcube's own default, written into the config so the report can state what this run used. */
export const ROUNDCUBE_REFRESH_S = 60;
/** Parallel requests, as Apache or PHP-FPM would serve them (the browser loads assets in parallel). */
const PHP_WORKERS = 4;

export interface RoundcubeServer {
  url: string;
  version: string;
  php: string;
  /** Seconds between Roundcube's checks for new mail (its `refresh_interval`). */
  refreshIntervalS: number;
  /** Roundcube's log directory for this run (errors.log): for the error messages. */
  logDir: string;
  stop(): Promise<void>;
}

/** Says whether Debian's Roundcube and PHP are installed, and what to run when they are not. */
export function roundcubeMissing(): string | null {
  const needed = [path.join(ROUNDCUBE_APP, "index.php"), DEBIAN_DEFAULTS, SQLITE_SCHEMA, "/usr/bin/php"];
  const missing = needed.filter((f) => !existsSync(f));
  return missing.length
    ? `Roundcube is not installed (missing ${missing.join(", ")}); \`npm run bench -- --with-roundcube\` installs it (scripts/bench.sh)`
    : null;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port assigned");
  return address.port;
}

const php = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/**
 * Debian's Roundcube with a private config, SQLite database, logs and temp files in a temp
 * directory (nothing under /etc or /var/lib is written), served by PHP's built-in server on a
 * free loopback port, talking IMAP to `imapPort` on 127.0.0.1 (Dovecot, or a counting proxy).
 */
export async function startRoundcube(imapPort: number): Promise<RoundcubeServer> {
  const missing = roundcubeMissing();
  if (missing) throw new Error(missing);
  const dir = await mkdtemp(path.join(tmpdir(), "pismo-bench-roundcube-"));
  let child: ChildProcess | null = null;
  const stop = async () => {
    const pid = child?.pid;
    if (pid !== undefined) {
      // The server forks its workers into its own process group (spawned detached): the whole
      // group is ended, and waited for, since the workers can outlive the master by a moment.
      const alive = () => {
        try {
          process.kill(-pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      const signal = (s: NodeJS.Signals) => {
        try {
          process.kill(-pid, s);
        } catch {
          // Already gone.
        }
      };
      signal("SIGTERM");
      const deadline = Date.now() + 5_000;
      while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (alive()) signal("SIGKILL");
      while (alive()) await new Promise((r) => setTimeout(r, 50));
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const configDir = path.join(dir, "config");
    const logDir = path.join(dir, "logs");
    await Promise.all([configDir, logDir, path.join(dir, "temp")].map((d) => mkdir(d)));
    await symlink(DEBIAN_DEFAULTS, path.join(configDir, "defaults.inc.php"));
    const db = path.join(dir, "roundcube.db");
    await run("sqlite3", [db, `.read ${SQLITE_SCHEMA}`]);
    const config = [
      "<?php",
      "// Written by the Pismo benchmark for one run; Roundcube's defaults otherwise.",
      "$config = [];",
      `$config['db_dsnw'] = ${php(`sqlite:///${db}?mode=0600`)};`,
      `$config['imap_host'] = ${php(`127.0.0.1:${imapPort}`)};`,
      // The benchmark never sends mail from Roundcube.
      "$config['smtp_host'] = '';",
      `$config['des_key'] = ${php(randomBytes(18).toString("base64"))};`,
      "$config['plugins'] = [];",
      "$config['enable_installer'] = false;",
      "$config['skin'] = 'elastic';",
      "$config['support_url'] = '';",
      "$config['log_driver'] = 'file';",
      `$config['log_dir'] = ${php(`${logDir}/`)};`,
      `$config['temp_dir'] = ${php(`${dir}/temp/`)};`,
      `$config['refresh_interval'] = ${ROUNDCUBE_REFRESH_S};`,
      "$config['enable_spellcheck'] = false;",
      "",
    ].join("\n");
    await writeFile(path.join(configDir, "config.inc.php"), config);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    child = spawn(
      "php",
      [
        "-d",
        "zlib.output_compression=On",
        "-d",
        "opcache.enable_cli=1",
        "-d",
        "display_errors=stderr",
        "-S",
        `127.0.0.1:${port}`,
        "-t",
        ROUNDCUBE_PUBLIC,
        ROUTER,
      ],
      {
        cwd: dir,
        detached: true,
        stdio: ["ignore", "ignore", "pipe"],
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: dir,
          // Debian's iniset.php reads the config directory from here (else /etc/roundcube).
          ROUNDCUBE_CONFIG_DIR: configDir,
          PHP_CLI_SERVER_WORKERS: String(PHP_WORKERS),
        },
      },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      // The built-in server logs every request on stderr: keep only the tail for errors.
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`php -S exited with ${child.exitCode}: ${stderr}`);
      const ok = await fetch(`${url}/`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`Roundcube did not answer on ${url} within 15 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const iniset = await readFile(path.join(ROUNDCUBE_APP, "program/include/iniset.php"), "utf8");
    const { stdout: phpVersion } = await run("php", ["-r", "echo PHP_VERSION;"]);
    return {
      url,
      version: /define\('RCMAIL_VERSION', '([^']+)'\)/.exec(iniset)?.[1] ?? "unknown",
      php: phpVersion.trim(),
      refreshIntervalS: ROUNDCUBE_REFRESH_S,
      logDir,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
