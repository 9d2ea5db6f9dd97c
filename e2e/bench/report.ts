import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { ResponseRecord } from "./byte-meter";
import type { ImapCount } from "./imap-count";
import type { LoadResult } from "./load-figures";
import type { MachineInfo } from "./machine";
import type { BenchOptions } from "./options";
import { repoRoot } from "./options";
import type { Pop3NotMeasured, Pop3Result } from "./pop3-figures";
import type { RoundcubeResults } from "./roundcube/measure";
import { round, summarize, type Summary } from "./stats";

/** One timed action: its times and what it moved over the wire. */
export interface TimedFigure {
  label: string;
  /** Action to change painted on screen, ms. */
  ms: Summary;
  /** Action to the DOM change (before layout and paint), ms. */
  domMs: Summary;
  bytesDown: Summary;
  bytesUp: Summary;
  samples: number[];
  extra?: Record<string, Summary>;
}

export interface AssetTotals {
  files: number;
  /** As this browser got them over the wire (headers + body, encoded as served). */
  wireBytes: number;
  /** Uncompressed. */
  rawBytes: number;
  /** The precompressed siblings the gateway serves (same files). */
  brBytes: number;
  gzBytes: number;
  encodings: string[];
}

export interface WebSocketShare {
  path: string;
  frames: number;
  bytes: number;
}

export interface FirstLoad {
  js: AssetTotals;
  css: AssetTotals;
  /** Everything a cold sign-in moved until 50 rows were painted (median of the samples). */
  coldSignInDown: number;
  coldSignInUp: number;
  /** The cold sign-in's WebSocket bytes down, by tRPC procedure (the first sample). */
  webSocket?: WebSocketShare[];
  requests: Array<{
    url: string;
    type: string;
    wireBytes: number;
    decodedBytes: number;
    encoding: string | null;
    fromCache?: boolean;
    dataEncodedBytes?: number;
  }>;
}

export interface Target {
  id: string;
  what: string;
  roundcube: string;
  aim: string;
  pismo: string;
  /** The number compared with the aim, in `unit`. */
  value: number;
  limit: number;
  unit: string;
  met: boolean;
  note: string;
}

export interface BenchResults {
  schema: 1;
  machine: MachineInfo;
  options: BenchOptions;
  durationS: number;
  figures: Record<string, TimedFigure>;
  firstLoad: FirstLoad;
  imap: Record<string, ImapCount>;
  load: Omit<LoadResult, "signInMs" | "folder" | "open"> & {
    signInMs: Summary;
    folder: TimedFigure;
    open: TimedFigure;
  };
  /** Pushed changes that never showed within 10 s (each one listed with what both sides showed). */
  lost: { newMail: string[]; readState: string[] };
  pop3: (Omit<Pop3Result, "progress"> & { progress: Pop3Result["progress"] }) | Pop3NotMeasured;
  /** Roundcube measured in this run (--with-roundcube), or why not. */
  roundcube: RoundcubeResults;
  targets: Target[];
}

export function timedFigure(
  label: string,
  samples: Array<{ ms: number; domMs: number; bytes: { down: number; up: number } }>,
  extra?: Record<string, number[]>,
): TimedFigure {
  return {
    label,
    ms: summarize(samples.map((s) => s.ms)),
    domMs: summarize(samples.map((s) => s.domMs)),
    bytesDown: summarize(samples.map((s) => s.bytes.down)),
    bytesUp: summarize(samples.map((s) => s.bytes.up)),
    samples: samples.map((s) => round(s.ms)),
    ...(extra ? { extra: Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, summarize(v)])) } : {}),
  };
}

/** The static files a cold load fetched, with the sizes of their precompressed siblings on disk. */
export function assetTotals(
  records: ResponseRecord[],
  type: "Script" | "Stylesheet",
  staticDir = path.join(repoRoot, "apps/web/out"),
): AssetTotals {
  const out: AssetTotals = { files: 0, wireBytes: 0, rawBytes: 0, brBytes: 0, gzBytes: 0, encodings: [] };
  const out_dir = staticDir;
  const size = (f: string) => (existsSync(f) ? statSync(f).size : Number.NaN);
  for (const r of records.filter((x) => x.type === type)) {
    out.files += 1;
    out.wireBytes += r.wireBytes;
    const file = path.join(out_dir, decodeURIComponent(new URL(r.url).pathname));
    out.rawBytes += existsSync(file) ? size(file) : r.decodedBytes;
    // A file too small to be worth compressing (scripts/precompress.mjs) is served as it is.
    const packed = (suffix: string) =>
      existsSync(`${file}${suffix}`) ? size(`${file}${suffix}`) : size(file);
    out.brBytes += packed(".br");
    out.gzBytes += packed(".gz");
    const enc = r.contentEncoding ?? "identity";
    if (!out.encodings.includes(enc)) out.encodings.push(enc);
  }
  return out;
}
/** The progress bar as sampled, thinned to about one sample a second (plus the first and last) for the JSON. */
export function thinProgress<T extends { t: number }>(samples: T[], everyMs = 1_000): T[] {
  const out: T[] = [];
  for (const [i, s] of samples.entries()) {
    const last = out[out.length - 1];
    if (i === 0 || i === samples.length - 1 || !last || s.t - last.t >= everyMs) out.push(s);
  }
  return out;
}

/** Every number in the results that must be finite (the smoke test checks them all). */
export function requiredNumbers(r: BenchResults): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  const walk = (prefix: string, v: unknown) => {
    if (typeof v === "number") out.push([prefix, v]);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(`${prefix}[${i}]`, x));
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
  };
  walk("figures", r.figures);
  walk("firstLoad", r.firstLoad);
  walk("imap", r.imap);
  walk("load", r.load);
  if (r.pop3.measured) walk("pop3", r.pop3);
  if (r.roundcube.measured) walk("roundcube", r.roundcube);
  walk(
    "targets",
    r.targets.map((t) => ({ value: t.value, limit: t.limit })),
  );
  return out;
}
