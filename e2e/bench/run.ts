import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "@playwright/test";
import {
  countImapForSignIn,
  measureFolderSwitch,
  measureLive,
  measureReading,
  measureSignIn,
} from "./imap-figures";
import type { ImapCount } from "./imap-count";
import { measureLoad } from "./load-figures";
import {
  measureConversationList,
  measureConversationOpen,
  seedThread,
  THREAD_LENGTH,
} from "./conversation-figures";
import { machineInfo } from "./machine";
import { repoRoot, type BenchOptions } from "./options";
import { measurePop3, seedPop3, type Pop3NotMeasured, type Pop3Result } from "./pop3-figures";
import {
  assetTotals,
  thinProgress,
  timedFigure,
  type BenchResults,
  type TimedFigure,
  type WebSocketShare,
} from "./report";
import { RoundcubeBench } from "./roundcube/measure";
import { roundcubeMissing } from "./roundcube/server";
import {
  addUser,
  idleAccount,
  inboxAccount,
  pop3Account,
  seedBenchMailbox,
  startBenchStack,
  SWITCH_FOLDER_SIZE,
  type BenchStack,
} from "./stack";
import { summarize } from "./stats";
import { withTargets, writeResults } from "./results-files";
import { measureSearch, plantNeedle, searchFigureEntries } from "./search-figures";
import { ByteMeter, type ResponseRecord } from "./byte-meter";
import { chromiumLaunch } from "../fixtures/chromium";

/** The e2e tests' Chromium options (fixtures/chromium.ts): the benchmark runs the same browser. */
export const CHROMIUM_ARGS = chromiumLaunch.args;

export interface BenchRun {
  results: BenchResults;
  jsonPath: string;
  markdownPath: string;
  markdown: string;
}

/** Runs every measurement and writes <outDir>/<name>.json and .md (via temp files). */
export async function runBench(options: BenchOptions): Promise<BenchRun> {
  const started = performance.now();
  const loadAverageStart = Math.round((os.loadavg()[0] ?? Number.NaN) * 100) / 100;
  const log = (line: string) => {
    if (!options.quiet) process.stderr.write(`${line}\n`);
  };
  const phase = (name: string) =>
    log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${name}`);
  ByteMeter.settleMs = options.settleMs;
  let stack: BenchStack | null = null;
  let browser: Browser | null = null;
  let roundcube: RoundcubeBench | null = null;
  // Asked for but not installed: say so before the long run, not after it.
  const rcMissing = options.withRoundcube ? roundcubeMissing() : null;
  if (rcMissing) throw new Error(rcMissing);
  try {
    phase("starting Dovecot, the built gateway and Chromium");
    stack = await startBenchStack();
    browser = await chromium.launch({
      executablePath: chromiumLaunch.executablePath,
      args: CHROMIUM_ARGS,
    });
    const baseURL = stack.gateway.url;
    if (options.withRoundcube) {
      phase("starting Roundcube (Debian's, under php -S) against the same Dovecot");
      roundcube = await RoundcubeBench.start(browser, stack.mail, options, log);
    }
    const figures: Record<string, TimedFigure> = {};
    const imap: Record<string, ImapCount> = {};
    let firstLoad: ResponseRecord[] = [];
    let firstLoadWs: WebSocketShare[] = [];
    let coldDown: number[] = [];
    let coldUp: number[] = [];

    for (const [i, size] of options.sizes.entries()) {
      const account = inboxAccount(size);
      phase(
        `seeding ${size.toLocaleString("en")} messages into INBOX (+ ${options.samples} folders of ${SWITCH_FOLDER_SIZE})`,
      );
      await addUser(stack.mail, account, { rawlog: true });
      // The body-search figure is "with the server's index", as a real server keeps it.
      await seedBenchMailbox(stack.mail, account, { size, folders: options.samples, ftsIndex: true });
      const label = `${size.toLocaleString("en")} INBOX`;

      phase(`sign-in to 50 rows, cold, ${label}`);
      const s = await measureSignIn(browser, baseURL, account, options.samples, log, options.warmup);
      figures[`signin.${size}`] = timedFigure(`Sign-in to 50 rows painted, cold (${label})`, s.samples, {
        formMs: s.samples.map((x) => x.formMs),
        typingMs: s.samples.map((x) => x.typingMs),
        submitToRowsMs: s.samples.map((x) => x.submitToRowsMs),
        netMs: s.samples.map((x) => x.netMs),
      });
      figures[`firstOpen.${size}`] = timedFigure(
        `Open the first message after a cold sign-in until its body is painted (${label})`,
        s.firstOpen,
      );
      if (i === 0) {
        firstLoad = s.firstLoad;
        firstLoadWs = s.webSocket;
        coldDown = s.samples.map((x) => x.bytes.down);
        coldUp = s.samples.map((x) => x.bytes.up);
      }

      phase(`opening messages and the next one with the keyboard, ${label}`);
      const r = await measureReading(browser, baseURL, account, options.samples, log);
      figures[`open.${size}`] = timedFigure(`Open a message until its body is painted (${label})`, r.open);
      figures[`next.${size}`] = timedFigure(`Next message with j, fetched ahead (${label})`, r.next);

      phase(`switching folders, ${label}`);
      const f = await measureFolderSwitch(browser, baseURL, account, options.samples, log);
      figures[`folder.${size}`] = timedFigure(
        `Switch to a folder, first visit in the page (${label})`,
        f.cold,
      );
      figures[`folderWarm.${size}`] = timedFigure(`Switch back to the Inbox, cached (${label})`, f.warm);

      phase(`searching: from: and a body word, in the Inbox and in all folders, ${label}`);
      await plantNeedle(stack.mail, account);
      const sr = await measureSearch(browser, baseURL, account, options.samples, log);
      Object.assign(figures, searchFigureEntries(size, sr, timedFigure));

      phase(`counting IMAP commands and connections of one sign-in, ${label}`);
      imap[String(size)] = await countImapForSignIn(browser, stack, account, log);

      if (roundcube) {
        phase(`Roundcube, same mailbox and probes, ${label}`);
        await roundcube.measureSize(size, account, i === 0);
      }
    }

    const first = inboxAccount(options.sizes[0] as number);
    phase(`push: new mail and read state across two browsers (${options.liveSamples} samples each)`);
    const live = await measureLive(browser, baseURL, stack.mail, first, options.liveSamples, log);
    figures.newMail = timedFigure(
      "New mail delivered by another client until its row is painted",
      live.newMail,
    );
    figures.readState = timedFigure("Read in browser A until shown read in browser B", live.readState);

    const largest = Math.max(...options.sizes);
    const big = inboxAccount(largest);
    const bigLabel = `${largest.toLocaleString("en")} INBOX`;
    phase(`conversations: the ${bigLabel} as conversations, and a ${THREAD_LENGTH}-message conversation`);
    const cl = await measureConversationList(browser, baseURL, big, options.samples, log);
    figures[`convoPlain.${largest}`] = timedFigure(
      `Submit to 50 rows painted, plain list (${bigLabel})`,
      cl.plain,
    );
    figures[`convoList.${largest}`] = timedFigure(
      `Submit to 50 rows painted, conversation view (${bigLabel})`,
      cl.conversations,
    );
    const threadSubject = await seedThread(stack.mail, big);
    figures.convoOpen = timedFigure(
      `Open a ${THREAD_LENGTH}-message conversation until the last message's body is painted (${bigLabel})`,
      await measureConversationOpen(browser, baseURL, big, threadSubject, options.samples, log),
    );

    phase(`the gateway under load: ${options.idleSessions} idle sessions`);
    await addUser(stack.mail, idleAccount);
    await stack.mail.seed(idleAccount.email, { count: 0, folders: { INBOX: 20 }, user: idleAccount.email });
    // A gateway of its own: the shared one's heap still holds what the figures before left
    // (its RSS fell while the sessions were being made in one run: -89 KB "per session").
    const loadGateway = await stack.startGateway();
    const load = await measureLoad(
      browser,
      loadGateway,
      stack.mail.dir,
      idleAccount,
      first,
      { sessions: options.idleSessions, concurrency: options.concurrency, samples: options.samples },
      log,
    ).finally(() => loadGateway.stop());

    let pop3: Pop3Result | Pop3NotMeasured = { measured: false, reason: "skipped (pop3Messages = 0)" };
    if (options.pop3Messages > 0) {
      phase(
        `POP3: seeding ${options.pop3Messages} messages of about ${(options.pop3MessageBytes / 1000).toFixed(0)} kB, pulling them into the browser`,
      );
      await addUser(stack.mail, pop3Account);
      const serverBytes = await seedPop3(
        stack.mail,
        pop3Account,
        options.pop3Messages,
        options.pop3MessageBytes,
      );
      // A fresh gateway, so its memory figures are the pull's alone.
      const gateway = await stack.startGateway();
      try {
        pop3 = await measurePop3(
          browser,
          gateway,
          stack.mail,
          pop3Account,
          serverBytes,
          options.pop3Messages,
          log,
          options.samples,
        );
        if (pop3.measured && pop3.open.length > 0) {
          figures["pop3Open"] = timedFigure(
            "POP3: open a pulled message until its body is painted",
            pop3.open,
          );
          figures["pop3Next"] = timedFigure("POP3: next pulled message with j, read ahead", pop3.next);
        }
      } catch (error) {
        pop3 = { measured: false, reason: `the pull failed: ${(error as Error).message.split("\n")[0]}` };
      } finally {
        await gateway.stop();
      }
      if (!pop3.measured) log(`  POP3 not measured: ${pop3.reason}`);
    }

    const require = createRequire(import.meta.url);
    const playwrightVersion = (require("@playwright/test/package.json") as { version: string }).version;
    const machine = await machineInfo(browser.version(), playwrightVersion, loadAverageStart);
    const { signInMs, folder, open, ...loadRest } = load;
    const coldSummaryDown = summarize(coldDown).median;
    const partial: Omit<BenchResults, "targets"> = {
      schema: 1,
      machine,
      options,
      durationS: (performance.now() - started) / 1000,
      figures,
      firstLoad: {
        js: assetTotals(firstLoad, "Script", stack.staticDir),
        css: assetTotals(firstLoad, "Stylesheet", stack.staticDir),
        coldSignInDown: coldSummaryDown,
        coldSignInUp: summarize(coldUp).median,
        webSocket: firstLoadWs,
        requests: firstLoad.map((x) => ({
          url: new URL(x.url).pathname + new URL(x.url).search,
          type: x.type,
          wireBytes: x.wireBytes,
          decodedBytes: x.decodedBytes,
          encoding: x.contentEncoding,
          fromCache: x.fromCache,
          dataEncodedBytes: x.dataEncodedBytes,
        })),
      },
      imap,
      lost: { newMail: live.lostMail, readState: live.lostRead },
      load: {
        ...loadRest,
        signInMs: summarize(signInMs),
        open: timedFigure(`Open a message while ${load.sessions} idle sessions are held`, open),
        folder: timedFigure(`Switch folders while ${load.sessions} idle sessions are held`, folder),
      },
      pop3: pop3.measured ? { ...pop3, progress: thinProgress(pop3.progress) } : pop3,
      roundcube: roundcube
        ? roundcube.results()
        : { measured: false, reason: "not asked for: npm run bench -- --with-roundcube" },
    };
    const results = withTargets(partial);
    const { jsonPath, markdownPath, markdown } = await writeResults(
      results,
      path.resolve(repoRoot, options.outDir),
      options.name,
    );
    phase(`done: ${path.relative(repoRoot, jsonPath)}, ${path.relative(repoRoot, markdownPath)}`);
    return { results, jsonPath, markdownPath, markdown };
  } finally {
    await roundcube?.stop().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  }
}
