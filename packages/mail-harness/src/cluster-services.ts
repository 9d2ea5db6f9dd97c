import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { findFreePorts } from "./ports";
import { ProcessGuard } from "./processes";

/** A process started by a test, stopped by `stop()` (and killed if the test process exits). */
export interface ServiceProcess {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Kills `child` if this process exits first: a test runner that gives up on a timed-out test
 * exits its worker without running the test's clean-up, and must not leave servers behind.
 * Also when this process is killed (SIGKILL from a runner's teardown): see ProcessGuard. Only
 * `child` itself, not processes it starts in turn.
 */
export function killOnExit(child: ChildProcess): void {
  const guard = guardChild(child, null);
  if (guard) child.once("exit", () => void guard.release());
}

/** A guard that kills `child` (and removes `dir`) if this process dies before release(). */
function guardChild(child: ChildProcess, dir: string | null): ProcessGuard | null {
  const pid = child.pid;
  // Never started (an "error" event follows) or already gone: nothing to guard.
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return null;
  const guard = new ProcessGuard(`${child.spawnfile} ${pid}`, dir);
  guard.watchProcess(pid);
  // Once it has exited its PID is free for another process: never kill that.
  child.once("exit", () => guard.forgetProcess(pid));
  return guard;
}

async function waitForPort(
  port: number,
  child: ChildProcess,
  output: () => string,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms:\n${output()}`);
}

function stopper(child: ChildProcess, dir: string | null, guard: ProcessGuard | null): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    if (dir) await rm(dir, { recursive: true, force: true });
    await guard?.release();
  };
}

/**
 * A private Redis (Debian's redis-server) on a free loopback port, in memory only (`--save ''`,
 * no AOF), never the system service. `dumpDir` is where `SAVE` writes dump.rdb when a test
 * wants the store's bytes on disk.
 */
export async function startRedis(): Promise<ServiceProcess & { url: string; dumpDir: string }> {
  const [port] = await findFreePorts(1);
  if (port === undefined) throw new Error("no free port");
  const dir = await mkdtemp(path.join(os.tmpdir(), "pismo-redis-"));
  const child = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--daemonize",
      "no",
      "--dir",
      dir,
      "--protected-mode",
      "yes",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  // Its directory too goes if this process dies first.
  const guard = guardChild(child, dir);
  let out = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
  await waitForPort(port, child, () => out);
  return {
    port,
    child,
    url: `redis://127.0.0.1:${port}`,
    dumpDir: dir,
    stop: stopper(child, dir, guard),
  };
}

/**
 * Debian's HAProxy with the given config file, its `${VAR}` references filled from `env`
 * (HAProxy reads environment variables in quoted config strings), in the foreground.
 */
export async function startHaproxy(
  configFile: string,
  env: Record<string, string>,
  port: number,
): Promise<ServiceProcess> {
  const child = spawn("haproxy", ["-db", "-f", configFile], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const guard = guardChild(child, null);
  if (guard) child.once("exit", () => void guard.release());
  let out = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
  await waitForPort(port, child, () => out);
  return { port, child, stop: stopper(child, null, guard) };
}
