import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { killOnExit, startRedis } from "./cluster-services";
import { groupMembers, killGroup, REAPER_NAME } from "./processes";
import { startMailServer } from "./server";

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
const FIXTURE = join(PACKAGE_DIR, "src", "guard-fixture.ts");
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  comm: string;
  cmdline: string;
}

function processes(): Proc[] {
  const found: Proc[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "latin1");
      const close = stat.lastIndexOf(")");
      const [state = "", ppid, pgid] = stat.slice(close + 2).split(" ");
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "latin1").split("\0").join(" ");
      found.push({
        pid: Number(entry),
        ppid: Number(ppid),
        pgid: Number(pgid),
        state,
        comm: stat.slice(stat.indexOf("(") + 1, close),
        cmdline,
      });
    } catch {
      // exited while we were looking
    }
  }
  return found;
}

const childrenOf = (pid: number): Proc[] => processes().filter((p) => p.ppid === pid);
const reapersOf = (pid: number): Proc[] => childrenOf(pid).filter((p) => p.cmdline.includes(REAPER_NAME));

/** Running, not a zombie (this machine's init may never reap the orphans of a killed process). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function until(done: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await delay(25);
}

/** What a test started, cleaned up even when it fails half-way. */
const owners: ChildProcess[] = [];
const groups: number[] = [];
const dirs: string[] = [];
const stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop().catch(() => undefined);
  for (const owner of owners.splice(0)) if (owner.pid !== undefined) killGroup(owner.pid);
  for (const pgid of groups.splice(0)) killGroup(pgid);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs guard-fixture.ts in a process group of its own (so that the test can kill it as a
 * runner tears down its workers: SIGKILL, no exit hook) and returns the JSON line it prints.
 */
async function startOwner(
  what: string,
): Promise<{ owner: ChildProcess; pid: number; info: Record<string, unknown> }> {
  const owner = spawn(process.execPath, ["--import", "tsx", FIXTURE, what], {
    cwd: PACKAGE_DIR,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  owners.push(owner);
  let stderr = "";
  owner.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`fixture ${what} printed nothing:\n${stderr}`)), 30_000);
    owner.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const end = out.indexOf("\n");
      if (end >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, end));
      }
    });
    // "close", not "exit": by then all of its output has been read.
    owner.once("close", (code) => {
      clearTimeout(timer);
      reject(new Error(`fixture ${what} exited (${code}) before printing:\n${stderr}`));
    });
  });
  if (owner.pid === undefined) throw new Error("fixture has no pid");
  return { owner, pid: owner.pid, info: JSON.parse(line) as Record<string, unknown> };
}

/** The process group of the owner's child whose command name is `comm` (a server's master). */
function groupOf(ownerPid: number, comm: string): number {
  const master = childrenOf(ownerPid).find((p) => p.comm === comm);
  if (!master) throw new Error(`no ${comm} under ${ownerPid}: ${JSON.stringify(childrenOf(ownerPid))}`);
  // Its own group, apart from the owner's, which the kill below takes down.
  expect(master.pgid).toBe(master.pid);
  groups.push(master.pgid);
  expect(groupMembers(master.pgid).length).toBeGreaterThan(0);
  return master.pgid;
}

/** The owner's one reaper, checked to be in a session of its own (not in any killed group). */
function reaperOf(ownerPid: number): Proc {
  const reapers = reapersOf(ownerPid);
  expect(reapers).toHaveLength(1);
  const reaper = reapers[0] as Proc;
  expect(reaper.pgid).toBe(reaper.pid);
  return reaper;
}

describe("a test process killed with SIGKILL (no exit hook) leaves nothing behind", () => {
  it("Dovecot: its process group is killed and the directory removed", async () => {
    const { pid, info } = await startOwner("mail-server");
    const dir = String(info.dir);
    dirs.push(dir);
    const dovecot = groupOf(pid, "dovecot");
    const reaper = reaperOf(pid);
    expect(existsSync(dir)).toBe(true);

    process.kill(-pid, "SIGKILL");
    await until(() => groupMembers(dovecot).length === 0 && !existsSync(dir) && !alive(reaper.pid));
    expect(groupMembers(dovecot)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(alive(reaper.pid)).toBe(false); // its work done, the reaper is gone too
  });

  it.skipIf(!isRoot)("Dovecot and Postfix (smtp): both process groups are killed", async () => {
    const { pid, info } = await startOwner("mail-server-smtp");
    const dir = String(info.dir);
    dirs.push(dir);
    const dovecot = groupOf(pid, "dovecot");
    const postfix = groupOf(pid, "master");
    const reaper = reaperOf(pid);

    process.kill(-pid, "SIGKILL");
    await until(
      () =>
        groupMembers(dovecot).length === 0 &&
        groupMembers(postfix).length === 0 &&
        !existsSync(dir) &&
        !alive(reaper.pid),
    );
    expect(groupMembers(postfix)).toEqual([]);
    expect(groupMembers(dovecot)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(alive(reaper.pid)).toBe(false);
  });

  it("Redis: the server is killed and its dump directory removed", async () => {
    const { pid, info } = await startOwner("redis");
    const redis = Number(info.pid);
    const dir = String(info.dir);
    dirs.push(dir);
    expect(alive(redis)).toBe(true);
    const reaper = reaperOf(pid);

    process.kill(-pid, "SIGKILL");
    await until(() => !alive(redis) && !existsSync(dir) && !alive(reaper.pid));
    expect(alive(redis)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(alive(reaper.pid)).toBe(false);
  });
});

describe("the guard's reaper", () => {
  it("is gone after a normal stop() (mail server, Redis) or a guarded child's exit", async () => {
    const server = await startMailServer({
      users: [{ name: "alice@pismo.test", password: "alice-pw" }],
      ...(isRoot ? { smtp: true } : {}),
    });
    stops.push(server.stop);
    const redis = await startRedis();
    stops.push(redis.stop);
    const sleeper = spawn("sleep", ["300"], { stdio: "ignore" });
    killOnExit(sleeper);
    stops.push(async () => void sleeper.kill("SIGKILL"));
    const mine = (text: string): Proc[] => reapersOf(process.pid).filter((p) => p.cmdline.includes(text));
    expect(mine(server.dir)).toHaveLength(1); // one for Dovecot and Postfix together
    expect(mine(redis.dumpDir)).toHaveLength(1);
    expect(mine(`sleep ${sleeper.pid}`)).toHaveLength(1);

    await server.stop();
    await redis.stop();
    expect(mine(server.dir)).toEqual([]);
    expect(mine(redis.dumpDir)).toEqual([]);
    sleeper.kill("SIGKILL");
    await until(() => mine(`sleep ${sleeper.pid}`).length === 0);
    expect(mine(`sleep ${sleeper.pid}`)).toEqual([]);
  });

  it("does not keep the test process alive; a normal exit kills the guarded child", async () => {
    const { owner, info } = await startOwner("unref-child");
    const sleeper = Number(info.pid);
    const exited =
      owner.exitCode !== null
        ? owner.exitCode
        : await new Promise<number | null>((resolve) => {
            const timer = setTimeout(() => resolve(null), 10_000);
            owner.once("exit", (code) => {
              clearTimeout(timer);
              resolve(code);
            });
          });
    expect(exited).toBe(0);
    await until(() => !alive(sleeper));
    expect(alive(sleeper)).toBe(false);
  });
});
