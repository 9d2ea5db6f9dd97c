import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface MachineInfo {
  date: string;
  hostname: string;
  os: string;
  kernel: string;
  cpuModel: string;
  nproc: number;
  memoryMB: number;
  node: string;
  chromium: string;
  playwright: string;
  dovecot: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews times. */
  loadAverageStart: number;
  loadAverageEnd: number;
}

async function firstLine(cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(cmd, args, { timeout: 10_000 });
    return (stdout || stderr).trim().split("\n")[0] ?? "unknown";
  } catch {
    return "unknown";
  }
}

function osName(): string {
  try {
    const release = readFileSync("/etc/os-release", "utf8");
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release)?.[1] ?? os.type();
  } catch {
    return os.type();
  }
}

export async function machineInfo(
  browserVersion: string,
  playwrightVersion: string,
  loadAverageStart: number,
): Promise<MachineInfo> {
  return {
    date: new Date().toISOString(),
    hostname: os.hostname(),
    os: osName(),
    kernel: os.release(),
    cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
    nproc: Number(await firstLine("nproc", [])) || os.availableParallelism(),
    memoryMB: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    chromium: browserVersion,
    playwright: playwrightVersion,
    dovecot: await firstLine("dovecot", ["--version"]),
    loadAverageStart,
    loadAverageEnd: Math.round((os.loadavg()[0] ?? Number.NaN) * 100) / 100,
  };
}

/** Resident set size of one process, in KB (VmRSS), and its peak (VmHWM). */
export function processMemoryKB(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: field("VmRSS"), hwm: field("VmHWM") };
}
