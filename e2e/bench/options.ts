import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** What one bench run measures, and how often. Every field has an env var and a CLI flag. */
export interface BenchOptions {
  /** INBOX sizes to seed and sign in to (BENCH_SIZES / --sizes=10000,100000). */
  sizes: number[];
  /** Samples per timed action: sign-in, open, next, folder switch (BENCH_SAMPLES / --samples). */
  samples: number;
  /** Samples of push latency: new mail and cross-device read state (BENCH_LIVE_SAMPLES / --live-samples). */
  liveSamples: number;
  /** Signed-in idle sessions held for the load figures (BENCH_IDLE_SESSIONS / --idle-sessions). */
  idleSessions: number;
  /** Messages pulled over POP3 (BENCH_POP3_MESSAGES / --pop3-messages); 0 skips POP3. */
  pop3Messages: number;
  /** Average size of a POP3 message in bytes (BENCH_POP3_BYTES / --pop3-bytes). */
  pop3MessageBytes: number;
  /** Concurrency of the idle-session sign-ins (BENCH_CONCURRENCY / --concurrency). */
  concurrency: number;
  /** Where results go (BENCH_OUT / --out); relative to the repository. */
  outDir: string;
  /** File name stem: <name>.json and <name>.md (BENCH_NAME / --name). */
  name: string;
  /** Progress lines on stderr (BENCH_QUIET=1 / --quiet turns them off). */
  quiet: boolean;
  /** One unmeasured cold sign-in first (BENCH_WARMUP=0 / --warmup=0 skips it). */
  warmup: boolean;
  /** Network stillness that ends a sample, ms (BENCH_SETTLE_MS / --settle-ms). */
  settleMs: number;
  /** Debian's Roundcube measured in the same run, same mailbox and probes (BENCH_WITH_ROUNDCUBE=1 /
   * --with-roundcube; scripts/bench.sh installs it). Without it the report shows figures recorded earlier. */
  withRoundcube: boolean;
}

export const defaultOptions: BenchOptions = {
  sizes: [10_000, 100_000],
  samples: 15,
  liveSamples: 25,
  idleSessions: 1000,
  pop3Messages: 1000,
  pop3MessageBytes: 50_000,
  concurrency: 50,
  outDir: "bench/results",
  name: "latest",
  quiet: false,
  warmup: true,
  settleMs: 300,
  withRoundcube: false,
};

/** A tiny run for the smoke test: every figure, a few samples, well under a minute. */
export const smokeOptions: Partial<BenchOptions> = {
  sizes: [200],
  samples: 3,
  liveSamples: 3,
  idleSessions: 20,
  pop3Messages: 20,
  pop3MessageBytes: 20_000,
  concurrency: 10,
  quiet: true,
  warmup: false,
  settleMs: 120,
};

const keys: Record<keyof BenchOptions, { env: string; flag: string }> = {
  sizes: { env: "BENCH_SIZES", flag: "sizes" },
  samples: { env: "BENCH_SAMPLES", flag: "samples" },
  liveSamples: { env: "BENCH_LIVE_SAMPLES", flag: "live-samples" },
  idleSessions: { env: "BENCH_IDLE_SESSIONS", flag: "idle-sessions" },
  pop3Messages: { env: "BENCH_POP3_MESSAGES", flag: "pop3-messages" },
  pop3MessageBytes: { env: "BENCH_POP3_BYTES", flag: "pop3-bytes" },
  concurrency: { env: "BENCH_CONCURRENCY", flag: "concurrency" },
  outDir: { env: "BENCH_OUT", flag: "out" },
  name: { env: "BENCH_NAME", flag: "name" },
  quiet: { env: "BENCH_QUIET", flag: "quiet" },
  warmup: { env: "BENCH_WARMUP", flag: "warmup" },
  settleMs: { env: "BENCH_SETTLE_MS", flag: "settle-ms" },
  withRoundcube: { env: "BENCH_WITH_ROUNDCUBE", flag: "with-roundcube" },
};

function positiveInt(name: string, raw: string, min = 1): number {
  const n = Number(raw.replace(/_/g, ""));
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name}: expected an integer >= ${min}, got "${raw}"`);
  return n;
}

/** Options from (in rising priority) the defaults, the environment and the command line. */
export function readOptions(
  env: NodeJS.ProcessEnv = process.env,
  argv: string[] = process.argv.slice(2),
): BenchOptions {
  const raw = new Map<keyof BenchOptions, string>();
  for (const [key, { env: name }] of Object.entries(keys) as Array<[keyof BenchOptions, { env: string }]>) {
    const value = env[name];
    if (value !== undefined && value !== "") raw.set(key, value);
  }
  const byFlag = new Map(Object.entries(keys).map(([k, v]) => [v.flag, k as keyof BenchOptions]));
  for (const arg of argv) {
    if (arg === "--smoke") {
      for (const [k, v] of Object.entries(smokeOptions))
        raw.set(k as keyof BenchOptions, Array.isArray(v) ? v.join(",") : String(v));
      continue;
    }
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    const key = match?.[1] ? byFlag.get(match[1]) : undefined;
    if (!match || !key)
      throw new Error(
        `unknown argument ${arg}; flags: --smoke ${[...byFlag.keys()].map((f) => `--${f}=`).join(" ")}`,
      );
    raw.set(key, match[2] ?? "1");
  }
  const o: BenchOptions = { ...defaultOptions };
  for (const [key, value] of raw) {
    switch (key) {
      case "sizes":
        o.sizes = value
          .split(/[\s,;]+/)
          .filter(Boolean)
          .map((s) => positiveInt("sizes", s));
        break;
      case "outDir":
        o.outDir = value;
        break;
      case "name":
        if (!/^[\w.-]+$/.test(value)) throw new Error(`name: letters, digits, . _ - only, got "${value}"`);
        o.name = value;
        break;
      case "quiet":
        o.quiet = value !== "0" && value !== "false";
        break;
      case "warmup":
        o.warmup = value !== "0" && value !== "false";
        break;
      case "withRoundcube":
        o.withRoundcube = value !== "0" && value !== "false";
        break;
      case "pop3Messages":
        o.pop3Messages = positiveInt(key, value, 0);
        break;
      default:
        o[key] = positiveInt(key, value);
    }
  }
  if (o.sizes.length === 0) throw new Error("sizes: at least one INBOX size");
  return o;
}
