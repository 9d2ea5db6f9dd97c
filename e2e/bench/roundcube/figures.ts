import type { Browser } from "@playwright/test";
import type { MailServer } from "@pismo/mail-harness";
import type { ResponseRecord } from "../byte-meter";
import { countImapCommands, snapshotOf, type ImapCount } from "../imap-count";
import { switchFolders, type SignInSample, type TimedSample } from "../imap-figures";
import { ImapCountingProxy } from "../imap-proxy";
import { rawlogDir } from "../stack";
import { inPage, openPage, timedAction, VIEWPORT, type Account, type BenchPage, type PageTimes } from "../ui";
import { RC_PROBE_SCRIPT } from "./probe";
import { BODY_NEEDLE, FROM_QUERY } from "../search-figures";
import { startRoundcube } from "./server";

type Log = (line: string) => void;

/** Time "spent reading" before the next message: more than Roundcube's preview_delay_select. */
const RC_READ_PAUSE_MS = 600;

/** Roundcube's list shows one page of this many rows (its `mail_pagesize` default). */
export const RC_PAGE_ROWS = 50;

/**
 * The searches, as a user types them into Roundcube's search box: its `from:` and `body:`
 * prefixes pick the IMAP SEARCH key (HEADER FROM, BODY). The same terms as Pismo's
 * (search-figures.ts): a sender of about a tenth of the seeded mail, and a word planted in one
 * message before either client searches.
 */
export const RC_SEARCHES = [
  { id: "from", query: FROM_QUERY, label: `\`${FROM_QUERY}\` (header)` },
  { id: "body", query: `body:${BODY_NEEDLE}`, label: `\`${BODY_NEEDLE}\` (a word in one message)` },
] as const;
export const RC_SCOPES = [
  { id: "folder", scope: "base", label: "current folder" },
  { id: "all", scope: "all", label: "all folders" },
] as const;

interface SignInMarks {
  start: number;
  form: { committed: number; painted: number } | null;
  submit: number | null;
  rows: { committed: number; painted: number };
}

async function rcPage(browser: Browser, url: string, viewport: { width: number; height: number }) {
  const bp = await openPage(browser, url, viewport);
  await bp.context.addInitScript({ content: RC_PROBE_SCRIPT });
  return bp;
}

/** Signs in through Roundcube's login form; with benchRows the page records the marks. */
async function rcSignIn(bp: BenchPage, account: Account, benchRows = 0): Promise<SignInMarks | null> {
  const { page } = bp;
  await page.goto(benchRows ? `/?benchRows=${benchRows}` : "/", { waitUntil: "commit" });
  await page.fill("#rcmloginuser", account.email);
  await page.fill("#rcmloginpwd", account.password);
  await page.click("#rcmloginsubmit");
  await page.waitForURL(/_task=mail/, { waitUntil: "commit", timeout: 60_000 });
  if (benchRows) {
    await page.waitForFunction("!!(window.__bench && window.__bench.rc && window.__bench.rc.signin)");
    return inPage<SignInMarks>(page, "window.__bench.rc.signin");
  }
  await page.locator("#messagelist tbody tr").first().waitFor({ timeout: 60_000 });
  await bp.meter.quiet();
  return null;
}

/** Cold sign-in to the first rows: a new context (empty cache and cookies) per sample. */
export async function measureRcSignIn(
  browser: Browser,
  url: string,
  account: Account,
  samples: number,
  log: Log,
  warmup: boolean,
): Promise<{ samples: SignInSample[]; firstLoad: ResponseRecord[] }> {
  const out: SignInSample[] = [];
  let firstLoad: ResponseRecord[] = [];
  for (let i = warmup ? -1 : 0; i < samples; i++) {
    const bp = await rcPage(browser, url, VIEWPORT.signIn);
    try {
      const m = await rcSignIn(bp, account, RC_PAGE_ROWS);
      if (!m?.form || m.submit === null) throw new Error("Roundcube sign-in: marks missing");
      const bytes = bp.meter.since();
      if (i < 0) continue;
      const typingMs = m.submit - m.form.painted;
      const sample: SignInSample = {
        ms: m.rows.painted - m.start,
        domMs: m.rows.committed - m.start,
        formMs: m.form.painted - m.start,
        submitToRowsMs: m.rows.painted - m.submit,
        typingMs,
        netMs: m.rows.painted - m.start - typingMs,
        bytes,
      };
      out.push(sample);
      if (i === 0) firstLoad = [...bp.meter.responses];
      log(
        `  Roundcube sign-in ${i + 1}/${samples}: ${sample.ms.toFixed(0)} ms to ${RC_PAGE_ROWS} rows (${sample.netMs.toFixed(0)} ms without typing), ${(bytes.down / 1000).toFixed(1)} kB down`,
      );
    } finally {
      await bp.close();
    }
  }
  return { samples: out, firstLoad };
}

const rowUid = (bp: BenchPage, selector: string) =>
  inPage<string | null>(
    bp.page,
    `window.__bench.rc.uid(document.querySelector(${JSON.stringify(selector)}))`,
  );

/** A click on a row until the preview shows its body; then ArrowDown to the next row. */
export async function measureRcReading(
  browser: Browser,
  url: string,
  account: Account,
  samples: number,
  log: Log,
): Promise<{ open: TimedSample[]; next: TimedSample[] }> {
  const open: TimedSample[] = [];
  const next: TimedSample[] = [];
  const bp = await rcPage(browser, url, VIEWPORT.desktop);
  try {
    await rcSignIn(bp, account);
    const { page } = bp;
    for (let k = 0; k < samples; k++) {
      // Rows far apart, as for Pismo; Roundcube shows one page of rows, so wrap within it.
      const index = (4 * k + 1) % (RC_PAGE_ROWS - 1);
      const row = `#messagelist tbody tr:nth-child(${index + 1})`;
      const uid = await rowUid(bp, row);
      await page.locator(row).scrollIntoViewIfNeeded();
      open.push(
        await timedAction(
          bp,
          `window.__bench.rc.arm('open', ${JSON.stringify({ uid })})`,
          () => page.locator(row).click(),
          "lastClick",
        ),
      );

      const nextUid = await rowUid(bp, `${row} + tr`);
      // Roundcube waits longer before loading the preview when selections come quickly one
      // after another (its preview_delay_select, 400 ms): a reader spends longer on a message.
      await page.waitForTimeout(RC_READ_PAUSE_MS);
      next.push(
        await timedAction(
          bp,
          `window.__bench.rc.arm('open', ${JSON.stringify({ uid: nextUid })})`,
          () => page.keyboard.press("ArrowDown"),
          "lastKey",
        ),
      );
      log(
        `  Roundcube open ${k + 1}/${samples}: ${open.at(-1)?.ms.toFixed(1)} ms; next (ArrowDown): ${next.at(-1)?.ms.toFixed(1)} ms`,
      );
    }
  } finally {
    await bp.close();
  }
  return { open, next };
}

/** A click on another folder until its rows are on screen; then back to the Inbox. */
export async function measureRcFolderSwitch(
  browser: Browser,
  url: string,
  account: Account,
  samples: number,
  log: Log,
): Promise<{ cold: TimedSample[]; warm: TimedSample[] }> {
  const bp = await rcPage(browser, url, VIEWPORT.desktop);
  try {
    await rcSignIn(bp, account);
    return await switchFolders(
      bp,
      "window.__bench.rc",
      "INBOX",
      (name) => bp.page.locator(`#mailboxlist a[rel=${JSON.stringify(name)}]`).click(),
      samples,
      (k, cold, warm) =>
        log(
          `  Roundcube folder ${k + 1}/${samples}: ${cold?.toFixed(1)} ms, back to Inbox ${warm?.toFixed(1)} ms`,
        ),
    );
  } finally {
    await bp.close();
  }
}

export interface RcSearchFigure {
  first: TimedSample[];
  complete: TimedSample[];
  /** Roundcube's count of matches (the same every sample). */
  matches: number;
}

/**
 * Search as a user runs it: the scope chosen in the search options menu, the query typed into
 * the search box, Enter; until the first result row is painted, and until Roundcube has
 * handled the whole answer. The search is reset between samples.
 */
export async function measureRcSearch(
  browser: Browser,
  url: string,
  account: Account,
  samples: number,
  log: Log,
): Promise<Record<string, RcSearchFigure>> {
  const out: Record<string, RcSearchFigure> = {};
  const bp = await rcPage(browser, url, VIEWPORT.desktop);
  try {
    await rcSignIn(bp, account);
    const { page, meter } = bp;
    for (const search of RC_SEARCHES)
      for (const scope of RC_SCOPES) {
        const fig: RcSearchFigure = { first: [], complete: [], matches: 0 };
        for (let k = 0; k < samples; k++) {
          if (await inPage<boolean>(page, "!!rcmail.env.search_request")) {
            await page.locator(".searchbar a.reset").click();
            await page.waitForFunction("!rcmail.busy && !rcmail.env.search_request && !rcmail.env.qsearch");
          }
          // The options button opens the search menu and closes it again (Escape does not).
          const options = page.locator('.searchbar a.options[data-target="searchmenu"]');
          await options.click();
          await page.selectOption("#s_scope", scope.scope);
          await options.click();
          await page.locator("#searchmenu").waitFor({ state: "hidden" });
          await page.fill("#mailsearchform", search.query);
          await meter.quiet();
          await inPage(page, "window.__bench.rc.arm('search', {})");
          meter.reset();
          await page.press("#mailsearchform", "Enter");
          const done = await inPage<PageTimes>(page, "window.__bench.result()");
          const first = await inPage<PageTimes>(page, "window.__bench.rc.first");
          const key = await inPage<number>(page, "window.__bench.lastKey");
          await meter.quiet();
          const bytes = meter.since();
          fig.first.push({ ms: first.painted - key, domMs: first.committed - key, bytes });
          fig.complete.push({ ms: done.painted - key, domMs: done.committed - key, bytes });
          fig.matches = await inPage<number>(page, "Number(rcmail.env.messagecount) || 0");
        }
        out[`${search.id}.${scope.id}`] = fig;
        log(
          `  Roundcube search ${search.query} in ${scope.label}: ${fig.matches} matches; first row ${fig.first.map((s) => s.ms.toFixed(0)).join(", ")} ms; complete ${fig.complete.map((s) => s.ms.toFixed(0)).join(", ")} ms`,
        );
      }
  } finally {
    await bp.close();
  }
  return out;
}

/** Roundcube's check for new mail, as the signed-in page has it (seconds). */
export async function readRefreshInterval(browser: Browser, url: string, account: Account): Promise<number> {
  const bp = await rcPage(browser, url, VIEWPORT.desktop);
  try {
    await rcSignIn(bp, account);
    return await inPage<number>(bp.page, "Number(rcmail.env.refresh_interval)");
  } finally {
    await bp.close();
  }
}

/**
 * IMAP traffic of one cold sign-in to Roundcube, through a second Roundcube that reaches
 * Dovecot via the counting proxy (as Pismo's count uses a second gateway). Roundcube is PHP:
 * every HTTP request that needs the mailbox opens, logs in and logs out its own connection.
 */
export async function countRcImap(
  browser: Browser,
  mail: MailServer,
  account: Account,
  log: Log,
): Promise<ImapCount> {
  const proxy = await ImapCountingProxy.start(mail.imapPort);
  const rc = await startRoundcube(proxy.port).catch(async (error: unknown) => {
    await proxy.stop();
    throw error;
  });
  try {
    const count = await countImapCommands(proxy, rawlogDir(mail, account), async () => {
      const bp = await rcPage(browser, rc.url, VIEWPORT.signIn);
      try {
        await rcSignIn(bp, account, RC_PAGE_ROWS);
        await bp.meter.quiet(1_000);
        return snapshotOf(proxy);
      } finally {
        await bp.close();
      }
    });
    log(
      `  Roundcube IMAP for one sign-in: ${count.connections} connection(s) (${count.loggedInConnections} logged in), ${count.commands} commands, ${count.proportional.length} proportional to the folder`,
    );
    return count;
  } finally {
    await rc.stop();
    await proxy.stop();
  }
}
