import { kB, ms } from "./format";
import type { BenchResults, Target } from "./report";
import { roundcubeRef } from "./roundcube/compare";
import { round } from "./stats";
import { searchTargets } from "./search-figures";

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
  const openLimit = round((openRef.value ?? Number.NaN) / 5);
  if (open)
    targets.push({
      id: "open",
      what: "Opening a message until its body is on screen, median",
      roundcube: openRef.text,
      aim: `< 1/5 of Roundcube: ${ms(openLimit)}`,
      pismo: ms(open.ms.median),
      value: open.ms.median,
      limit: openLimit,
      unit: "ms",
      met: open.ms.median < openLimit,
      note: `DOM ready at ${ms(open.domMs.median)} (p95 ${ms(open.ms.p95)}); ${kB(open.bytesDown.median)} down per open (the message, the read flag, the two neighbours fetched ahead)`,
    });
  const next = f(`next.${s0}`);
  if (next)
    targets.push({
      id: "next",
      what: "Next message with the keyboard (fetched ahead), median",
      roundcube: rc("next").text,
      aim: "within one frame: 16 ms",
      pismo: ms(next.ms.median),
      value: next.ms.median,
      limit: 16,
      unit: "ms",
      met: next.ms.median <= 16,
      note: `key to DOM ready ${ms(next.domMs.median)}, to painted ${ms(next.ms.median)} (p95 ${ms(next.ms.p95)}); ${kB(next.bytesDown.median)} down after the key (the read flag, the next neighbour fetched ahead)`,
    });
  const folder = f(`folder.${s0}`);
  const folderRef = rc("folder");
  const folderLimit = folderRef.value ?? Number.NaN;
  if (folder)
    targets.push({
      id: "folder",
      what: "Switching folders (first visit in the page), median",
      roundcube: folderRef.text,
      aim: `(no aim in the issue; Roundcube's figure: ${ms(folderLimit)})`,
      pismo: ms(folder.ms.median),
      value: folder.ms.median,
      limit: folderLimit,
      unit: "ms",
      met: folder.ms.median < folderLimit,
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
  // Search is measured on every size; its aims are for the largest INBOX.
  const sLast = r.options.sizes[r.options.sizes.length - 1] as number;
  targets.push(
    ...searchTargets(f, sLast, (id) => (r.roundcube.measured ? r.roundcube.figures[id] : undefined)),
  );
  return targets;
}
