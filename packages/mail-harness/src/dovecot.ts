import { execFile, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { promisify } from "node:util";
import { renderDovecotConfig, type DovecotConfigInput } from "./config";
import { groupMembers, killGroup, killPid, type ProcessGuard } from "./processes";

const execFileAsync = promisify(execFile);

export const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * The instance's dovecot.conf. It is written again when createFolder() adds a special-use
 * folder: Dovecot 2.3 keeps special-use only in the config (no CREATE-SPECIAL-USE).
 */
export class DovecotConfigFile {
  private readonly extraSpecialUse: Array<[string, string]> = [];

  constructor(
    readonly path: string,
    private readonly input: Omit<DovecotConfigInput, "extraSpecialUse">,
  ) {}

  /** Whether this instance indexes mail for full-text search. */
  get fts(): boolean {
    return this.input.fts === true;
  }

  hasSpecialUse(path: string, use: string): boolean {
    return this.extraSpecialUse.some(([p, u]) => p === path && u === use);
  }

  addSpecialUse(path: string, use: string): void {
    this.extraSpecialUse.push([path, use]);
  }

  write(): Promise<void> {
    return writeFile(
      this.path,
      renderDovecotConfig({ ...this.input, extraSpecialUse: this.extraSpecialUse }),
    );
  }
}

/** Runs doveadm against this instance's config; a failure carries doveadm's stderr. */
export type Doveadm = (args: string[]) => Promise<string>;

export function doveadmFor(configPath: string): Doveadm {
  return async (args) => {
    try {
      const { stdout } = await execFileAsync("doveadm", ["-c", configPath, ...args], {
        maxBuffer: 256 * 1024 * 1024,
      });
      return stdout;
    } catch (error) {
      const e = error as { stderr?: string; code?: number };
      throw new Error(`doveadm ${args.join(" ")} failed (${e.code}): ${e.stderr ?? ""}`.trim(), {
        cause: error,
      });
    }
  };
}

export interface DovecotProcess {
  /** Stops the master and waits until no process of its group is left. Safe to call twice. */
  stop(): Promise<void>;
}

export interface DovecotStart {
  configPath: string;
  /** Kills Dovecot's process group if this process dies (or exits) before stop() is done. */
  guard: ProcessGuard;
  /** Dovecot's log file; null when it logs to this process's stderr. */
  logPath: string | null;
  imapPort: number;
  pop3Port: number;
  sievePort: number;
}

/**
 * Starts `dovecot -F` in its own process group and waits for the IMAP and POP3 greetings.
 * When it does not come up, whatever it started is stopped and the error carries its output
 * and log.
 */
export async function startDovecot(o: DovecotStart): Promise<DovecotProcess> {
  // `ulimit -n`: a thousand IMAP sessions need more descriptors in the master than the default.
  const child = spawn(
    "/bin/sh",
    ["-c", 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec dovecot -F -c "$0"', o.configPath],
    {
      detached: true, // own process group, so stop() and the guard can kill every child
      stdio: ["ignore", o.logPath ? "pipe" : "inherit", o.logPath ? "pipe" : "inherit"],
    },
  );
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const pgid = child.pid;
  if (pgid === undefined) throw new Error("could not spawn dovecot");
  o.guard.watchGroup(pgid);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    // Forgotten only once the group is empty: when processes are left, the guard kills them.
    stopping ??= stopGroup(child, pgid, exited).then(() => o.guard.forgetGroup(pgid));
    return stopping;
  };

  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    await waitForGreeting(o.imapPort, "* OK", deadline, child);
    await waitForGreeting(o.pop3Port, "+OK", deadline, child);
    // ManageSieve greets with its capability list (RFC 5804 section 1.7), first IMPLEMENTATION.
    await waitForGreeting(o.sievePort, '"IMPLEMENTATION"', deadline, child);
  } catch (error) {
    await stop().catch(() => undefined);
    const log = o.logPath ? safeRead(o.logPath) : "";
    throw new Error(`dovecot did not start: ${(error as Error).message}\n${output}\n${log}`, {
      cause: error,
    });
  }
  return { stop };
}

async function stopGroup(child: ChildProcess, pgid: number, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(pgid, "SIGTERM");
    } catch {
      // already gone
    }
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    let masterGone = false;
    void exited.then(() => (masterGone = true));
    while (!masterGone) {
      const others = groupMembers(pgid).filter((m) => m.pid !== pgid);
      // The master waits a full second for its log process before exiting; once every
      // mail and auth process is gone there is nothing left to flush that we care about.
      if (others.length > 0 && others.every((m) => m.comm === "log")) {
        for (const m of others) killPid(m.pid);
      }
      if (Date.now() > deadline) {
        killGroup(pgid);
        break;
      }
      await Promise.race([exited, delay(20)]);
    }
    await exited;
  }
  // The master is gone; its children finish on their own shortly after.
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (groupMembers(pgid).length > 0) {
    if (Date.now() > deadline) {
      killGroup(pgid);
      await delay(100);
      if (groupMembers(pgid).length > 0) throw new Error(`dovecot processes left in group ${pgid}`);
      break;
    }
    await delay(25);
  }
}

async function waitForGreeting(
  port: number,
  prefix: string,
  deadline: number,
  child: ChildProcess,
): Promise<void> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error("dovecot exited during start-up");
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port });
      const timer = setTimeout(() => done(false), 2000);
      function done(result: boolean): void {
        clearTimeout(timer);
        socket.destroy();
        resolve(result);
      }
      socket.once("data", (data) => done(data.toString("latin1").startsWith(prefix)));
      socket.once("error", () => done(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`no ${prefix} greeting on port ${port}`);
    await delay(50);
  }
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
