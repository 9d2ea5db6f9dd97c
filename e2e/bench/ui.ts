import type { Browser, BrowserContext, CDPSession, Page } from "@playwright/test";
import { ByteMeter } from "./byte-meter";
import { PROBE_SCRIPT } from "./page-probe";

export interface Account {
  email: string;
  password: string;
}

/** A page with its own context (cookies, cache, storage): one "device". */
export interface BenchPage {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  meter: ByteMeter;
  close(): Promise<void>;
}

/** 50 rows of 64 px must fit on screen for the sign-in figure; a desktop for the rest. */
export const VIEWPORT = {
  signIn: { width: 1280, height: 3600 },
  desktop: { width: 1440, height: 900 },
  live: { width: 1280, height: 2400 },
} as const;

export interface PageTimes {
  committed: number;
  painted: number;
}

/** A link slower than loopback (Chromium's network emulation; HTTP only, not WebSocket frames). */
export interface NetworkConditions {
  latencyMs: number;
  downloadKbps: number;
  uploadKbps: number;
}

/** Chrome DevTools' "Fast 4G": a phone on a good mobile link. */
export const FAST_4G: NetworkConditions = { latencyMs: 60, downloadKbps: 9_000, uploadKbps: 1_500 };

export async function openPage(
  browser: Browser,
  baseURL: string,
  viewport: { width: number; height: number },
  network?: NetworkConditions,
): Promise<BenchPage> {
  const context = await browser.newContext({
    baseURL,
    viewport,
    locale: "en-US",
    timezoneId: "Europe/Belgrade",
  });
  await context.addInitScript({ content: PROBE_SCRIPT });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const meter = await ByteMeter.attach(cdp);
  if (network)
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: network.latencyMs,
      downloadThroughput: (network.downloadKbps * 1000) / 8,
      uploadThroughput: (network.uploadKbps * 1000) / 8,
    });
  return {
    context,
    page,
    cdp,
    meter,
    async close() {
      await context.close().catch(() => undefined);
    },
  };
}

/** Runs a page-side expression (a string, so no compiler helper can leak into the page). */
export function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

export interface SignInMarks {
  formReady: number;
  formPainted: number;
  submit: number;
  rowsCommitted: number;
  rowsPainted: number;
}

/**
 * Signs in through the form as a user would. With benchRows, the page records when the form
 * was ready, when it was submitted, and when that many rows were on screen.
 */
export async function signIn(
  bp: BenchPage,
  account: Account,
  opts: { benchRows?: number; timeoutMs?: number } = {},
): Promise<SignInMarks | null> {
  const { page } = bp;
  await page.goto(`/?lang=en${opts.benchRows ? `&benchRows=${opts.benchRows}` : ""}`, {
    waitUntil: "commit",
  });
  await page.getByLabel("Email address").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (opts.benchRows) return inPage<SignInMarks>(page, "window.__bench.signin");
  await page
    .getByRole("grid", { name: "Messages" })
    .getByRole("row")
    .first()
    .waitFor({ timeout: opts.timeoutMs ?? 60_000 });
  return null;
}

/** Ends the session on the gateway too (its IMAP connection closes), then the context. */
export async function signOutAndClose(bp: BenchPage): Promise<void> {
  await bp.page
    .evaluate("fetch('/api/session', { method: 'DELETE', credentials: 'include' }).then((r) => r.status)")
    .catch(() => undefined);
  await bp.close();
}

/** Scrolls the message list so that row `index` (0-based) is near the top, and waits for it. */
export async function scrollToRow(page: Page, index: number): Promise<void> {
  await page.evaluate(
    `(() => { const g = document.querySelector('[role="grid"][aria-label="Messages"]'); g.scrollTop = Math.max(0, ${index} * 64 - 64); })()`,
  );
  await page
    .locator(`[role="grid"][aria-label="Messages"] [role="row"][aria-rowindex="${index + 1}"]`)
    .waitFor({ timeout: 30_000 });
}

export async function timeOrigin(page: Page): Promise<number> {
  return inPage<number>(page, "performance.timeOrigin");
}

/**
 * One timed action, the same for Pismo and Roundcube: once the network is quiet, arm the page's
 * probe (`arm` is the expression that does it), act, and take the time from the click or key
 * (`origin`) to the result painted, and the bytes the action moved until the network is quiet.
 */
export async function timedAction(
  bp: BenchPage,
  arm: string,
  act: () => Promise<unknown>,
  origin: "lastClick" | "lastKey",
): Promise<{ ms: number; domMs: number; bytes: ReturnType<BenchPage["meter"]["since"]> }> {
  await bp.meter.quiet();
  await inPage(bp.page, arm);
  bp.meter.reset();
  await act();
  const t = await inPage<PageTimes>(bp.page, "window.__bench.result()");
  const at = await inPage<number>(bp.page, `window.__bench.${origin}`);
  await bp.meter.quiet();
  return { ms: t.painted - at, domMs: t.committed - at, bytes: bp.meter.since() };
}
