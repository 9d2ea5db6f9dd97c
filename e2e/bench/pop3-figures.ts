import { randomBytes } from "node:crypto";
import type { Browser } from "@playwright/test";
import type { MailServer } from "@pismo/mail-harness";
import { buildMessage } from "@pismo/mail-harness/seed";
import type { GatewayProcess } from "../fixtures/gateway-process";
import type { ByteCount } from "./byte-meter";
import { processMemoryKB } from "./machine";
import type { TimedSample } from "./imap-figures";
import {
  inPage,
  openPage,
  scrollToRow,
  signOutAndClose,
  timedAction,
  VIEWPORT,
  type Account,
  type BenchPage,
} from "./ui";

type Log = (line: string) => void;

export interface ProgressSample {
  /** ms since the click on Check mail. */
  t: number;
  now: number | null;
  max: number | null;
  text: string | null;
}

export interface Pop3Result {
  measured: true;
  messages: number;
  serverBytes: number;
  /** Click on Check mail until the pull finished (button usable again, outcome shown). */
  pullMs: number;
  /** Click until the progress bar first showed. */
  firstProgressMs: number;
  gatewayRssBeforeKB: number;
  /** Peak of the gateway's RSS while pulling (sampled) and its high-water mark (VmHWM). */
  gatewayRssPeakKB: number;
  gatewayHwmKB: number;
  /** Peak JS heap of the page while pulling (CDP Performance.getMetrics JSHeapUsedSize). */
  browserHeapPeakBytes: number;
  browserHeapBeforeBytes: number;
  bytes: ByteCount;
  /** What the user saw: the progress bar sampled every 100 ms. */
  progress: ProgressSample[];
  progressUpdates: number;
  /** Longest time the bar's value stood still while the pull ran. */
  longestStallMs: number;
  /** Main-thread tasks over 50 ms during the pull (the page could not respond meanwhile). */
  longTasks: number;
  longestTaskMs: number;
  outcome: string;
  leftOnServer: number;
  /** Reading what was pulled: a click on a row until its body is painted, then j. */
  open: TimedSample[];
  next: TimedSample[];
}

export interface Pop3NotMeasured {
  measured: false;
  reason: string;
}

/** About `avg` bytes per message: a short text and an incompressible attachment. */
function pop3Message(i: number, avg: number, to: string): Uint8Array {
  const content = randomBytes(
    Math.max(1_000, Math.round((((avg - 1_500) * 3) / 4) * (0.5 + ((i * 7919) % 1000) / 1000))),
  );
  const raw = buildMessage({
    from: { name: "Pošiljalac", address: "posiljalac@primer.rs" },
    to,
    subject: `POP3 poruka ${i + 1}`,
    text: `Poruka ${i + 1} za preuzimanje.\n`,
    attachments: [{ filename: `prilog-${i + 1}.bin`, contentType: "application/octet-stream", content }],
  });
  return typeof raw === "string" ? Buffer.from(raw) : raw;
}

export async function seedPop3(
  mail: MailServer,
  account: Account,
  count: number,
  avgBytes: number,
): Promise<number> {
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const raw = pop3Message(i, avgBytes, account.email);
    bytes += raw.length;
    await mail.deliver(account.email, raw);
  }
  return bytes;
}

/**
 * POP3: one pull of every message into the browser's own storage, through the UI (`Check
 * mail`), with what the user sees meanwhile sampled. Reports "not measured" with the reason
 * when the build has no POP3 view to drive.
 */
export async function measurePop3(
  browser: Browser,
  gateway: GatewayProcess,
  mail: MailServer,
  account: Account,
  serverBytes: number,
  messages: number,
  log: Log,
  readingSamples = 0,
): Promise<Pop3Result | Pop3NotMeasured> {
  const pid = gateway.child.pid;
  if (pid === undefined) return { measured: false, reason: "the gateway process has no pid" };
  // If the gateway dies during the pull, that is the finding: keep its last words.
  let stderr = "";
  let exit: string | null = null;
  gateway.child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  gateway.child.once("exit", (code, signal) => {
    exit = `code ${code}, signal ${signal}`;
  });
  const gatewayDied = (): Pop3NotMeasured | null =>
    exit === null
      ? null
      : {
          measured: false,
          reason: `the gateway exited during the pull (${exit}); its last output: ${stderr.trim().split("\n").slice(-6).join(" | ").slice(0, 1_500) || "(none)"}`,
        };
  const bp = await openPage(browser, gateway.url, VIEWPORT.desktop);
  try {
    const { page, cdp, meter } = bp;
    await page.goto("/?lang=en", { waitUntil: "commit" });
    await page.getByLabel("Email address").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    const radio = page.getByRole("radio", { name: "POP3" });
    if ((await radio.count()) === 0)
      return { measured: false, reason: "the sign-in form has no POP3 choice in this build" };
    await radio.check();
    await page.getByRole("button", { name: "Sign in" }).click();
    const check = page.getByRole("button", { name: "Check mail" });
    try {
      await check.waitFor({ timeout: 20_000 });
    } catch {
      const alert = await page
        .getByRole("alert")
        .first()
        .textContent({ timeout: 500 })
        .catch(() => null);
      return {
        measured: false,
        reason: `no "Check mail" button after a POP3 sign-in in this build${alert ? ` (the page says: ${alert})` : ""}`,
      };
    }
    await cdp.send("Performance.enable", {});
    const heap = async () => {
      const { metrics } = await cdp.send("Performance.getMetrics", {});
      return metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? Number.NaN;
    };
    await meter.quiet();
    const gatewayRssBeforeKB = processMemoryKB(pid).rss;
    const browserHeapBeforeBytes = await heap();
    await inPage(
      page,
      "window.__bench.longTasks = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__bench.longTasks.push(e.duration); }).observe({ type: 'longtask' }); true",
    );
    meter.reset();
    await check.click();
    const clickAt = performance.now();
    const progress: ProgressSample[] = [];
    let gatewayRssPeakKB = gatewayRssBeforeKB;
    let browserHeapPeakBytes = browserHeapBeforeBytes;
    let started = false;
    let finishedAt = Number.NaN;
    const deadline = clickAt + 10 * 60_000;
    while (performance.now() < deadline) {
      if (gatewayDied()) break;
      gatewayRssPeakKB = Math.max(gatewayRssPeakKB, processMemoryKB(pid).rss);
      browserHeapPeakBytes = Math.max(browserHeapPeakBytes, await heap());
      const state = await inPage<{
        busy: boolean;
        now: number | null;
        max: number | null;
        text: string | null;
      }>(
        page,
        `(() => {
        const bar = document.querySelector('[role="progressbar"][aria-label="Downloading mail"]');
        const btn = Array.from(document.querySelectorAll('button')).find((b) => b.textContent.trim() === 'Check mail');
        const num = (v) => (v === null ? null : Number(v));
        return { busy: !btn || btn.disabled, now: bar ? num(bar.getAttribute('aria-valuenow')) : null, max: bar ? num(bar.getAttribute('aria-valuemax')) : null, text: bar ? bar.getAttribute('aria-valuetext') : null };
      })()`,
      );
      const t = performance.now() - clickAt;
      if (state.busy) started = true;
      progress.push({ t: Math.round(t), now: state.now, max: state.max, text: state.text });
      if (started && !state.busy) {
        finishedAt = t;
        break;
      }
      if (!started && t > 5_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const died = gatewayDied();
    if (died) return died;
    if (!started) return { measured: false, reason: "pressing Check mail started no download within 5 s" };
    if (!Number.isFinite(finishedAt))
      return { measured: false, reason: "the pull did not finish within 10 minutes" };
    await meter.quiet();
    const outcome =
      (await page
        .locator('[role="status"]:not([aria-label="Connection"])')
        .last()
        .textContent({ timeout: 2_000 })
        .catch(() => null)) ??
      (await page
        .getByRole("alert")
        .first()
        .textContent({ timeout: 500 })
        .catch(() => null)) ??
      "";
    const longTasks = await inPage<number[]>(page, "window.__bench.longTasks");
    const shown = progress.filter((p) => p.now !== null);
    let updates = 0;
    let longestStallMs = 0;
    let lastChange = shown[0]?.t ?? 0;
    for (let i = 1; i < shown.length; i++) {
      const a = shown[i - 1] as ProgressSample;
      const b = shown[i] as ProgressSample;
      if (a.now !== b.now) {
        updates++;
        lastChange = b.t;
      }
      longestStallMs = Math.max(longestStallMs, b.t - lastChange);
    }
    // The pull's bytes, before the reading below counts its own.
    const pullBytes = meter.since();
    const { open, next } = await measurePulledReading(bp, messages, readingSamples);
    if (open.length > 0)
      log(
        `  POP3 reading: open ${open.map((x) => x.ms.toFixed(1)).join(", ")} ms; next (j) ${next.map((x) => x.ms.toFixed(1)).join(", ")} ms`,
      );
    const left = (await mail.counts(account.email, "INBOX")).messages;
    const result: Pop3Result = {
      measured: true,
      messages,
      serverBytes,
      pullMs: finishedAt,
      firstProgressMs: shown[0]?.t ?? Number.NaN,
      gatewayRssBeforeKB,
      gatewayRssPeakKB,
      gatewayHwmKB: processMemoryKB(pid).hwm,
      browserHeapPeakBytes,
      browserHeapBeforeBytes,
      bytes: pullBytes,
      progress,
      progressUpdates: updates,
      longestStallMs,
      longTasks: longTasks.length,
      longestTaskMs: Math.max(0, ...longTasks),
      outcome: outcome.trim().replace(/\s+/g, " "),
      leftOnServer: left,
      open,
      next,
    };
    log(
      `  POP3: ${messages} messages (${(serverBytes / 1e6).toFixed(1)} MB) in ${(finishedAt / 1000).toFixed(1)} s; gateway RSS peak ${Math.round(gatewayRssPeakKB / 1024)} MB; page JS heap peak ${Math.round(browserHeapPeakBytes / 1e6)} MB; ${updates} progress updates, ${longTasks.length} long tasks; "${result.outcome}"`,
    );
    return result;
  } catch (error) {
    const died = gatewayDied();
    if (died) return died;
    throw error;
  } finally {
    await signOutAndClose(bp);
  }
}

/**
 * Reading what was pulled, as the IMAP figures read the Inbox: every fourth row opened with a
 * click, then the next one with j (its neighbours were read ahead), each once the page is quiet.
 */
export async function measurePulledReading(
  bp: BenchPage,
  messages: number,
  samples: number,
): Promise<{ open: TimedSample[]; next: TimedSample[] }> {
  const { page } = bp;
  const open: TimedSample[] = [];
  const next: TimedSample[] = [];
  const reads = Math.min(samples, Math.floor((messages - 2) / 4));
  for (let k = 0; k < reads; k++) {
    const index = 4 * k + 1;
    await scrollToRow(page, index);
    const row = `[role="grid"][aria-label="Messages"] [role="row"][aria-rowindex="${index + 1}"]`;
    open.push(
      await timedAction(bp, "window.__bench.arm('open')", () => page.locator(row).click(), "lastClick"),
    );
    next.push(await timedAction(bp, "window.__bench.arm('open')", () => page.keyboard.press("j"), "lastKey"));
  }
  return { open, next };
}
