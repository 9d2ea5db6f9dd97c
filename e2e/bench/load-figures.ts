import http from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import type { Browser } from "@playwright/test";
import { ByteMeter } from "./byte-meter";
import type { GatewayProcess } from "../fixtures/gateway-process";
import { measureFolderSwitch, measureReading, type TimedSample } from "./imap-figures";
import { processMemoryKB } from "./machine";
import type { Account } from "./ui";

type Log = (line: string) => void;

export interface LoadResult {
  sessions: number;
  concurrency: number;
  /** Wall time to sign in all of them. */
  establishMs: number;
  /** Each sign-in's own time (HTTP POST /api/session: IMAP connect, login, select). */
  signInMs: number[];
  failed: number;
  rssBeforeKB: number;
  rssAfterKB: number;
  kbPerSession: number;
  /** Mail server side, for scale: Dovecot's imap processes while the sessions were held. */
  dovecotImapProcesses: number;
  dovecotImapRssKB: number;
  folder: TimedSample[];
  open: TimedSample[];
  signOutMs: number;
}

function post(
  url: URL,
  method: "POST" | "DELETE",
  body: string | null,
  headers: Record<string, string>,
  agent: http.Agent,
): Promise<{ status: number; cookie: string | null; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: {
          ...headers,
          ...(body
            ? { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) }
            : {}),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => {
          const set = res.headers["set-cookie"]?.[0] ?? null;
          resolve({
            status: res.statusCode ?? 0,
            cookie: set ? (set.split(";")[0] ?? null) : null,
            body: text,
          });
        });
      },
    );
    req.on("error", reject);
    req.setTimeout(60_000, () => req.destroy(new Error("timeout")));
    req.end(body ?? undefined);
  });
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/** Dovecot's imap (post-login) processes of this instance: children of its master. */
function dovecotImap(dir: string): { count: number; rssKB: number } {
  const procs: Array<{ pid: number; ppid: number; comm: string; cmdline: string }> = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "latin1");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      const cmdline = comm === "dovecot" ? readFileSync(`/proc/${entry}/cmdline`, "latin1") : "";
      procs.push({ pid: Number(entry), ppid, comm, cmdline });
    } catch {
      // exited while we looked
    }
  }
  const master = procs.find((p) => p.comm === "dovecot" && p.cmdline.includes(dir));
  let count = 0;
  let rssKB = 0;
  for (const p of procs) {
    if (!master || p.ppid !== master.pid || p.comm !== "imap") continue;
    try {
      rssKB += processMemoryKB(p.pid).rss;
      count++;
    } catch {
      // gone
    }
  }
  return { count, rssKB };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Median of a few RSS readings a short while apart (the heap breathes). */
async function steadyRss(pid: number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    readings.push(processMemoryKB(pid).rss);
    await settle(ByteMeter.settleMs / 2);
  }
  readings.sort((a, b) => a - b);
  return readings[2] as number;
}

/**
 * The gateway under load: N signed-in idle sessions, each holding its IMAP connection (IDLE),
 * established over HTTP like a browser's sign-in, then a browser opening folders and messages
 * while they are held.
 */
export async function measureLoad(
  browser: Browser,
  gateway: GatewayProcess,
  mailDir: string,
  idle: Account,
  reader: Account,
  opts: { sessions: number; concurrency: number; samples: number },
  log: Log,
): Promise<LoadResult> {
  const pid = gateway.child.pid;
  if (pid === undefined) throw new Error("gateway has no pid");
  const base = new URL(gateway.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const headers = { Origin: base.origin };
  const cookies: string[] = [];
  const signInMs: number[] = [];
  let failed = 0;
  try {
    const rssBeforeKB = await steadyRss(pid);
    const started = performance.now();
    const body = JSON.stringify({ protocol: "imap", email: idle.email, password: idle.password });
    let done = 0;
    await pool(
      Array.from({ length: opts.sessions }, (_, i) => i),
      opts.concurrency,
      async () => {
        const t0 = performance.now();
        const res = await post(new URL("/api/session", base), "POST", body, headers, agent).catch(
          (e: unknown) => ({ status: 0, cookie: null, body: String(e) }),
        );
        signInMs.push(performance.now() - t0);
        if (res.status === 200 && res.cookie) cookies.push(res.cookie);
        else if (failed++ < 3) log(`  idle sign-in failed: ${res.status} ${res.body.slice(0, 200)}`);
        if (++done % 250 === 0) log(`  ${done}/${opts.sessions} idle sessions`);
      },
    );
    const establishMs = performance.now() - started;
    if (failed > 0) log(`  ${failed} idle sign-ins failed`);
    await settle(3 * ByteMeter.settleMs);
    const rssAfterKB = await steadyRss(pid);
    const held = cookies.length;
    const kbPerSession = held > 0 ? (rssAfterKB - rssBeforeKB) / held : Number.NaN;
    const dovecot = dovecotImap(mailDir);
    log(
      `  ${held} idle sessions in ${(establishMs / 1000).toFixed(1)} s; gateway RSS ${Math.round(rssBeforeKB / 1024)} -> ${Math.round(rssAfterKB / 1024)} MB (${kbPerSession.toFixed(1)} KB per session); Dovecot: ${dovecot.count} imap processes, ${Math.round(dovecot.rssKB / 1024)} MB`,
    );

    const reading = await measureReading(browser, gateway.url, reader, opts.samples, () => undefined, {
      next: false,
    });
    const folders = await measureFolderSwitch(browser, gateway.url, reader, opts.samples, () => undefined);
    log(
      `  while held: open ${reading.open.map((s) => s.ms.toFixed(0)).join(", ")} ms; folder ${folders.cold.map((s) => s.ms.toFixed(0)).join(", ")} ms`,
    );

    const t1 = performance.now();
    await pool(cookies, opts.concurrency, async (cookie) => {
      await post(new URL("/api/session", base), "DELETE", null, { ...headers, Cookie: cookie }, agent).catch(
        () => undefined,
      );
    });
    const signOutMs = performance.now() - t1;
    cookies.length = 0;
    return {
      sessions: held,
      concurrency: opts.concurrency,
      establishMs,
      signInMs,
      failed,
      rssBeforeKB,
      rssAfterKB,
      kbPerSession,
      dovecotImapProcesses: dovecot.count,
      dovecotImapRssKB: dovecot.rssKB,
      folder: folders.cold,
      open: reading.open,
      signOutMs,
    };
  } finally {
    // Whatever happened, do not leave a thousand IMAP connections behind.
    await pool(cookies, opts.concurrency, async (cookie) => {
      await post(new URL("/api/session", base), "DELETE", null, { ...headers, Cookie: cookie }, agent).catch(
        () => undefined,
      );
    });
    agent.destroy();
  }
}
