import type { Browser } from "@playwright/test";
import { buildMessage } from "@pismo/mail-harness/seed";
import type { MailServer } from "@pismo/mail-harness";
import type { ByteCount, ResponseRecord } from "./byte-meter";
import type { WebSocketShare } from "./report";
import { countImapCommands, snapshotOf, type ImapCount } from "./imap-count";
import { ImapCountingProxy } from "./imap-proxy";
import { rawlogDir, switchFolderNames, SWITCH_FOLDER_SIZE, type BenchStack } from "./stack";
import {
  inPage,
  openPage,
  scrollToRow,
  signIn,
  signOutAndClose,
  timeOrigin,
  timedAction,
  VIEWPORT,
  type Account,
  type BenchPage,
  type NetworkConditions,
  type PageTimes,
} from "./ui";

export interface TimedSample {
  /** From the user's action (navigation, click, key, delivery) to the change painted. */
  ms: number;
  /** From the action to the DOM change (before layout and paint). */
  domMs: number;
  bytes: ByteCount;
}

export interface SignInSample extends TimedSample {
  /** Navigation start to the sign-in form on screen. */
  formMs: number;
  /** Submit to 50 rows painted. */
  submitToRowsMs: number;
  /** Time the automation spent typing into the form (between form ready and submit). */
  typingMs: number;
  /** The sign-in without the typing: form ready + submit-to-rows. */
  netMs: number;
}

type Log = (line: string) => void;

/** A pushed change later than this counts as lost (and is listed), not as a slow sample. */
const PUSH_TIMEOUT_MS = 10_000;

/** Sign-in to the first 50 rows, cold: a new context (empty cache and cookies) per sample. */
export async function measureSignIn(
  browser: Browser,
  baseURL: string,
  account: Account,
  samples: number,
  log: Log,
  warmup = true,
  network?: NetworkConditions,
): Promise<{
  samples: SignInSample[];
  firstOpen: TimedSample[];
  firstLoad: ResponseRecord[];
  webSocket: WebSocketShare[];
}> {
  const out: SignInSample[] = [];
  const firstOpen: TimedSample[] = [];
  let firstLoad: ResponseRecord[] = [];
  let webSocket: WebSocketShare[] = [];
  // One unmeasured warm-up: the first start of a renderer and of the gateway's code paths.
  for (let i = warmup ? -1 : 0; i < samples; i++) {
    const bp = await openPage(browser, baseURL, VIEWPORT.signIn, network);
    try {
      const marks = await signIn(bp, account, { benchRows: 50 });
      if (!marks) throw new Error("no sign-in marks");
      const bytes = bp.meter.since();
      if (i < 0) continue;
      const typingMs = marks.submit - marks.formPainted;
      const sample: SignInSample = {
        ms: marks.rowsPainted,
        domMs: marks.rowsCommitted,
        formMs: marks.formPainted,
        submitToRowsMs: marks.rowsPainted - marks.submit,
        typingMs,
        netMs: marks.rowsPainted - typingMs,
        bytes,
      };
      out.push(sample);
      if (i === 0) {
        firstLoad = [...bp.meter.responses];
        webSocket = [...bp.meter.wsDownByPath.entries()]
          .map(([path, v]) => ({ path, ...v }))
          .sort((a, b) => b.bytes - a.bytes);
      }
      // The first message opened in the page: a user reads the rows before clicking, so the
      // click comes once the network is still (what the app loads when idle has loaded), but
      // no message has been shown yet in this page. In the window the open figure uses, so
      // the two compare (the sign-in's is 3600 px tall, to hold 50 rows).
      await bp.page.setViewportSize(VIEWPORT.desktop);
      await bp.meter.quiet();
      await inPage(bp.page, "window.__bench.arm('open')");
      bp.meter.reset();
      await bp.page.locator(`[role="grid"][aria-label="Messages"] [role="row"][aria-rowindex="2"]`).click();
      const t = await result(bp);
      const click = await inPage<number>(bp.page, "window.__bench.lastClick");
      await bp.meter.quiet();
      firstOpen.push({ ms: t.painted - click, domMs: t.committed - click, bytes: bp.meter.since() });
      log(
        `  sign-in ${i + 1}/${samples}: ${sample.ms.toFixed(0)} ms to 50 rows (${sample.netMs.toFixed(0)} ms without typing), ${(bytes.down / 1000).toFixed(1)} kB down; first open ${firstOpen.at(-1)?.ms.toFixed(1)} ms`,
      );
    } finally {
      await signOutAndClose(bp);
    }
  }
  return { samples: out, firstOpen, firstLoad, webSocket };
}

async function result(bp: BenchPage): Promise<PageTimes> {
  return inPage<PageTimes>(bp.page, "window.__bench.result()");
}

/**
 * Opening a message (click until its body is on screen), then the next one with j
 * (it was fetched ahead while the first was shown). Rows far apart, so every click is cold.
 */
export async function measureReading(
  browser: Browser,
  baseURL: string,
  account: Account,
  samples: number,
  log: Log,
  opts: { next?: boolean } = {},
): Promise<{ open: TimedSample[]; next: TimedSample[] }> {
  const open: TimedSample[] = [];
  const next: TimedSample[] = [];
  const bp = await openPage(browser, baseURL, VIEWPORT.desktop);
  try {
    await signIn(bp, account);
    const { page } = bp;
    for (let k = 0; k < samples; k++) {
      const index = 4 * k + 1;
      await scrollToRow(page, index);
      const rowAt = `[role="grid"][aria-label="Messages"] [role="row"][aria-rowindex="${index + 1}"]`;
      open.push(
        await timedAction(bp, "window.__bench.arm('open')", () => page.locator(rowAt).click(), "lastClick"),
      );
      if (opts.next === false) continue;

      // The neighbours are fetched ahead when a message opens: the quiet network before arming
      // waits until that is done. A click moves the focus into the opened message (arrows then
      // scroll it): the next message is j, as everywhere in the app.
      next.push(
        await timedAction(bp, "window.__bench.arm('open')", () => page.keyboard.press("j"), "lastKey"),
      );
      log(
        `  open ${k + 1}/${samples}: ${open.at(-1)?.ms.toFixed(1)} ms; next (j): ${next.at(-1)?.ms.toFixed(1)} ms`,
      );
    }
  } finally {
    await signOutAndClose(bp);
  }
  return { open, next };
}

/**
 * Switching folders: a click on a folder never opened in this page until its rows are on
 * screen (cold), then back to the Inbox (its rows are cached: warm).
 */
export async function measureFolderSwitch(
  browser: Browser,
  baseURL: string,
  account: Account,
  samples: number,
  log: Log,
): Promise<{ cold: TimedSample[]; warm: TimedSample[] }> {
  const bp = await openPage(browser, baseURL, VIEWPORT.desktop);
  try {
    await signIn(bp, account);
    const nav = bp.page.getByRole("navigation", { name: "Folders" });
    return await switchFolders(
      bp,
      "window.__bench",
      "Inbox",
      (name) => nav.getByRole("button", { name: new RegExp(`^${name}`) }).click(),
      samples,
      (k, cold, warm) =>
        log(
          `  folder ${k + 1}/${samples}: ${cold?.toFixed(1)} ms (first visit), back to Inbox ${warm?.toFixed(1)} ms (cached)`,
        ),
    );
  } finally {
    await signOutAndClose(bp);
  }
}

/**
 * The folder-switch samples of either product: each goes to a folder not yet opened in the page
 * (cold), then back to the Inbox, called `inbox` there (warm). `click` clicks a folder by its
 * name; `probe` is the page's probe object (Pismo's or Roundcube's).
 */
export async function switchFolders(
  bp: BenchPage,
  probe: string,
  inbox: string,
  click: (name: string) => Promise<unknown>,
  samples: number,
  report: (k: number, coldMs: number | undefined, warmMs: number | undefined) => void,
): Promise<{ cold: TimedSample[]; warm: TimedSample[] }> {
  const cold: TimedSample[] = [];
  const warm: TimedSample[] = [];
  const switchTo = (name: string, minRows: number) =>
    timedAction(
      bp,
      `${probe}.arm('folder', ${JSON.stringify({ name, minRows })})`,
      () => click(name),
      "lastClick",
    );
  for (const [k, name] of switchFolderNames(samples).entries()) {
    cold.push(await switchTo(name, Math.min(10, SWITCH_FOLDER_SIZE)));
    warm.push(await switchTo(inbox, 10));
    report(k, cold.at(-1)?.ms, warm.at(-1)?.ms);
  }
  return { cold, warm };
}

/**
 * Push: mail delivered to the server by another client until its row is on screen; then a
 * message opened (read) in browser A until its row shows read in browser B.
 */
export async function measureLive(
  browser: Browser,
  baseURL: string,
  mail: MailServer,
  account: Account,
  samples: number,
  log: Log,
): Promise<{ newMail: TimedSample[]; readState: TimedSample[]; lostMail: string[]; lostRead: string[] }> {
  const newMail: TimedSample[] = [];
  const readState: TimedSample[] = [];
  const lostMail: string[] = [];
  const lostRead: string[] = [];
  const a = await openPage(browser, baseURL, VIEWPORT.live);
  let b: BenchPage | null = null;
  try {
    await signIn(a, account);
    const originA = await timeOrigin(a.page);
    const stamp = Date.now().toString(36);
    const subjects: string[] = [];
    for (let k = 0; k < samples; k++) {
      // Zero-padded: no subject is a prefix of another ("-1" of "-10").
      const subject = `Bench uživo ${stamp}-${String(k).padStart(4, "0")}`;
      subjects.push(subject);
      await a.meter.quiet();
      await inPage(
        a.page,
        `window.__bench.arm('row', ${JSON.stringify({ subject, timeoutMs: PUSH_TIMEOUT_MS })})`,
      );
      a.meter.reset();
      // In the page's clock, which its paint time is in. This process's (its timeOrigin, taken
      // when the run started, plus monotonic time) was ~11 s off the page's in one 20-minute run
      // on this virtual machine, as when the wall clock is stepped after the machine was paused:
      // every sample read ~11.9 s while the 25 took 38 s in all. The answer's way back (~1 ms)
      // is counted in.
      const sent = await inPage<number>(a.page, "performance.now()");
      await mail.deliver(
        account.email,
        buildMessage({
          from: { name: "Drugi Klijent", address: "drugi@primer.rs" },
          to: account.email,
          subject,
          text: `Poruka broj ${k}.\n`,
        }),
      );
      let t: PageTimes;
      try {
        t = await result(a);
      } catch {
        lostMail.push(subject);
        log(`  new mail ${k + 1}/${samples}: LOST (no row after ${PUSH_TIMEOUT_MS} ms)`);
        await a.page
          .getByRole("grid", { name: "Messages" })
          .getByRole("row", { name: new RegExp(subject) })
          .waitFor({ timeout: 30_000 });
        continue;
      }
      await a.meter.quiet();
      newMail.push({
        ms: t.painted - sent,
        domMs: t.committed - sent,
        bytes: a.meter.since(),
      });
      log(`  new mail ${k + 1}/${samples}: ${newMail.at(-1)?.ms.toFixed(0)} ms`);
    }

    b = await openPage(browser, baseURL, VIEWPORT.live);
    await signIn(b, account);
    const originB = await timeOrigin(b.page);
    for (const [k, subject] of subjects.entries()) {
      const rowA = a.page
        .getByRole("grid", { name: "Messages" })
        .getByRole("row", { name: new RegExp(subject) });
      const uid = Number(await rowA.getAttribute("data-message-id"));
      await b.page
        .locator(`[role="row"][data-message-id="${uid}"][data-seen="false"]`)
        .waitFor({ timeout: 10_000 });
      await Promise.all([a.meter.quiet(), b.meter.quiet()]);
      await inPage(
        b.page,
        `window.__bench.arm('seen', ${JSON.stringify({ uid, seen: true, timeoutMs: PUSH_TIMEOUT_MS })})`,
      );
      b.meter.reset();
      await rowA.click();
      let t: PageTimes;
      try {
        t = await result(b);
      } catch {
        // A lost update is a finding, not a reason to stop: count it, say what each side shows.
        const seenA = await rowA.getAttribute("data-seen").catch(() => "?");
        const seenB = await b.page
          .locator(`[role="row"][data-message-id="${uid}"]`)
          .getAttribute("data-seen")
          .catch(() => "?");
        const server = await mail
          .doveadm(["fetch", "-u", account.email, "flags", "mailbox", "INBOX", "uid", String(uid)])
          .catch(() => "?");
        lostRead.push(
          `uid ${uid}: A shows seen=${seenA}, B shows seen=${seenB}, server flags: ${server.trim().replace(/\s+/g, " ")}`,
        );
        log(
          `  read in A, shown read in B ${k + 1}/${samples}: LOST after ${PUSH_TIMEOUT_MS} ms (${lostRead.at(-1)})`,
        );
        continue;
      }
      const click = await inPage<number>(a.page, "window.__bench.lastClick");
      await b.meter.quiet();
      readState.push({
        ms: originB + t.painted - (originA + click),
        domMs: originB + t.committed - (originA + click),
        bytes: b.meter.since(),
      });
      log(`  read in A, shown read in B ${k + 1}/${samples}: ${readState.at(-1)?.ms.toFixed(0)} ms`);
    }
  } finally {
    if (b) await signOutAndClose(b);
    await signOutAndClose(a);
  }
  return { newMail, readState, lostMail, lostRead };
}

/**
 * IMAP traffic of one cold sign-in to the inbox, through a second gateway that reaches Dovecot
 * via a counting proxy; Dovecot's rawlog of the same sign-in is the cross-check.
 */
export async function countImapForSignIn(
  browser: Browser,
  stack: BenchStack,
  account: Account,
  log: Log,
): Promise<ImapCount> {
  const proxy = await ImapCountingProxy.start(stack.mail.imapPort);
  const gateway = await stack.startGateway({ PISMO_IMAP_PORT: String(proxy.port) });
  try {
    const count = await countImapCommands(proxy, rawlogDir(stack.mail, account), async () => {
      const bp = await openPage(browser, gateway.url, VIEWPORT.signIn);
      try {
        await signIn(bp, account, { benchRows: 50 });
        // What a sign-in costs includes what follows the first paint (IDLE, the second window).
        await bp.meter.quiet(1_000);
        return snapshotOf(proxy);
      } finally {
        await signOutAndClose(bp);
      }
    });
    log(
      `  IMAP for one sign-in: ${count.connections} connection(s) (${count.loggedInConnections} logged in), ${count.commands} commands (${count.commandsWithoutIdle} without IDLE), ${count.proportional.length} proportional to the folder`,
    );
    return count;
  } finally {
    await gateway.stop();
    await proxy.stop();
  }
}
