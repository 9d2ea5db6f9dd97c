// `npx tsx e2e/bench/trace-reading.ts [size] [samples]`: where the time of opening a message,
// the next one (j) and a folder switch goes. Starts the bench stack (a private Dovecot and the
// built gateway), seeds an INBOX of `size` and folders of 200, signs in, then opens rows, presses
// j, and switches to each folder and back to the Inbox, timed with the benchmark's page probe.
// TRACE_MODE says what is recorded around each action:
//   trace (default): Chromium's trace: the page's main-thread tasks from the input for 60 ms, and
//     at the end each action's median task that committed the change and the next frame's task;
//   profile: the page's CPU profile from the press to the commit (its answer's task included),
//     by source function: needs the web app built with `productionBrowserSourceMaps: true` (the
//     window starts at the first sample in the app's own code, `src/features/`, or React's
//     `dispatchDiscreteEvent`: names only the source maps give; without them it finds none);
//   wire: the WebSocket's frames and, through a timing proxy in front of Dovecot, the IMAP lines;
//   none: only the times; each action's median and p95 at the end.
// GATEWAY_PROFILE=1 adds the gateway's own CPU profile over the whole run (Node's inspector).
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { SourceMapConsumer } from "source-map-js";
import { chromium, type CDPSession } from "@playwright/test";
import { CHROMIUM_ARGS } from "./run";
import { summarize } from "./stats";
import {
  gatewaySelfTimes,
  nodeProfiler,
  tally,
  tallyLines,
  timedImapProxy,
  type Profile,
  type ProfileNode,
  type Tally,
} from "./trace-tools";
import { addUser, inboxAccount, seedBenchMailbox, startBenchStack, switchFolderNames } from "./stack";
import { inPage, openPage, scrollToRow, signIn, signOutAndClose, type PageTimes } from "./ui";

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { data?: Record<string, unknown>; name?: string };
}

const CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "disabled-by-default-devtools.timeline.frame",
  "toplevel",
].join(",");

async function traced(cdp: CDPSession, act: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  // Chrome's trace events, typed by the protocol as string maps.
  const onData = (e: { value: object[] }) => {
    events.push(...(e.value as TraceEvent[]));
  };
  cdp.on("Tracing.dataCollected", onData);
  await cdp.send("Tracing.start", { categories: CATEGORIES, transferMode: "ReportEvents" });
  await act();
  const done = new Promise<void>((resolve) => cdp.once("Tracing.tracingComplete", () => resolve()));
  await cdp.send("Tracing.end");
  await done;
  cdp.off("Tracing.dataCollected", onData);
  return events;
}

/** The main thread's tasks from the input event on, for `windowMs`, as lines of text. */
function describe(
  events: TraceEvent[],
  inputType: string,
  windowMs: number,
  committedMs: number,
  into: { commitTask: number[]; frameTask: number[] },
): string[] {
  const threadNames = new Map<string, string>();
  for (const e of events)
    if (e.ph === "M" && e.name === "thread_name") threadNames.set(`${e.pid}:${e.tid}`, String(e.args?.name));
  const input = events.find((e) => e.name === "EventDispatch" && e.args?.data?.type === inputType);
  if (!input) return [`(no ${inputType} in the trace)`];
  const main = `${input.pid}:${input.tid}`;
  const t0 = input.ts;
  const end = t0 + windowMs * 1000;
  const onMain = events.filter(
    (e) => `${e.pid}:${e.tid}` === main && e.ph === "X" && e.ts >= t0 - 2000 && e.ts <= end,
  );
  const tasks = onMain
    .filter((e) => e.name === "ThreadControllerImpl::RunTask" && (e.dur ?? 0) >= 200)
    .sort((a, b) => a.ts - b.ts);
  const lines: string[] = [];
  const ms = (us: number) => (us / 1000).toFixed(1);
  // The task the change was committed in (the probe's time of the commit falls inside it), and
  // the first frame's task after it (style, layout and paint).
  const at = t0 + committedMs * 1000;
  const commit = tasks.find((task) => task.ts - 1000 <= at && at <= task.ts + (task.dur ?? 0) + 1000);
  if (commit) {
    into.commitTask.push((commit.dur ?? 0) / 1000);
    const frame = tasks.find(
      (task) =>
        task.ts > commit.ts &&
        onMain.some((e) => e.name === "Layout" && e.ts >= task.ts && e.ts <= task.ts + (task.dur ?? 0)),
    );
    if (frame) into.frameTask.push((frame.dur ?? 0) / 1000);
  }
  for (const task of tasks) {
    const inside = onMain.filter(
      (e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + (task.dur ?? 0),
    );
    const parts = inside
      .filter(
        (e) => (e.dur ?? 0) >= 300 && e.name !== "ThreadControllerImpl::RunTask" && e.name !== "RunTask",
      )
      .map((e) => {
        const d = e.args?.data;
        const what = d?.type ?? d?.functionName ?? (d?.url ? String(d.url).split("/").pop() : "");
        return `${e.name}${what ? `(${String(what)})` : ""} ${ms(e.dur ?? 0)}`;
      });
    lines.push(
      `  +${ms(task.ts - t0).padStart(5)} ms  task ${ms(task.dur ?? 0)} ms: ${parts.slice(0, 8).join(", ")}`,
    );
  }
  const frames = events
    .filter(
      (e) =>
        `${e.pid}:${e.tid}` !== main &&
        (e.name === "DrawFrame" || e.name === "Display::DrawAndSwap") &&
        e.ts >= t0 &&
        e.ts <= end,
    )
    .map((e) => `${threadNames.get(`${e.pid}:${e.tid}`) ?? e.tid} ${e.name} +${ms(e.ts - t0)}`);
  if (frames.length) lines.push(`  frames: ${frames.join("; ")}`);
  return lines;
}

/**
 * Self and total time per function from the input to the commit: the samples from the first one
 * in the app's own handlers (the press, the click or the key; under Preact there is no React
 * `dispatchDiscreteEvent`) for as long as the page took to commit the change (`windows[i]`, ms,
 * and 3 ms for the press before the click). Mapped through the build's source maps when it has
 * them (`productionBrowserSourceMaps`).
 */
async function inputTaskTimes(profiles: Profile[], windows: number[], staticDir: string): Promise<string[]> {
  const maps = new Map<string, SourceMapConsumer | null>();
  const names = new Map<string, string>();
  const name = async (f: ProfileNode["callFrame"]): Promise<string> => {
    const id = `${f.url}:${f.lineNumber}:${f.columnNumber}:${f.functionName}`;
    const known = names.get(id);
    if (known) return known;
    let result = f.functionName || f.url || "(program)";
    if (f.url.includes("/_next/")) {
      const file = `${staticDir}${new URL(f.url).pathname}`;
      if (!maps.has(file)) {
        const js = await readFile(file, "utf8").catch(() => "");
        const mapName = /sourceMappingURL=(\S+)\s*$/.exec(js)?.[1];
        const text = mapName ? await readFile(join(dirname(file), mapName), "utf8").catch(() => null) : null;
        maps.set(file, text ? new SourceMapConsumer(JSON.parse(text)) : null);
      }
      const map = maps.get(file);
      if (!map) result = `${f.functionName} ${f.url.split("/").pop()}:${f.columnNumber}`;
      else {
        const pos = map.originalPositionFor({ line: f.lineNumber + 1, column: f.columnNumber });
        const src = (pos.source ?? "?").replace(/^.*?(node_modules|src)\//, "$1/");
        result = `${pos.name ?? f.functionName ?? "?"} ${src}:${pos.line}`;
      }
    }
    names.set(id, result);
    return result;
  };
  const sum: Tally = { self: new Map(), total: new Map(), ms: 0 };
  for (const [n, p] of profiles.entries()) {
    let from: number | null = null;
    await tally(sum, p, name, (t, stack) => {
      // The press's handler is the first of the app's code to run after the profile starts.
      if (
        from === null &&
        stack.some((f) => f.startsWith("dispatchDiscreteEvent") || f.includes(" src/features/"))
      )
        from = t;
      return from !== null && t <= from + (windows[n] ?? 0) + 3;
    });
  }
  return [
    `  sampled from the input to the commit: ${(sum.ms / profiles.length).toFixed(2)} ms per sample`,
    ...tallyLines(sum, profiles.length, 25, 60),
  ];
}

type Mode = "trace" | "profile" | "none" | "wire";

interface Action {
  label: string;
  /** The DOM event the action starts with, as the trace names it. */
  inputType: "click" | "keydown";
  arm: string;
  act: () => Promise<unknown>;
  origin: "lastClick" | "lastKey";
}

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 10_000);
  const samples = Number(process.argv[3] ?? 5);
  const mode = (process.env.TRACE_MODE ?? "trace") as Mode;
  const stack = await startBenchStack();
  const browser = await chromium.launch({
    executablePath: process.env.PISMO_CHROMIUM ?? "/usr/lib/chromium/chromium",
    args: CHROMIUM_ARGS,
  });
  const proxy = mode === "wire" ? await timedImapProxy(stack.mail.imapPort) : null;
  try {
    const account = inboxAccount(size);
    await addUser(stack.mail, account);
    await seedBenchMailbox(stack.mail, account, { size, folders: samples });
    const profileGateway = process.env.GATEWAY_PROFILE === "1";
    const gateway =
      proxy || profileGateway
        ? await stack.startGateway({
            ...(proxy ? { PISMO_IMAP_PORT: String(proxy.port) } : {}),
            ...(profileGateway ? { NODE_OPTIONS: "--inspect=127.0.0.1:9339" } : {}),
          })
        : stack.gateway;
    const gatewayProfiler = profileGateway ? await nodeProfiler("127.0.0.1:9339") : null;
    const bp = await openPage(browser, gateway.url, { width: 1440, height: 900 });
    await signIn(bp, account);
    const { page, cdp } = bp;
    // Every request the page sends, with the page's time: printed after each action, from its input.
    await page.evaluate(`(() => {
      const w = window; w.__sent = [];
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (data) {
        w.__sent.push([performance.now(), String(data).replace(/"input":/g, "").slice(0, 110)]);
        return send.call(this, data);
      };
    })()`);
    const profiles = new Map<string, Profile[]>();
    const windows = new Map<string, number[]>();
    const painted = new Map<string, number[]>();
    const taskTimes = new Map<string, { commitTask: number[]; frameTask: number[] }>();
    if (mode === "profile") {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    }
    const run = async ({ label, inputType, arm, act, origin }: Action, k: number) => {
      await bp.meter.quiet();
      await inPage(page, arm);
      let took = "";
      const measure = async () => {
        bp.meter.reset();
        await act();
        const t = await inPage<PageTimes>(page, "window.__bench.result()");
        const at = await inPage<number>(page, `window.__bench.${origin}`);
        windows.set(label, [...(windows.get(label) ?? []), t.committed - at + 0.5]);
        painted.set(label, [...(painted.get(label) ?? []), t.painted - at]);
        await bp.meter.quiet();
        const bytes = bp.meter.since();
        const sent = await inPage<[number, string][]>(page, "window.__sent.splice(0)");
        if (process.env.TRACE_SENT === "1")
          for (const [t, text] of sent) process.stdout.write(`  sent +${(t - at).toFixed(1)} ms  ${text}\n`);
        took = `DOM ${(t.committed - at).toFixed(1)} ms, painted ${(t.painted - at).toFixed(1)} ms; until the network is quiet: ${(bytes.down / 1000).toFixed(1)} kB down, ${(bytes.up / 1000).toFixed(1)} kB up`;
      };
      let detail: string[] = [];
      if (mode === "wire") {
        // The WebSocket's frames, from the input: when each request left and each answer came.
        const frames: { t: number; dir: string; text: string }[] = [];
        const onSent = (e: { timestamp: number; response: { payloadData: string } }) =>
          frames.push({ t: e.timestamp, dir: "up", text: e.response.payloadData });
        const onReceived = (e: { timestamp: number; response: { payloadData: string } }) =>
          frames.push({ t: e.timestamp, dir: "down", text: e.response.payloadData });
        cdp.on("Network.webSocketFrameSent", onSent);
        cdp.on("Network.webSocketFrameReceived", onReceived);
        const imapFrom = proxy?.lines.length ?? 0;
        await measure();
        cdp.off("Network.webSocketFrameSent", onSent);
        cdp.off("Network.webSocketFrameReceived", onReceived);
        const originMs = await inPage<number>(page, `performance.timeOrigin + window.__bench.${origin}`);
        // CDP's frame timestamps are seconds on a monotonic clock: shown from the first frame.
        const first = frames[0]?.t ?? 0;
        detail = [
          ...frames.map(
            (f) =>
              `  ws ${f.dir.padEnd(4)} +${((f.t - first) * 1000).toFixed(1).padStart(6)} ms (from the first frame)  ${f.text.slice(0, 120)}`,
          ),
          ...(proxy?.lines.slice(imapFrom) ?? []).map(
            (l) => `  imap +${(l.t - originMs).toFixed(1).padStart(6)} ms (from the input)  ${l.text}`,
          ),
        ];
      } else if (mode === "none") await measure();
      else if (mode === "profile") {
        await cdp.send("Profiler.start");
        await measure();
        const { profile } = (await cdp.send("Profiler.stop")) as { profile: Profile };
        profiles.set(label, [...(profiles.get(label) ?? []), profile]);
      } else {
        const events = await traced(cdp, measure);
        const into = taskTimes.get(label) ?? { commitTask: [], frameTask: [] };
        taskTimes.set(label, into);
        const committed = (windows.get(label) ?? []).at(-1) ?? 0;
        detail = describe(events, inputType, 60, committed - 0.5, into);
      }
      process.stdout.write(`${label} ${k + 1}: ${took}\n${detail.map((l) => `${l}\n`).join("")}`);
    };
    const grid = `[role="grid"][aria-label="Messages"]`;
    for (let k = 0; k < samples; k++) {
      const index = 4 * k + 1;
      await scrollToRow(page, index);
      const row = page.locator(`${grid} [role="row"][aria-rowindex="${index + 1}"]`);
      await run(
        {
          label: "open (click)",
          inputType: "click",
          arm: "window.__bench.arm('open')",
          act: () => row.click(),
          origin: "lastClick",
        },
        k,
      );
      await run(
        {
          label: "next (j)",
          inputType: "keydown",
          arm: "window.__bench.arm('open')",
          act: () => page.keyboard.press("j"),
          origin: "lastKey",
        },
        k,
      );
    }
    const nav = page.getByRole("navigation", { name: "Folders" });
    for (const [k, name] of switchFolderNames(samples).entries())
      for (const [label, to] of [
        ["folder, first visit", name],
        ["back to the Inbox", "Inbox"],
      ] as const)
        await run(
          {
            label,
            inputType: "click",
            arm: `window.__bench.arm('folder', ${JSON.stringify({ name: to, minRows: 10 })})`,
            act: () => nav.getByRole("button", { name: new RegExp(`^${to}`) }).click(),
            origin: "lastClick",
          },
          k,
        );
    for (const [label, times] of painted) {
      const { median, p95, n } = summarize(times);
      const dom = summarize((windows.get(label) ?? []).map((w) => w - 0.5));
      process.stdout.write(
        `${label}: DOM ready, median ${dom.median} ms; painted, median ${median} ms, p95 ${p95} ms (${n} samples)\n`,
      );
    }
    for (const [label, { commitTask, frameTask }] of taskTimes)
      process.stdout.write(
        `${label}: the commit's task, median ${summarize(commitTask).median} ms; the next frame's task, median ${summarize(frameTask).median} ms\n`,
      );
    for (const [label, list] of profiles)
      process.stdout.write(
        `${label}, from the input to the commit, per sample:\n${(await inputTaskTimes(list, windows.get(label) ?? [], stack.staticDir)).join("\n")}\n`,
      );
    if (gatewayProfiler) {
      const profile = await gatewayProfiler.stop();
      process.stdout.write(
        `gateway, self time over the run:\n${(await gatewaySelfTimes(profile)).join("\n")}\n`,
      );
    }
    await signOutAndClose(bp);
  } finally {
    proxy?.stop();
    await browser.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `trace-reading failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
