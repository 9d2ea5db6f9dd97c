import { kB, ms, row } from "../format";
import type { BenchResults, TimedFigure } from "../report";
import { RC_PAGE_ROWS, RC_SCOPES, RC_SEARCHES } from "./figures";

export const RECORDED_LABEL = "recorded earlier, not this run";

/**
 * Roundcube 1.6.5's figures as recorded on another machine before the benchmark could measure
 * Roundcube itself; the report shows them only when Roundcube was not measured in the run,
 * and labels them so.
 */
const RECORDED = {
  signin: { text: "1.17 s", value: 1170 },
  open: { text: "0.25 s", value: 250 },
  next: { text: "0.22 s", value: 220 },
  folder: { text: "0.15 s", value: 150 },
  coldBytes: { text: "504 KB", value: 504_000 },
  imapCommands: { text: "4 connections, 29 commands incl. UID SEARCH of the whole folder", value: null },
  imapProportional: { text: "UID SEARCH of the whole folder", value: null },
  push: { text: "0 to 60 s (polling)", value: null },
} as const;

export type RoundcubeRefId = keyof typeof RECORDED;

/** Roundcube's side of a target: from this run when it was measured, else the recorded figure. */
export interface RoundcubeRef {
  /** As shown in the targets table (labelled when recorded earlier). */
  text: string;
  /** The number the aim is derived from (ms, or bytes for coldBytes); null when none. */
  value: number | null;
  thisRun: boolean;
}

export function roundcubeRef(r: Omit<BenchResults, "targets">, id: RoundcubeRefId): RoundcubeRef {
  const rc = r.roundcube;
  const s0 = r.options.sizes[0] as number;
  const recorded = (): RoundcubeRef => ({
    text: `${RECORDED[id].text} (${RECORDED_LABEL})`,
    value: RECORDED[id].value,
    thisRun: false,
  });
  if (!rc.measured) return recorded();
  const timed = (key: string): RoundcubeRef => {
    const fig = rc.figures[`${key}.${s0}`];
    return fig ? { text: ms(fig.ms.median), value: fig.ms.median, thisRun: true } : recorded();
  };
  const imap = rc.imap[String(s0)];
  switch (id) {
    case "signin":
    case "open":
    case "next":
    case "folder":
      return timed(id);
    case "coldBytes":
      return Number.isFinite(rc.firstLoad.coldSignInDown)
        ? { text: kB(rc.firstLoad.coldSignInDown), value: rc.firstLoad.coldSignInDown, thisRun: true }
        : recorded();
    case "imapCommands":
      return imap
        ? {
            text: `${imap.connections} connections, ${imap.commands} commands; ${imap.maxPerConnection} on the busiest`,
            value: imap.commands,
            thisRun: true,
          }
        : recorded();
    case "imapProportional":
      return imap
        ? { text: imap.proportional.join("; ") || "none", value: imap.proportional.length, thisRun: true }
        : recorded();
    case "push":
      return Number.isFinite(rc.refreshIntervalS)
        ? {
            text: `0 to ${rc.refreshIntervalS} s (polls every ${rc.refreshIntervalS} s, its refresh_interval in this run)`,
            value: null,
            thisRun: true,
          }
        : recorded();
  }
}

/** "Roundcube 1.6.5, this run" or "…, recorded earlier, not this run": the targets table's column. */
export function roundcubeColumn(r: BenchResults): string {
  return r.roundcube.measured
    ? `Roundcube ${r.roundcube.version}, this run`
    : `Roundcube 1.6.5, ${RECORDED_LABEL}`;
}

const cell = (f: TimedFigure | undefined) =>
  f ? `${ms(f.ms.median)} (p95 ${ms(f.ms.p95)})` : "not measured in this run";

function ratio(pismo: number | undefined, roundcube: number | undefined): string {
  if (pismo === undefined || roundcube === undefined || !(roundcube > 0)) return "—";
  return `${(pismo / roundcube).toFixed(pismo / roundcube < 0.1 ? 3 : 2)}`;
}

/**
 * The "Roundcube and Pismo" section: every Roundcube figure of this run beside Pismo's, with
 * the ratio of the medians. Pismo's search figures pair by the same keys (search.<from|body>.
 * <folder|all>.N for the first result, searchDone.… for the complete answer).
 */
export function roundcubeMarkdown(r: BenchResults): string[] {
  const rc = r.roundcube;
  const lines: string[] = ["## Roundcube and Pismo, same run", ""];
  if (!rc.measured) {
    lines.push(
      `Roundcube was not measured in this run (${rc.reason}). The Roundcube figures in the targets table are ${RECORDED_LABEL}: Roundcube 1.6.5 on another machine. \`npm run bench -- --with-roundcube\` measures Debian's Roundcube against the same Dovecot and mailbox, with the same probes.`,
      "",
    );
    return lines;
  }
  lines.push(
    `Debian's Roundcube ${rc.version} (elastic skin, no plugins), served by ${rc.server}; the same Dovecot, users, mailboxes and Chromium as Pismo, measured in this run. Times as for Pismo: from the action to the change painted. Roundcube's list shows ${RC_PAGE_ROWS} rows per page; it opens a message in its preview frame 60 ms after the selection (its \`preview_delay_click\`; the next message is selected 0.6 s after the previous one was shown, so its 400 ms delay for quick successive selections does not apply). It answers a search in one response, so its first result and its complete answer are painted together. Ratio: Pismo's median divided by Roundcube's (below 1: Pismo is faster).`,
    "",
  );
  if (rc.failures.length) lines.push(`Failed: ${rc.failures.join("; ")}.`, "");
  lines.push(
    row(["figure", "Roundcube (median)", "Pismo (median)", "Pismo ÷ Roundcube"]),
    row(["---", "---:", "---:", "---:"]),
  );
  for (const size of r.options.sizes) {
    const n = size.toLocaleString("en");
    const pairs: Array<[string, string]> = [
      [`Sign-in to the first rows, cold (${n} INBOX)`, `signin.${size}`],
      [`Open a message (${n})`, `open.${size}`],
      [`Next message (Pismo j, Roundcube ArrowDown) (${n})`, `next.${size}`],
      [`Switch to a folder (${n})`, `folder.${size}`],
      [`Back to the Inbox (${n})`, `folderWarm.${size}`],
    ];
    for (const s of RC_SEARCHES)
      for (const scope of RC_SCOPES) {
        const key = `${s.id}.${scope.id}.${size}`;
        const found = rc.searchMatches[key];
        const what = `Search ${s.label}, ${scope.label}${found === undefined ? "" : `, ${found} found by Roundcube`} (${n})`;
        pairs.push([`${what}: first result`, `search.${key}`], [`${what}: complete`, `searchDone.${key}`]);
      }
    for (const [what, key] of pairs) {
      const a = rc.figures[key];
      const b = r.figures[key];
      if (!a && !b) continue;
      lines.push(row([what, cell(a), cell(b), ratio(b?.ms.median, a?.ms.median)]));
    }
    const ri = rc.imap[String(size)];
    const pi = r.imap[String(size)];
    if (ri)
      lines.push(
        row([
          `IMAP for one sign-in: connections / commands (${n})`,
          `${ri.connections} / ${ri.commands}`,
          pi ? `${pi.connections} / ${pi.commands}` : "not measured",
          ratio(pi?.commands, ri.commands),
        ]),
        row([
          `IMAP commands proportional to the folder (${n})`,
          ri.proportional.length ? ri.proportional.join("; ") : "none",
          pi ? (pi.proportional.length ? pi.proportional.join("; ") : "none") : "not measured",
          "",
        ]),
      );
  }
  const fl = rc.firstLoad;
  lines.push(
    row([
      "Bytes down for a cold sign-in to rows",
      `${kB(fl.coldSignInDown)} (${fl.requests} requests; JS ${fl.js.files} files ${kB(fl.js.wireBytes)}, CSS ${kB(fl.css.wireBytes)})`,
      kB(r.firstLoad.coldSignInDown),
      ratio(r.firstLoad.coldSignInDown, fl.coldSignInDown),
    ]),
    row([
      "Bytes up for a cold sign-in",
      kB(fl.coldSignInUp),
      kB(r.firstLoad.coldSignInUp),
      ratio(r.firstLoad.coldSignInUp, fl.coldSignInUp),
    ]),
    row([
      "New mail until shown (p95)",
      `0 to ${rc.refreshIntervalS} s: polls every ${rc.refreshIntervalS} s (refresh_interval, read from the signed-in page; not timed)`,
      r.figures.newMail ? ms(r.figures.newMail.ms.p95) : "not measured",
      "",
    ]),
    "",
  );
  const first = rc.imap[String(r.options.sizes[0])];
  if (first) {
    lines.push("Roundcube's IMAP commands for one sign-in, per connection (first size):", "");
    first.perConnection.forEach((p, i) =>
      lines.push(
        `${i + 1}. ${p.commands.map((c) => `\`${c.length > 80 ? `${c.slice(0, 77)}...` : c}\``).join(", ")}`,
      ),
    );
    lines.push("");
  }
  return lines;
}
