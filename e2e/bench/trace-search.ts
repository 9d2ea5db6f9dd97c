// `npx tsx e2e/bench/trace-search.ts [size] [samples] [query]`: where a search's time goes.
// Seeds an INBOX of `size` and the benchmark's folders, plants the body search's word, signs in
// through a timing proxy in front of Dovecot and runs the query (default `in:all from:jelena`),
// printing per sample the page's long animation frames (where its main thread fell behind the
// stream of answers), each WebSocket frame (timed by the page, from the first) and each IMAP line
// (from just before the Enter key). GATEWAY_PROFILE=1 adds the gateway's own CPU profile.
// The benchmark's figures for the same searches: `search-figures.ts`.
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS } from "./run";
import { plantNeedle } from "./search-figures";
import { gatewaySelfTimes, nodeProfiler, timedImapProxy } from "./trace-tools";
import { addUser, inboxAccount, seedBenchMailbox, startBenchStack } from "./stack";
import { inPage, openPage, signIn, signOutAndClose } from "./ui";

async function main() {
  const size = Number(process.argv[2] ?? 10_000);
  const samples = Number(process.argv[3] ?? 3);
  const query = process.argv[4] ?? "in:all from:jelena";
  const stack = await startBenchStack();
  const browser = await chromium.launch({
    executablePath: process.env.PISMO_CHROMIUM ?? "/usr/lib/chromium/chromium",
    args: CHROMIUM_ARGS,
  });
  const proxy = await timedImapProxy(stack.mail.imapPort);
  try {
    const account = inboxAccount(size);
    await addUser(stack.mail, account);
    await seedBenchMailbox(stack.mail, account, { size, folders: 15, ftsIndex: true });
    await plantNeedle(stack.mail, account);
    const profiling = process.env.GATEWAY_PROFILE === "1";
    const gateway = await stack.startGateway({
      PISMO_IMAP_PORT: String(proxy.port),
      ...(profiling ? { NODE_OPTIONS: "--inspect=127.0.0.1:9339" } : {}),
    });
    const profiler = profiling ? await nodeProfiler("127.0.0.1:9339") : null;
    const bp = await openPage(browser, gateway.url, { width: 1440, height: 900 });
    await signIn(bp, account);
    const { page, cdp } = bp;
    const box = page.getByRole("search").getByRole("searchbox", { name: "Search mail" });
    for (let k = 0; k < samples; k++) {
      await box.fill(query);
      await new Promise((r) => setTimeout(r, 500));
      const frames: { t: number; dir: string; text: string }[] = [];
      const on = (dir: string) => (e: { timestamp: number; response: { payloadData: string } }) =>
        frames.push({ t: e.timestamp, dir, text: e.response.payloadData });
      const up = on("up");
      const down = on("down");
      cdp.on("Network.webSocketFrameSent", up);
      cdp.on("Network.webSocketFrameReceived", down);
      const from = proxy.lines.length;
      const t0 = await inPage<number>(page, "performance.timeOrigin + performance.now()");
      await inPage(
        page,
        `(() => { window.__loaf = []; const o = new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__loaf.push([e.startTime, e.duration, e.blockingDuration, (e.scripts || []).map((x) => [x.invoker, Math.round(x.duration), x.sourceFunctionName].join(":")).join(" | ")]); }); o.observe({ type: "long-animation-frame" }); window.__loafObs = o; return true; })()`,
      );
      const p0 = await inPage<number>(page, "performance.now()");
      await box.press("Enter");
      await page
        .getByRole("status", { name: "Search results" })
        .filter({ hasText: /found in/ })
        .waitFor();
      const t1 = await inPage<number>(page, "performance.timeOrigin + performance.now()");
      await new Promise((r) => setTimeout(r, 300));
      const loaf = await inPage<Array<[number, number, number, string]>>(
        page,
        "(window.__loafObs.disconnect(), window.__loaf)",
      );
      for (const [st, d, b, sc] of loaf)
        process.stdout.write(
          `  loaf +${(st - p0).toFixed(1)} dur ${d.toFixed(1)} blocking ${b.toFixed(1)} ${sc.slice(0, 200)}\n`,
        );
      cdp.off("Network.webSocketFrameSent", up);
      cdp.off("Network.webSocketFrameReceived", down);
      const first = frames[0]?.t ?? 0;
      process.stdout.write(
        `sample ${k + 1}: found-in status seen at +${(t1 - t0).toFixed(1)} ms (from before the key)\n`,
      );
      for (const f of frames)
        process.stdout.write(
          `  ws ${f.dir.padEnd(4)} +${((f.t - first) * 1000).toFixed(1).padStart(6)} (first frame)  ${f.text.slice(0, 150)}\n`,
        );
      for (const l of proxy.lines.slice(from))
        process.stdout.write(`  imap +${(l.t - t0).toFixed(1).padStart(6)}  ${l.text}\n`);
      await box.press("Escape");
      await page.getByRole("status", { name: "Search results" }).waitFor({ state: "detached" });
    }
    if (profiler)
      process.stdout.write(
        `gateway, self time over the run:\n${(await gatewaySelfTimes(await profiler.stop())).join("\n")}\n`,
      );
    await signOutAndClose(bp);
  } finally {
    proxy.stop();
    await browser.close();
    await stack.stop();
  }
}
main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
