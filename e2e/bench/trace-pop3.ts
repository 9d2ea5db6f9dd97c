// `npx tsx e2e/bench/trace-pop3.ts [messages] [avgBytes]`: where the time of a POP3 pull goes.
// Starts the bench stack (a private Dovecot and the built gateway), seeds `messages` (default
// 1000) of about `avgBytes` (default 50,000), the benchmark's own, then:
//   1. Dovecot's floor: the same messages read over a raw POP3 socket, RETR one at a time as the
//      gateway asks them, nothing stored (the server's and the socket's time alone);
//   2. one pull through the UI, with every WebSocket frame's time from Chromium's network
//      events: when the plan came, when each tenth of the bodies arrived in the page, when each
//      acknowledgement left, and when "done" came and the page showed the outcome;
//      TRACE_PROFILE=1 adds the page's main-thread CPU profile over the pull.
// The difference between the body frames and the acknowledgements is the page's storing; the
// difference between Dovecot's floor and the body frames is the gateway's.
import net from "node:net";
import { chromium } from "@playwright/test";
import { measurePulledReading, seedPop3 } from "./pop3-figures";
import { CHROMIUM_ARGS } from "./run";
import { addUser, pop3Account, startBenchStack } from "./stack";
import { summarize } from "./stats";
import { openPage, signOutAndClose, VIEWPORT } from "./ui";

const messages = Number(process.argv[2] ?? 1000);
const avgBytes = Number(process.argv[3] ?? 50_000);

/** Reads every message over a raw socket, one RETR after the other; returns the ms it took. */
async function dovecotFloor(port: number, user: string, password: string, count: number): Promise<number> {
  const socket = net.connect(port, "127.0.0.1");
  socket.setNoDelay(true);
  let buffered: Buffer = Buffer.alloc(0);
  let waiting: { multi: boolean; resolve: (b: Buffer) => void } | null = null;
  const check = () => {
    if (!waiting) return;
    const end = waiting.multi ? buffered.indexOf("\r\n.\r\n") : buffered.indexOf("\r\n");
    if (end === -1) return;
    const stop = end + (waiting.multi ? 5 : 2);
    const answer = buffered.subarray(0, stop);
    buffered = buffered.subarray(stop);
    const w = waiting;
    waiting = null;
    w.resolve(answer);
  };
  socket.on("data", (chunk: Buffer) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    check();
  });
  const answer = (multi: boolean) =>
    new Promise<Buffer>((resolve) => {
      waiting = { multi, resolve };
      check();
    });
  await new Promise((r) => socket.once("connect", r));
  await answer(false);
  socket.write(`USER ${user}\r\n`);
  await answer(false);
  socket.write(`PASS ${password}\r\n`);
  await answer(false);
  const t0 = performance.now();
  for (let i = 1; i <= count; i++) {
    socket.write(`RETR ${i}\r\n`);
    await answer(true);
  }
  const ms = performance.now() - t0;
  socket.write("QUIT\r\n");
  await answer(false);
  socket.destroy();
  return ms;
}

const stack = await startBenchStack();
const browser = await chromium.launch({
  executablePath: process.env.PISMO_CHROMIUM ?? "/usr/lib/chromium/chromium",
  args: CHROMIUM_ARGS,
});
try {
  await addUser(stack.mail, pop3Account);
  const bytes = await seedPop3(stack.mail, pop3Account, messages, avgBytes);
  console.log(`seeded ${messages} messages, ${(bytes / 1e6).toFixed(1)} MB`);
  for (let i = 0; i < 2; i++) {
    const ms = await dovecotFloor(stack.mail.pop3Port, pop3Account.email, pop3Account.password, messages);
    console.log(`Dovecot's floor (raw socket, RETR one at a time, nothing stored): ${ms.toFixed(0)} ms`);
  }

  const bp = await openPage(browser, stack.gateway.url, VIEWPORT.desktop);
  try {
    const { page, cdp } = bp;
    // Chromium's network events carry a monotonic timestamp in seconds.
    const frames: Array<{ t: number; dir: "up" | "down"; binary: boolean; text: string; size: number }> = [];
    const record =
      (dir: "up" | "down") => (e: { timestamp: number; response: { opcode: number; payloadData: string } }) =>
        frames.push({
          t: e.timestamp * 1000,
          dir,
          binary: e.response.opcode === 2,
          text: e.response.opcode === 2 ? "" : e.response.payloadData,
          size: e.response.payloadData.length,
        });
    cdp.on("Network.webSocketFrameReceived", record("down"));
    cdp.on("Network.webSocketFrameSent", record("up"));
    await page.goto("/?lang=en", { waitUntil: "commit" });
    await page.getByLabel("Email address").fill(pop3Account.email);
    await page.getByLabel("Password").fill(pop3Account.password);
    await page.getByRole("radio", { name: "POP3" }).check();
    await page.getByRole("button", { name: "Sign in" }).click();
    const check = page.getByRole("button", { name: "Check mail" });
    await check.waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    frames.length = 0;
    const profiling = process.env.TRACE_PROFILE === "1";
    if (profiling) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
      await cdp.send("Profiler.start");
    }
    const started = Date.now();
    await check.click();
    await page
      .getByText(/New messages downloaded/)
      .first()
      .waitFor({ timeout: 120_000 });
    const wallMs = Date.now() - started;
    if (profiling) {
      // The page's main thread over the pull: self time per function (minified names unless
      // the build has source maps), idle included, so the busy share shows.
      const { profile } = await cdp.send("Profiler.stop");
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const self = new Map<string, number>();
      const deltas = profile.timeDeltas ?? [];
      (profile.samples ?? []).forEach((id, i) => {
        const f = byId.get(id)?.callFrame;
        const key = f
          ? `${f.functionName || "(anonymous)"} ${f.url.split("/").pop() ?? ""}:${f.lineNumber}`
          : "?";
        self.set(key, (self.get(key) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
      });
      console.log("the page's main thread during the pull, self time:");
      for (const [k, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25))
        console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${k}`);
    }
    const first = frames.find((f) => f.dir === "up");
    if (!first) throw new Error("no frame sent after the click");
    const at = (t: number) => `${(t - first.t).toFixed(0).padStart(6)} ms`;
    const bodies = frames.filter((f) => f.dir === "down" && f.binary);
    const acks = frames.filter((f) => f.dir === "up" && f.text.includes("pop3.ackMany"));
    const plan = frames.find((f) => f.dir === "down" && f.text.includes('"type":"plan"'));
    const done = frames.find((f) => f.dir === "down" && f.text.includes('"type":"done"'));
    console.log(`pull through the page: ${wallMs} ms from the click to the outcome shown (wall clock)`);
    if (plan) console.log(`  plan            ${at(plan.t)}`);
    for (let k = 1; k <= 10; k++) {
      const b = bodies[Math.ceil((bodies.length * k) / 10) - 1];
      if (b) console.log(`  bodies ${String(k * 10).padStart(3)} %   ${at(b.t)}`);
    }
    console.log(`  acknowledgements: ${acks.length}`);
    for (const a of acks) console.log(`  ack             ${at(a.t)}`);
    if (done) console.log(`  done            ${at(done.t)}`);

    // Reading what was pulled: a click on a row, then j, as the benchmark times them.
    const reading = await measurePulledReading(bp, messages, 10);
    const opens = reading.open.map((x) => x.ms);
    const nexts = reading.next.map((x) => x.ms);
    const line = (name: string, xs: number[]) => {
      const s = summarize(xs);
      console.log(
        `${name}: median ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms (${xs.length} samples)`,
      );
    };
    line("open a pulled message (click)", opens);
    line("next pulled message (j)", nexts);
  } finally {
    await signOutAndClose(bp).catch(() => undefined);
  }
} finally {
  await browser.close();
  await stack.stop();
}
