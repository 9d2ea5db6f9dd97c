import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import type { Socket } from "node:net";

/**
 * The reaper, one per guard: a tiny `sh` in a session of its own, so that neither a signal to
 * the server's process group nor one to this process's group reaches it. It reads commands
 * from a pipe that only this process holds: `kill T` (a kill(2) target: -PGID for a process
 * group, PID for a single process) and `forget T`. When the pipe ends, which the kernel sees
 * to when this process dies however it dies (a SIGKILL runs no `exit` hook), it kills every
 * target still listed, then removes `$1` unless that is empty. stdout and stderr go to
 * /dev/null: it must not hold open a pipe that a test runner waits on. A normal stop dismisses
 * it with a SIGKILL while the pipe is still open, so it never kills anything then.
 *
 * A dying process may still finish the syscall it is in, so `rm` is tried again for a moment.
 */
const REAPER_SCRIPT = `t=
while read -r c a; do
  case $c in
    kill) t="$t $a" ;;
    forget) n=; for x in $t; do [ "$x" = "$a" ] || n="$n $x"; done; t=$n ;;
  esac
done
for x in $t; do kill -KILL "$x" 2>/dev/null; done
i=0
while [ -n "$1" ] && [ -e "$1" ] && [ $i -lt 50 ]; do rm -rf "$1" 2>/dev/null || sleep 0.1; i=$((i+1)); done`;

/** The name the reaper runs under (`$0`), so that `ps` and tests can tell it apart. */
export const REAPER_NAME = "pismo-reaper";

/** The guards not yet released, for the exit hook. */
const live = new Set<ProcessGuard>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A normal exit without stop() (a runner giving up on a timed-out test): clean up at once,
  // synchronously. The reapers, which see their pipes end right after, find nothing left.
  process.on("exit", () => {
    for (const guard of live) guard.killNow();
  });
}

/**
 * Makes sure what a test process starts does not outlive it: the watched process groups and
 * processes are killed, and `dir` (when not null) removed, when this process exits without
 * release(), through an `exit` hook, and also when it is killed (SIGKILL, or a signal it does
 * not handle), by the reaper. Call release() once every target is stopped and `dir` is dealt
 * with; until then the reaper is one small `sh` that does not keep this process alive.
 */
export class ProcessGuard {
  private readonly targets = new Set<number>();
  private readonly reaper: ChildProcess | null;
  private releasing: Promise<void> | undefined;

  /** `label` only names the reaper in `ps` (next to `dir`). */
  constructor(
    label: string,
    private readonly dir: string | null,
  ) {
    installExitHook();
    live.add(this);
    this.reaper = spawnReaper(label, dir);
  }

  /** The reaper's PID (undefined when `sh` could not be started: only the exit hook guards). */
  get reaperPid(): number | undefined {
    return this.reaper?.pid;
  }

  /** Whether nothing is watched (every target stopped and forgotten). */
  get idle(): boolean {
    return this.targets.size === 0;
  }

  /** Kill this process group (the leader's PID) if this process dies before it is stopped. */
  watchGroup(pgid: number): void {
    this.watch(-pgid);
  }

  /** Kill this one process if this process dies before it is stopped. */
  watchProcess(pid: number): void {
    this.watch(pid);
  }

  /** The group is gone (stopped): nothing to kill for it any more. */
  forgetGroup(pgid: number): void {
    this.forget(-pgid);
  }

  /** The process has exited: nothing to kill for it, and its PID may be reused. */
  forgetProcess(pid: number): void {
    this.forget(pid);
  }

  /**
   * Everything is stopped and cleaned up: dismisses the reaper (without killing anything) and
   * waits until it is gone. Safe to call twice.
   */
  release(): Promise<void> {
    this.releasing ??= this.dismiss();
    return this.releasing;
  }

  /** For the exit hook: kill every target and remove `dir`, synchronously. */
  killNow(): void {
    for (const target of this.targets) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        // already gone
      }
    }
    if (this.dir !== null) {
      try {
        rmSync(this.dir, { recursive: true, force: true });
      } catch {
        // the reaper tries again
      }
    }
  }

  private watch(target: number): void {
    if (this.releasing) throw new Error("ProcessGuard: watch after release");
    this.targets.add(target);
    this.tell(`kill ${target}`);
  }

  private forget(target: number): void {
    if (!this.targets.delete(target)) return;
    this.tell(`forget ${target}`);
  }

  private tell(line: string): void {
    // A pipe write this small goes out at once: no flush to wait for before a crash.
    this.reaper?.stdin?.write(`${line}\n`);
  }

  private async dismiss(): Promise<void> {
    live.delete(this);
    const reaper = this.reaper;
    // Not yet reaped (no exit code), so its PID is still its own.
    if (!reaper || reaper.pid === undefined || reaper.exitCode !== null || reaper.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => reaper.once("exit", () => resolve()));
    // Held while we wait, so that a script whose last step is `await stop()` does not exit
    // with the wait unsettled. Killed, not told: ending its pipe would make it reap.
    reaper.ref();
    reaper.kill("SIGKILL");
    await exited;
  }
}

function spawnReaper(label: string, dir: string | null): ChildProcess | null {
  let reaper: ChildProcess;
  try {
    reaper = spawn("/bin/sh", ["-c", REAPER_SCRIPT, REAPER_NAME, dir ?? "", label], {
      // setsid(): its own session and process group, apart from ours and the server's.
      detached: true,
      // Holds no directory (nor a mount) busy.
      cwd: "/",
      stdio: ["pipe", "ignore", "ignore"],
    });
  } catch {
    return null;
  }
  // No `sh` (spawn error) or a reaper killed by someone else (EPIPE): the exit hook remains.
  reaper.on("error", () => undefined);
  reaper.stdin?.on("error", () => undefined);
  // Neither the process nor its pipe keeps this process's event loop alive.
  reaper.unref();
  (reaper.stdin as Socket | null)?.unref();
  return reaper;
}

export interface GroupMember {
  pid: number;
  comm: string;
}

/** Live processes in a process group, from /proc: Dovecot's children stay in the master's group. */
export function groupMembers(pgid: number): GroupMember[] {
  const members: GroupMember[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "latin1");
      // The command name may contain spaces and parentheses: fields start after the last ")".
      const close = stat.lastIndexOf(")");
      const fields = stat.slice(close + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z")
        members.push({ pid: Number(entry), comm: stat.slice(stat.indexOf("(") + 1, close) });
    } catch {
      // exited while we were looking
    }
  }
  return members;
}

export function killPid(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // already gone
  }
}
