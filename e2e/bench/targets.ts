import { kB, ms } from "./format";
import type { BenchResults, Target } from "./report";
import { roundcubeRef } from "./roundcube/compare";
import { round } from "./stats";
import { searchTargets } from "./search-figures";

/** Figures measured at every INBOX size, compared between the smallest and the largest. */
const SCALED = [
  { id: "signin", what: "sign-in" },
  { id: "firstOpen", what: "first open" },
  { id: "open", what: "open" },
  { id: "next", what: "next" },
  { id: "folder", what: "folder switch" },
  { id: "folderWarm", what: "back to the Inbox" },
] as const;

/** The figures that time one user action (their ids, with or without the size). */
const INTERACTIONS = [
  "open",
  "firstOpen",
  "next",
  "folder",
  "folderWarm",
  "search",
  "convoOpen",
  "pop3Open",
  "pop3Next",
];

/**
 * The issue's targets, each compared with what was measured, with the evidence beside it. An aim
 * relative to Roundcube uses Roundcube's figure from this run when it was measured.
 */
export function computeTargets(r: Omit<BenchResults, "targets">): Target[] {
  const sizes = r.options.sizes;
  const s0 = sizes[0] as number;
  const f = (id: string) => r.figures[id];
  const targets: Target[] = [];
  const rc = (id: Parameters<typeof roundcubeRef>[1]) => roundcubeRef(r, id);
  const signIn = f(`signin.${s0}`);
  const imap0 = r.imap[String(s0)];
  if (signIn) {
    const extra = signIn.extra ?? {};
    const ref = rc("signin");
    const limit = round((ref.value ?? Number.NaN) / 3);
    targets.push({
      id: "signin",
      what: `Sign-in to the first rows, cold (${s0.toLocaleString("en")}-message INBOX), median`,
      roundcube: ref.text,
      aim: `< 1/3 of Roundcube: ${ms(limit)}`,
      pismo: ms(signIn.ms.median),
      value: signIn.ms.median,
      limit,
      unit: "ms",
      met: signIn.ms.median < limit,
      note: `form on screen at ${ms(extra.formMs?.median ?? Number.NaN)} (${r.firstLoad.js.files} JS files, ${kB(r.firstLoad.js.wireBytes)} on the wire, ${kB(r.firstLoad.js.rawBytes)} to parse); automation typing ${ms(extra.typingMs?.median ?? Number.NaN)}; submit to 50 rows painted ${ms(extra.submitToRowsMs?.median ?? Number.NaN)}; without the typing ${ms(extra.netMs?.median ?? Number.NaN)}`,
    });
  }
  const open = f(`open.${s0}`);
  const openRef = rc("open");
  if (open)
    targets.push({
      id: "open",
      what: "Opening a message until its body is on screen, median",
      roundcube: openRef.text,
      aim: `<= 25 ms (two frames; 1/5 of Roundcube would be ${ms(round((openRef.value ?? Number.NaN) / 5))})`,
      pismo: ms(open.ms.median),
      value: open.ms.median,
      limit: 25,
      unit: "ms",
      met: open.ms.median <= 25,
      note: `DOM ready at ${ms(open.domMs.median)} (p95 ${ms(open.ms.p95)}); ${kB(open.bytesDown.median)} down per open (the message, the read flag, the two neighbours fetched ahead)`,
    });
  const next = f(`next.${s0}`);
  if (next)
    targets.push({
      id: "next",
      what: "Next message with the keyboard (fetched ahead), median",
      roundcube: rc("next").text,
      aim: "within one frame: <= 16 ms, p95 <= 33 ms",
      pismo: `${ms(next.ms.median)} (p95 ${ms(next.ms.p95)})`,
      value: next.ms.median,
      limit: 16,
      unit: "ms",
      met: next.ms.median <= 16 && next.ms.p95 <= 33,
      note: `key to DOM ready ${ms(next.domMs.median)}, to painted ${ms(next.ms.median)} (p95 ${ms(next.ms.p95)}); ${kB(next.bytesDown.median)} down after the key (the read flag, the next neighbour fetched ahead)`,
    });
  const folder = f(`folder.${s0}`);
  const folderRef = rc("folder");
  if (folder)
    targets.push({
      id: "folder",
      what: "Switching folders (first visit in the page), median",
      roundcube: folderRef.text,
      aim: "<= 40 ms",
      pismo: ms(folder.ms.median),
      value: folder.ms.median,
      limit: 40,
      unit: "ms",
      met: folder.ms.median <= 40,
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
      roundcube: rc("push").text,
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
      roundcube: rc("push").text,
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
    roundcube: rc("coldBytes").text,
    aim: "< 160 kB",
    pismo: kB(r.firstLoad.coldSignInDown),
    value: r.firstLoad.coldSignInDown / 1000,
    limit: 160,
    unit: "kB",
    met: r.firstLoad.coldSignInDown < 160_000,
    note: `JS ${kB(r.firstLoad.js.wireBytes)} on the wire (${r.firstLoad.js.encodings.join("/")}; ${kB(r.firstLoad.js.rawBytes)} uncompressed, ${kB(r.firstLoad.js.brBytes)} as br, ${kB(r.firstLoad.js.gzBytes)} as gzip), CSS ${kB(r.firstLoad.css.wireBytes)} (${kB(r.firstLoad.css.rawBytes)} uncompressed); up ${kB(r.firstLoad.coldSignInUp)}`,
  });
  if (imap0) {
    const main = imap0.perConnection.reduce((a, b) => (b.commands.length > a.commands.length ? b : a), {
      commands: [] as string[],
    });
    targets.push({
      id: "imapCommands",
      what: "IMAP commands for a sign-in to the inbox, most on one connection",
      roundcube: rc("imapCommands").text,
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
      roundcube: rc("imapProportional").text,
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
    // Every figure measured at both sizes, by the ratio of its medians.
    const ratios = SCALED.flatMap(({ id, what }) => {
      const a = f(`${id}.${s0}`);
      const b = f(`${id}.${big}`);
      return a && b ? [{ what, a: a.ms.median, b: b.ms.median, ratio: b.ms.median / a.ms.median }] : [];
    });
    const signIn = ratios.find((x) => x.what === "sign-in");
    if (signIn) {
      const over = ratios.filter((x) => x.ratio > 1.1);
      targets.push({
        id: "scale",
        what: `${big.toLocaleString("en")} vs ${s0.toLocaleString("en")} messages, every figure (median ratio)`,
        roundcube: "—",
        aim: "within 10 %: <= 1.10",
        pismo: `sign-in ${signIn.ratio.toFixed(3)}; ${over.length ? `over: ${over.map((x) => `${x.what} ${x.ratio.toFixed(2)}`).join(", ")}` : "none over"}`,
        value: round(Math.max(...ratios.map((x) => x.ratio)), 3),
        limit: 1.1,
        unit: "ratio",
        met: over.length === 0,
        note: `${ratios.map((x) => `${x.what} ${ms(x.b)} vs ${ms(x.a)}`).join("; ")}; IMAP commands ${r.imap[String(big)]?.commands ?? "?"} vs ${imap0?.commands ?? "?"}`,
      });
    }
  }
  // An interaction is answered when its first visible change is painted (a search's first
  // results, not its complete answer, which is the server's time).
  const interactions = Object.entries(r.figures).filter(([id]) =>
    INTERACTIONS.some((p) => id === p || id.startsWith(`${p}.`)),
  );
  if (interactions.length) {
    const slow = interactions.filter(([, fig]) => fig.ms.p95 >= 100);
    targets.push({
      id: "p95",
      what: "Every interaction's p95 (open, next, folder, search's first results, a conversation; POP3 open and next)",
      roundcube: "—",
      aim: "< 100 ms",
      pismo: slow.length
        ? `${slow.length} of ${interactions.length} over`
        : `all ${interactions.length} under`,
      value: round(Math.max(...interactions.map(([, fig]) => fig.ms.p95))),
      limit: 100,
      unit: "ms",
      met: slow.length === 0,
      note: slow.length
        ? slow
            .map(
              ([id, fig]) =>
                `${id} p95 ${ms(fig.ms.p95)} (slowest sample #${fig.samples.indexOf(fig.ms.max) + 1} of ${fig.samples.length}; median ${ms(fig.ms.median)})`,
            )
            .join("; ")
        : "",
    });
  }
  if (r.pop3.measured) {
    const p = r.pop3;
    targets.push({
      id: "pop3",
      what: `POP3 pull of ${p.messages.toLocaleString("en")} messages (${(p.serverBytes / 1e6).toFixed(1)} MB) into the browser`,
      roundcube: "(no POP3)",
      aim: "1,000 messages / 50 MB in <= 6 s",
      pismo: ms(p.pullMs),
      value: round(p.pullMs),
      limit: 6000,
      unit: "ms",
      met: p.pullMs <= 6000 && p.leftOnServer === 0,
      note: `progress after ${ms(p.firstProgressMs)}; ${(p.bytes.down / 1e6).toFixed(1)} MB on the wire; gateway RSS peak ${Math.round(p.gatewayRssPeakKB / 1024)} MB; ${p.leftOnServer} left on the server`,
    });
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
  // Search is measured on every size; its aims are for the largest INBOX.
  const sLast = r.options.sizes[r.options.sizes.length - 1] as number;
  targets.push(
    ...searchTargets(f, sLast, (id) => (r.roundcube.measured ? r.roundcube.figures[id] : undefined)),
  );
  return targets;
}
