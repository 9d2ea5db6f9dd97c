import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { ResponseRecord } from "./byte-meter";
import type { ImapCount } from "./imap-figures";
import type { LoadResult } from "./load-figures";
import type { MachineInfo } from "./machine";
import type { BenchOptions } from "./options";
import { repoRoot } from "./options";
import type { Pop3NotMeasured, Pop3Result } from "./pop3-figures";
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

export interface FirstLoad {
  js: AssetTotals;
  css: AssetTotals;
  /** Everything a cold sign-in moved until 50 rows were painted (median of the samples). */
  coldSignInDown: number;
  coldSignInUp: number;
  requests: Array<{
    url: string;
    type: string;
    wireBytes: number;
    decodedBytes: number;
    encoding: string | null;
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
    out.brBytes += size(`${file}.br`);
    out.gzBytes += size(`${file}.gz`);
    const enc = r.contentEncoding ?? "identity";
    if (!out.encodings.includes(enc)) out.encodings.push(enc);
  }
  return out;
}

const kB = (b: number) => `${(b / 1000).toFixed(1)} kB`;
const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 100 ? 1 : 0)} ms`);

/** The issue's targets, each compared with what was measured, with the evidence beside it. */
export function computeTargets(r: Omit<BenchResults, "targets">): Target[] {
  const sizes = r.options.sizes;
  const s0 = sizes[0] as number;
  const f = (id: string) => r.figures[id];
  const targets: Target[] = [];
  const signIn = f(`signin.${s0}`);
  const imap0 = r.imap[String(s0)];
  if (signIn) {
    const extra = signIn.extra ?? {};
    targets.push({
      id: "signin",
      what: `Sign-in to the first rows, cold (${s0.toLocaleString("en")}-message INBOX), median`,
      roundcube: "1.17 s",
      aim: "< 1/3 of Roundcube: 390 ms",
      pismo: ms(signIn.ms.median),
      value: signIn.ms.median,
      limit: 390,
      unit: "ms",
      met: signIn.ms.median < 390,
      note: `form on screen at ${ms(extra.formMs?.median ?? Number.NaN)} (${r.firstLoad.js.files} JS files, ${kB(r.firstLoad.js.wireBytes)} on the wire, ${kB(r.firstLoad.js.rawBytes)} to parse); automation typing ${ms(extra.typingMs?.median ?? Number.NaN)}; submit to 50 rows painted ${ms(extra.submitToRowsMs?.median ?? Number.NaN)}; without the typing ${ms(extra.netMs?.median ?? Number.NaN)}`,
    });
  }
  const open = f(`open.${s0}`);
  if (open)
    targets.push({
      id: "open",
      what: "Opening a message until its body is on screen, median",
      roundcube: "0.25 s",
      aim: "< 1/5 of Roundcube: 50 ms",
      pismo: ms(open.ms.median),
      value: open.ms.median,
      limit: 50,
      unit: "ms",
      met: open.ms.median < 50,
      note: `DOM ready at ${ms(open.domMs.median)} (p95 ${ms(open.ms.p95)}); ${kB(open.bytesDown.median)} down per open (the message, the read flag, the two neighbours fetched ahead)`,
    });
  const next = f(`next.${s0}`);
  if (next)
    targets.push({
      id: "next",
      what: "Next message with the keyboard (fetched ahead), median",
      roundcube: "0.22 s",
      aim: "within one frame: 16 ms",
      pismo: ms(next.ms.median),
      value: next.ms.median,
      limit: 16,
      unit: "ms",
      met: next.ms.median <= 16,
      note: `key to DOM ready ${ms(next.domMs.median)}, to painted ${ms(next.ms.median)} (p95 ${ms(next.ms.p95)}); ${kB(next.bytesDown.median)} down after the key (the read flag, the next neighbour fetched ahead)`,
    });
  const folder = f(`folder.${s0}`);
  if (folder)
    targets.push({
      id: "folder",
      what: "Switching folders (first visit in the page), median",
      roundcube: "0.15 s",
      aim: "(no aim in the issue; Roundcube's figure)",
      pismo: ms(folder.ms.median),
      value: folder.ms.median,
      limit: 150,
      unit: "ms",
      met: folder.ms.median < 150,
      note: `p95 ${ms(folder.ms.p95)}; back to a cached folder ${ms(f(`folderWarm.${s0}`)?.ms.median ?? Number.NaN)}; ${kB(folder.bytesDown.median)} down per switch`,
    });
  const largest = Math.max(...sizes);
  const convoPlain = f(`convoPlain.${largest}`);
  const convoList = f(`convoList.${largest}`);
  if (convoPlain && convoList) {
    const ratio = convoList.ms.median / convoPlain.ms.median;
    targets.push({
      id: "conversations",
      what: `Conversation view of the ${largest.toLocaleString("en")}-message INBOX: 50 rows painted, against the plain list, median`,
      roundcube: "(threads: not measured)",
      aim: "within 10 % of the plain list",
      pismo: `${ms(convoList.ms.median)} (plain ${ms(convoPlain.ms.median)}, ${((ratio - 1) * 100).toFixed(0)} %)`,
      value: ratio,
      limit: 1.1,
      unit: "ratio",
      met: ratio <= 1.1,
      note: `${kB(convoList.bytesDown.median)} down (plain ${kB(convoPlain.bytesDown.median)}); opening a conversation of 20: ${ms(f("convoOpen")?.ms.median ?? Number.NaN)}`,
    });
  }
  const live = f("newMail");
  const lostMail = r.lost.newMail.length;
  const lostRead = r.lost.readState.length;
  if (live)
    targets.push({
      id: "newMail",
      what: "New mail delivered by another client until its row is on screen, p95",
      roundcube: "0 to 60 s (polling)",
      aim: "p95 < 1 s (Dovecot's floor 0.5 s)",
      pismo: `${ms(live.ms.p95)}${lostMail ? `, ${lostMail} lost` : ""}`,
      value: live.ms.p95,
      limit: 1000,
      unit: "ms",
      met: live.ms.p95 < 1000 && lostMail === 0,
      note: `${lostMail ? `${lostMail} of ${lostMail + live.ms.n} never showed within 10 s; ` : ""}median ${ms(live.ms.median)}, min ${ms(live.ms.min)}; Dovecot holds IDLE notifications 0.5 s; ${kB(live.bytesDown.median)} down per new message`,
    });
  const read = f("readState");
  if (read)
    targets.push({
      id: "readState",
      what: "Read in browser A until shown read in browser B, p95",
      roundcube: "0 to 60 s (polling)",
      aim: "p95 < 1 s",
      pismo: `${ms(read.ms.p95)}${lostRead ? `, ${lostRead} lost` : ""}`,
      value: read.ms.p95,
      limit: 1000,
      unit: "ms",
      met: read.ms.p95 < 1000 && lostRead === 0,
      note: `${lostRead ? `${lostRead} of ${lostRead + read.ms.n} never showed within 10 s (${r.lost.readState.join("; ")}); ` : ""}median ${ms(read.ms.median)}; includes A opening the message before it marks it read; ${kB(read.bytesDown.median)} down in B`,
    });
  targets.push({
    id: "coldBytes",
    what: "Bytes on the wire for a cold sign-in to rows (down)",
    roundcube: "504 KB",
    aim: "< 200 kB",
    pismo: kB(r.firstLoad.coldSignInDown),
    value: r.firstLoad.coldSignInDown / 1000,
    limit: 200,
    unit: "kB",
    met: r.firstLoad.coldSignInDown < 200_000,
    note: `JS ${kB(r.firstLoad.js.wireBytes)} on the wire (${r.firstLoad.js.encodings.join("/")}; ${kB(r.firstLoad.js.rawBytes)} uncompressed, ${kB(r.firstLoad.js.brBytes)} as br, ${kB(r.firstLoad.js.gzBytes)} as gzip), CSS ${kB(r.firstLoad.css.wireBytes)} (${kB(r.firstLoad.css.rawBytes)} uncompressed); up ${kB(r.firstLoad.coldSignInUp)}`,
  });
  if (imap0) {
    const main = imap0.perConnection.reduce((a, b) => (b.commands.length > a.commands.length ? b : a), {
      commands: [] as string[],
    });
    targets.push({
      id: "imapCommands",
      what: "IMAP commands for a sign-in to the inbox, most on one connection",
      roundcube: "4 connections, 29 commands incl. UID SEARCH of the whole folder",
      aim: "<= 10 commands on one connection",
      pismo: `${imap0.connections} connections, ${imap0.commands} commands; ${main.commands.length} on the busiest`,
      value: main.commands.length,
      limit: 10,
      unit: "commands",
      met: main.commands.length <= 10,
      note: `busiest connection: ${main.commands
        .map((c) =>
          c
            .split(" ")
            .slice(1, 3)
            .join(" ")
            .replace(/ \(.*$/, ""),
        )
        .join(
          ", ",
        )}; ${imap0.connections - imap0.loggedInConnections} connection(s) never logged in (the sign-in page's server check)`,
    });
    targets.push({
      id: "imapProportional",
      what: "IMAP commands proportional to the folder's size",
      roundcube: "UID SEARCH of the whole folder",
      aim: "none",
      pismo: String(imap0.proportional.length),
      value: imap0.proportional.length,
      limit: 0,
      unit: "commands",
      met: imap0.proportional.length === 0,
      note: imap0.proportional.length
        ? imap0.proportional.join("; ")
        : `FETCH of fixed sequence ranges only (${Object.entries(imap0.byName)
            .map(([k, v]) => `${k}×${v}`)
            .join(", ")})`,
    });
  }
  if (sizes.length >= 2) {
    const big = sizes[sizes.length - 1] as number;
    const a = f(`signin.${s0}`);
    const b = f(`signin.${big}`);
    if (a && b) {
      const ratio = b.ms.median / a.ms.median;
      targets.push({
        id: "scale",
        what: `Sign-in, ${big.toLocaleString("en")} vs ${s0.toLocaleString("en")} messages (median ratio)`,
        roundcube: "—",
        aim: "within 10 %: <= 1.10",
        pismo: `${ratio.toFixed(3)} (${ms(b.ms.median)} vs ${ms(a.ms.median)})`,
        value: round(ratio, 3),
        limit: 1.1,
        unit: "ratio",
        met: ratio <= 1.1,
        note: `open ${ms(f(`open.${big}`)?.ms.median ?? Number.NaN)} vs ${ms(f(`open.${s0}`)?.ms.median ?? Number.NaN)}; folder switch ${ms(f(`folder.${big}`)?.ms.median ?? Number.NaN)} vs ${ms(f(`folder.${s0}`)?.ms.median ?? Number.NaN)}; IMAP commands ${r.imap[String(big)]?.commands ?? "?"} vs ${imap0?.commands ?? "?"}`,
      });
    }
  }
  targets.push({
    id: "idleMemory",
    what: `Gateway memory per signed-in idle session (${r.load.sessions} held)`,
    roundcube: "—",
    aim: "< 150 KB",
    pismo: `${r.load.kbPerSession.toFixed(1)} KB`,
    value: round(r.load.kbPerSession),
    limit: 150,
    unit: "KB",
    met: r.load.kbPerSession < 150,
    note: `gateway RSS ${Math.round(r.load.rssBeforeKB / 1024)} MB -> ${Math.round(r.load.rssAfterKB / 1024)} MB; established in ${ms(r.load.establishMs)} at concurrency ${r.load.concurrency}; while held: open p95 ${ms(r.load.open.ms.p95)}, folder p95 ${ms(r.load.folder.ms.p95)}`,
  });
  return targets;
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
  walk(
    "targets",
    r.targets.map((t) => ({ value: t.value, limit: t.limit })),
  );
  return out;
}

function row(cells: Array<string | number>): string {
  return `| ${cells.map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`;
}

export function toMarkdown(r: BenchResults): string {
  const m = r.machine;
  const lines: string[] = [];
  lines.push(`# Pismo benchmark, ${m.date.slice(0, 10)}`, "");
  lines.push(
    "`npm run bench`: the built gateway and web app in real Chromium against a real Dovecot seeded by `@pismo/mail-harness`. Times are from the user's action (navigation start, click, key press, delivery to the server) until the change was painted (a task after the next animation frame). 1 kB = 1000 bytes; bytes are exact (Chrome's network events; WebSocket frames with their headers).",
    "",
  );
  lines.push("| machine | |", "| --- | --- |");
  lines.push(
    row(["date", m.date]),
    row(["CPU", `${m.cpuModel}, ${m.nproc} cores (nproc)`]),
    row(["memory", `${(m.memoryMB / 1024).toFixed(1)} GiB`]),
    row(["OS", `${m.os}, Linux ${m.kernel}`]),
    row(["load average (1 min)", `${m.loadAverageStart} at the start, ${m.loadAverageEnd} at the end`]),
  );
  lines.push(
    row(["Node.js", m.node]),
    row(["Chromium", m.chromium]),
    row(["Playwright", m.playwright]),
    row(["Dovecot", m.dovecot]),
  );
  lines.push(
    row([
      "run",
      `sizes ${r.options.sizes.join(", ")}; ${r.options.samples} samples per action, ${r.options.liveSamples} per push figure; ${r.options.idleSessions} idle sessions; ${r.options.pop3Messages} POP3 messages; took ${Math.round(r.durationS)} s`,
    ]),
    "",
  );

  lines.push("## Targets (from the benchmark issue)", "");
  lines.push(
    row(["figure", "Roundcube 1.6.5", "aim", "Pismo", "met?", "evidence"]),
    row(["---", "---", "---", "---", "---", "---"]),
  );
  for (const t of r.targets)
    lines.push(row([t.what, t.roundcube, t.aim, t.pismo, t.met ? "met" : "**missed**", t.note]));
  lines.push("");

  lines.push("## Timings", "");
  lines.push(
    row(["action", "n", "median", "p95", "min", "max", "DOM ready (median)", "down (median)", "up (median)"]),
    row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]),
  );
  for (const fig of Object.values(r.figures)) {
    lines.push(
      row([
        fig.label,
        fig.ms.n,
        ms(fig.ms.median),
        ms(fig.ms.p95),
        ms(fig.ms.min),
        ms(fig.ms.max),
        ms(fig.domMs.median),
        kB(fig.bytesDown.median),
        kB(fig.bytesUp.median),
      ]),
    );
  }
  for (const fig of [r.load.open, r.load.folder]) {
    lines.push(
      row([
        fig.label,
        fig.ms.n,
        ms(fig.ms.median),
        ms(fig.ms.p95),
        ms(fig.ms.min),
        ms(fig.ms.max),
        ms(fig.domMs.median),
        kB(fig.bytesDown.median),
        kB(fig.bytesUp.median),
      ]),
    );
  }
  for (const [name, lost] of [
    ["new mail", r.lost.newMail],
    ["read state", r.lost.readState],
  ] as const) {
    if (lost.length) lines.push("", `Lost ${name} (not shown within 10 s): ${lost.join("; ")}`);
  }
  lines.push("");
  const signIns = Object.entries(r.figures).filter(([k]) => k.startsWith("signin."));
  if (signIns.length) {
    lines.push("Sign-in, split (medians):", "");
    lines.push(
      row([
        "INBOX",
        "form on screen",
        "typing (automation)",
        "submit to 50 rows painted",
        "total",
        "total without typing",
      ]),
      row(["---", "---:", "---:", "---:", "---:", "---:"]),
    );
    for (const [k, fig] of signIns) {
      const e = fig.extra ?? {};
      lines.push(
        row([
          Number(k.split(".")[1]).toLocaleString("en"),
          ms(e.formMs?.median ?? Number.NaN),
          ms(e.typingMs?.median ?? Number.NaN),
          ms(e.submitToRowsMs?.median ?? Number.NaN),
          ms(fig.ms.median),
          ms(e.netMs?.median ?? Number.NaN),
        ]),
      );
    }
    lines.push("");
  }

  lines.push("## First load (cold sign-in)", "");
  lines.push(
    row(["", "files", "on the wire", "uncompressed", "brotli", "gzip", "served as"]),
    row(["---", "---:", "---:", "---:", "---:", "---:", "---"]),
  );
  for (const [name, a] of [
    ["JavaScript", r.firstLoad.js],
    ["CSS", r.firstLoad.css],
  ] as const)
    lines.push(
      row([
        name,
        a.files,
        kB(a.wireBytes),
        kB(a.rawBytes),
        kB(a.brBytes),
        kB(a.gzBytes),
        a.encodings.join(", "),
      ]),
    );
  lines.push(
    row([
      "everything until 50 rows (HTTP + WebSocket)",
      "",
      kB(r.firstLoad.coldSignInDown),
      "",
      "",
      "",
      `up ${kB(r.firstLoad.coldSignInUp)}`,
    ]),
    "",
  );

  lines.push("## IMAP for one sign-in to the inbox", "");
  lines.push(
    row([
      "INBOX",
      "connections (logged in)",
      "commands",
      "without IDLE",
      "most on one connection",
      "after LOGIN (rawlog)",
      "proportional to folder",
    ]),
    row(["---", "---:", "---:", "---:", "---:", "---:", "---"]),
  );
  for (const [size, c] of Object.entries(r.imap))
    lines.push(
      row([
        Number(size).toLocaleString("en"),
        `${c.connections} (${c.loggedInConnections})`,
        c.commands,
        c.commandsWithoutIdle,
        Math.max(...c.perConnection.map((p) => p.commands.length)),
        c.rawlogCommands,
        c.proportional.length ? c.proportional.join("; ") : "none",
      ]),
    );
  const first = Object.values(r.imap)[0];
  if (first) {
    lines.push("", "Commands, per connection (first size):", "");
    first.perConnection.forEach((p, i) =>
      lines.push(
        `${i + 1}. ${p.commands.map((c) => `\`${c.length > 80 ? `${c.slice(0, 77)}...` : c}\``).join(", ")}`,
      ),
    );
  }
  lines.push("");

  const l = r.load;
  lines.push(`## Gateway under load: ${l.sessions} signed-in idle sessions`, "");
  lines.push(row(["", ""]), row(["---", "---"]));
  lines.push(
    row([
      "established in",
      `${ms(l.establishMs)} (concurrency ${l.concurrency}; one sign-in median ${ms(l.signInMs.median)}, p95 ${ms(l.signInMs.p95)}; ${l.failed} failed)`,
    ]),
  );
  lines.push(
    row([
      "gateway RSS",
      `${Math.round(l.rssBeforeKB / 1024)} MB before, ${Math.round(l.rssAfterKB / 1024)} MB with the sessions: ${l.kbPerSession.toFixed(1)} KB per session`,
    ]),
  );
  lines.push(
    row([
      "Dovecot (for scale)",
      `${l.dovecotImapProcesses} imap processes, ${Math.round(l.dovecotImapRssKB / 1024)} MB RSS`,
    ]),
  );
  lines.push(row(["open a message while held", `median ${ms(l.open.ms.median)}, p95 ${ms(l.open.ms.p95)}`]));
  lines.push(
    row(["switch folders while held", `median ${ms(l.folder.ms.median)}, p95 ${ms(l.folder.ms.p95)}`]),
  );
  lines.push(row(["signing them all out", ms(l.signOutMs)]), "");

  lines.push("## POP3: one pull into the browser", "");
  const p = r.pop3;
  if (!p.measured) lines.push(`Not measured: ${p.reason}.`, "");
  else {
    lines.push(row(["", ""]), row(["---", "---"]));
    lines.push(row(["messages", `${p.messages} (${(p.serverBytes / 1e6).toFixed(1)} MB on the server)`]));
    lines.push(row(["pull time", `${ms(p.pullMs)} (progress shown after ${ms(p.firstProgressMs)})`]));
    lines.push(
      row([
        "gateway RSS",
        `${Math.round(p.gatewayRssBeforeKB / 1024)} MB before, peak ${Math.round(p.gatewayRssPeakKB / 1024)} MB (VmHWM ${Math.round(p.gatewayHwmKB / 1024)} MB)`,
      ]),
    );
    lines.push(
      row([
        "page JS heap",
        `${(p.browserHeapBeforeBytes / 1e6).toFixed(1)} MB before, peak ${(p.browserHeapPeakBytes / 1e6).toFixed(1)} MB`,
      ]),
    );
    lines.push(row(["on the wire", `${(p.bytes.down / 1e6).toFixed(1)} MB down, ${kB(p.bytes.up)} up`]));
    lines.push(
      row([
        "what the user sees",
        `progress bar updated ${p.progressUpdates} times (longest still ${ms(p.longestStallMs)}); ${p.longTasks} main-thread tasks over 50 ms (longest ${ms(p.longestTaskMs)}); at the end: "${p.outcome}"`,
      ]),
    );
    lines.push(row(["left on the server", String(p.leftOnServer)]), "");
  }
  return lines.join("\n");
}
