import { kB, ms, row } from "./format";
import type { BenchResults } from "./report";
import { roundcubeColumn, roundcubeMarkdown } from "./roundcube/compare";

/** The report as Markdown: machine, targets, timings, first load, IMAP, load, POP3. */
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
      `sizes ${r.options.sizes.join(", ")}; ${r.options.samples} samples per action, ${r.options.liveSamples} per push figure; ${r.options.idleSessions} idle sessions; ${r.options.pop3Messages} POP3 messages; Roundcube ${r.roundcube.measured ? "measured" : "not measured"}; took ${Math.round(r.durationS)} s`,
    ]),
    "",
  );

  lines.push("## Targets (from the benchmark issue and the speed issue, #12)", "");
  lines.push(
    row(["figure", roundcubeColumn(r), "aim", "Pismo", "met?", "evidence"]),
    row(["---", "---", "---", "---", "---", "---"]),
  );
  for (const t of r.targets)
    lines.push(row([t.what, t.roundcube, t.aim, t.pismo, t.met ? "met" : "**missed**", t.note]));
  lines.push("");
  if (r.targets.some((t) => !t.met))
    lines.push(
      "What the missed figures' time is spent on, from profiles and Dovecot's logs: `bench/where-the-time-goes.md`.",
      "",
    );
  lines.push(...roundcubeMarkdown(r));

  lines.push("## Timings", "");
  lines.push(
    row(["action", "n", "median", "p95", "min", "max", "DOM ready (median)", "down (median)", "up (median)"]),
    row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]),
  );
  // The actions, then opening a message and a folder with the idle sessions signed in.
  for (const fig of [...Object.values(r.figures), r.load.open, r.load.folder]) {
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
