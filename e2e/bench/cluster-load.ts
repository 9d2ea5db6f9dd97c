// The idle-session load over several gateways sharing Redis, and the time to resume the
// sessions of a killed gateway on the other one. Its own entry, so `npm run bench` stays as it is:
//   npx tsx e2e/bench/cluster-load.ts [--sessions=5000] [--gateways=2] [--concurrency=50] [--out=bench/results/cluster.json]
import { mkdir, writeFile } from "node:fs/promises";
import { execFile } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import WebSocket from "ws";
import type { AppRouter } from "@pismo/protocol/router";
import { gatewayEnv, startMailServer, startRedis } from "@pismo/mail-harness";
import { startGatewayProcess, type GatewayProcess } from "../fixtures/gateway-process";
import { processMemoryKB } from "./machine";
import { repoRoot } from "./options";

const run = promisify(execFile);
const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const sessions = Number(arg("sessions", "5000"));
const gatewayCount = Number(arg("gateways", "2"));
const concurrency = Number(arg("concurrency", "50"));
const out = path.resolve(repoRoot, arg("out", "bench/results/cluster.json"));
const log = (line: string) => process.stderr.write(`${line}\n`);
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pool<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i] as T, i);
      }
    }),
  );
}

async function steadyRss(pid: number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    readings.push(processMemoryKB(pid).rss);
    await settle(300);
  }
  return readings.sort((a, b) => a - b)[2] as number;
}

function pidOf(g: GatewayProcess): number {
  if (g.child.pid === undefined) throw new Error("no pid");
  return g.child.pid;
}

async function main(): Promise<void> {
  const mail = await startMailServer({ capacity: { connections: sessions + 200 } });
  const redis = await startRedis();
  const gateways: GatewayProcess[] = [];
  const redisCli = async (...args: string[]) =>
    (await run("redis-cli", ["-p", String(redis.port), ...args])).stdout;
  const redisUsed = async () =>
    Number(/used_memory:(\d+)/.exec(await redisCli("INFO", "memory"))?.[1] ?? NaN);
  try {
    for (let i = 0; i < gatewayCount; i++)
      gateways.push(
        await startGatewayProcess({
          ...gatewayEnv(mail),
          PISMO_REDIS_URL: redis.url,
          PISMO_SECRET: "bench-cluster-secret-0123456789abcdefghij",
          PISMO_GATEWAY_ID: `gw${i + 1}`,
          PISMO_LOG_LEVEL: "warn",
        }),
      );
    const user = { email: "idle@pismo.test", password: "bench-idle-pw" };
    await mail.addUser({ name: user.email, password: user.password });
    await mail.seed(user.email, { count: 0, folders: { INBOX: 20 }, user: user.email });

    const rssBefore = await Promise.all(gateways.map((g) => steadyRss(pidOf(g))));
    const redisBefore = await redisUsed();
    const cookies: string[][] = gateways.map(() => []);
    let failed = 0;
    const started = performance.now();
    await pool(
      Array.from({ length: sessions }, (_, i) => i),
      concurrency,
      async (i) => {
        const g = gateways[i % gatewayCount] as GatewayProcess;
        const res = await fetch(`${g.url}/api/session`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Origin: g.url },
          body: JSON.stringify({ protocol: "imap", ...user }),
        }).catch(() => null);
        const cookie = res?.headers.getSetCookie()[0]?.split(";")[0];
        if (res?.ok && cookie) cookies[i % gatewayCount]?.push(cookie);
        else if (failed++ < 3) log(`  sign-in failed: ${res?.status ?? "no answer"} ${await res?.text()}`);
        if ((i + 1) % 500 === 0) log(`  ${i + 1}/${sessions} sessions`);
      },
    );
    const establishMs = performance.now() - started;
    await settle(8_000); // let Dovecot hibernate the IDLE connections
    const rssAfter = await Promise.all(gateways.map((g) => steadyRss(pidOf(g))));
    const redisAfter = await redisUsed();
    const held = cookies.map((c) => c.length);
    const kbPerSession = gateways.map((_, i) => ((rssAfter[i] ?? 0) - (rssBefore[i] ?? 0)) / (held[i] || 1));
    const redisBytesPerSession = (redisAfter - redisBefore) / held.reduce((a, b) => a + b, 0);
    log(
      `  ${held.join(" + ")} sessions in ${(establishMs / 1000).toFixed(1)} s; KB per session ${kbPerSession.map((k) => k.toFixed(1)).join(", ")}; Redis ${redisBytesPerSession.toFixed(0)} B per session`,
    );

    // Kill the first gateway; its sessions' pages reconnect to the other one, which rebuilds
    // each session from Redis and reopens IMAP (a folder list needs the connection).
    const victim = gateways[0] as GatewayProcess;
    const survivor = gateways[1] as GatewayProcess;
    await victim.kill();
    const orphans = cookies[0] ?? [];
    let resumed = 0;
    const resumeMs: number[] = [];
    const t0 = performance.now();
    await pool(orphans, concurrency, async (cookie) => {
      const t = performance.now();
      const ws = createWSClient({
        url: `${survivor.url.replace("http", "ws")}/trpc`,
        WebSocket: class extends WebSocket {
          constructor(url: string) {
            super(url, { headers: { Cookie: cookie, Origin: survivor.url } });
          }
        } as unknown as typeof globalThis.WebSocket,
      });
      const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
      try {
        const account = await client.session.current.query();
        if (account) {
          await client.imap.folders.query();
          resumed++;
          resumeMs.push(performance.now() - t);
        }
      } catch (error) {
        if (resumed === 0) log(`  resume failed: ${String(error)}`);
      } finally {
        await ws.close();
      }
    });
    const resumeAllMs = performance.now() - t0;
    const sorted = [...resumeMs].sort((a, b) => a - b);
    const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
    log(
      `  killed gw1: ${resumed}/${orphans.length} sessions resumed on gw2 in ${(resumeAllMs / 1000).toFixed(1)} s (p50 ${p(0.5).toFixed(0)} ms, p95 ${p(0.95).toFixed(0)} ms each, concurrency ${concurrency})`,
    );
    const survivorRss = await steadyRss(pidOf(survivor));
    const result = {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, memGB: Math.round(os.totalmem() / 1024 ** 3), load: os.loadavg() },
      sessions,
      gateways: gatewayCount,
      concurrency,
      established: held,
      failed,
      establishMs,
      rssBeforeKB: rssBefore,
      rssAfterKB: rssAfter,
      kbPerSession,
      redisBytesBefore: redisBefore,
      redisBytesAfter: redisAfter,
      redisBytesPerSession,
      resume: { orphans: orphans.length, resumed, allMs: resumeAllMs, p50Ms: p(0.5), p95Ms: p(0.95) },
      survivorRssKB: survivorRss,
    };
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    for (const g of gateways) await g.stop().catch(() => undefined);
    await redis.stop();
    await mail.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `cluster bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
