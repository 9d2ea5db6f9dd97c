import { readdirSync, readFileSync, rmSync } from "node:fs";

/**
 * The process groups this test process started (Dovecot's master and its children, Postfix's
 * master), killed synchronously with their directories if the process exits without stop().
 */
const live = new Map<number, { dir: string; keep: boolean }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const [pgid, { dir, keep }] of live) {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        // already gone
      }
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** Kills the group (and removes `dir` unless `keep`) if this process exits before untrack. */
export function trackGroup(pgid: number, dir: string, keep: boolean): void {
  installExitHook();
  live.set(pgid, { dir, keep });
}

export function untrackGroup(pgid: number): void {
  live.delete(pgid);
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
