// `npx tsx e2e/bench/sandboxed-frame-cost.ts [samples]`: what the sandboxed frame of an HTML
// body costs an open (bench/where-the-time-goes.md). In a blank page of the benchmark's
// Chromium, with the product's own message document and sandbox, it times from adding the frame
// to the paint after its load event (as the benchmark's open does), for: a new sandboxed frame
// (what an open does), a loaded sandboxed frame given a new document, and a new frame without
// the sandbox (the cost of the page itself); each with Chromium's default process isolation of
// sandboxed frames and without it.
import { chromium } from "@playwright/test";
import { MESSAGE_IFRAME_SANDBOX, buildMessageDocument } from "@pismo/protocol/html";
import { CHROMIUM_ARGS } from "./run";

const samples = Number(process.argv[2] ?? 25);
const body = buildMessageDocument(
  `<div style="font-family:sans-serif">${"<p>Poštovani, ovo je pasus poruke sa <b>malo</b> formatiranja.</p>".repeat(40)}</div>`,
  { allowRemote: false },
);

interface Times {
  newFrame: number[];
  newDocument: number[];
  unsandboxed: number[];
  newFrameWarm: number[];
}

const IN_PAGE = String.raw`async ({ body, sandbox, samples }) => {
  const host = document.getElementById("host");
  const painted = () => new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(0);
  }));
  const loaded = (frame) => new Promise((resolve) => frame.addEventListener("load", () => resolve(), { once: true }));
  const frameOf = (sandboxed, doc) => {
    const frame = document.createElement("iframe");
    if (sandboxed) frame.setAttribute("sandbox", sandbox);
    frame.srcdoc = doc;
    return frame;
  };
  const times = { newFrame: [], newDocument: [], unsandboxed: [], newFrameWarm: [] };
  for (let i = 0; i < samples; i++) {
    host.replaceChildren();
    await painted();
    let start = performance.now();
    const frame = frameOf(true, body + "<!--" + i + "-->");
    let load = loaded(frame);
    host.append(frame);
    await load;
    times.newFrame.push((await painted()) - start);

    await painted();
    start = performance.now();
    load = loaded(frame);
    frame.srcdoc = body + "<!--again " + i + "-->";
    await load;
    times.newDocument.push((await painted()) - start);

    host.replaceChildren();
    await painted();
    start = performance.now();
    const plain = frameOf(false, body + "<!--plain " + i + "-->");
    load = loaded(plain);
    host.append(plain);
    await load;
    times.unsandboxed.push((await painted()) - start);

    // Another sandboxed frame stays on the page (a message shown while the next one opens).
    host.replaceChildren();
    const keeper = frameOf(true, body + "<!--keeper " + i + "-->");
    load = loaded(keeper);
    host.append(keeper);
    await load;
    await painted();
    start = performance.now();
    const next = frameOf(true, body + "<!--next " + i + "-->");
    load = loaded(next);
    host.append(next);
    await load;
    times.newFrameWarm.push((await painted()) - start);
  }
  return times;
}`;

/** Runs `script` (a plain string, as page-probe.ts: no compiler helper may leak into the page)
 * with `args` in a blank page of a new browser of the benchmark's Chromium. */
async function inBlankPage<T>(extraArgs: string[], script: string, args: object): Promise<T> {
  const browser = await chromium.launch({
    executablePath: process.env.PISMO_CHROMIUM ?? "/usr/lib/chromium/chromium",
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
  try {
    const page = await browser.newPage();
    await page.setContent("<main id=host></main>");
    return (await page.evaluate(`(${script})(${JSON.stringify(args)})`)) as T;
  } finally {
    await browser.close();
  }
}

/** A fresh page's first sandboxed frame, with or without the warm-up frame the mailbox adds
 * (features/shared/frame-warmup.tsx: empty, hidden, same sandbox) half a second before. */
const FIRST_IN_PAGE = String.raw`async ({ body, sandbox, warm }) => {
  const painted = () => new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(0);
  }));
  if (warm) {
    const keeper = document.createElement("iframe");
    keeper.setAttribute("sandbox", sandbox);
    keeper.hidden = true;
    keeper.srcdoc = "";
    document.body.append(keeper);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  await painted();
  const start = performance.now();
  const frame = document.createElement("iframe");
  frame.setAttribute("sandbox", sandbox);
  frame.srcdoc = body;
  const load = new Promise((resolve) => frame.addEventListener("load", () => resolve(), { once: true }));
  document.getElementById("host").append(frame);
  await load;
  return (await painted()) - start;
}`;

async function firstFrame(extraArgs: string[], warm: boolean): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < 7; i++)
    times.push(
      await inBlankPage<number>(extraArgs, FIRST_IN_PAGE, { body, sandbox: MESSAGE_IFRAME_SANDBOX, warm }),
    );
  return times;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const row = (label: string, values: number[]) =>
  `| ${label} | ${quantile(values, 0.5).toFixed(1)} | ${quantile(values, 0.95).toFixed(1)} |`;

for (const [label, args] of [
  ["Chromium's defaults (sandboxed frames in a process of their own)", []],
  ["--disable-features=IsolateSandboxedIframes", ["--disable-features=IsolateSandboxedIframes"]],
] as const) {
  const t = await inBlankPage<Times>([...args], IN_PAGE, { body, sandbox: MESSAGE_IFRAME_SANDBOX, samples });
  console.log(`\n${label}, ${samples} samples: ms from adding the frame to the paint after its load`);
  console.log("| frame | median | p95 |\n| --- | --- | --- |");
  console.log(row("the page's first sandboxed frame (7 fresh browsers)", await firstFrame([...args], false)));
  console.log(row("the same, a warm-up frame added before", await firstFrame([...args], true)));
  console.log(row("new sandboxed frame (an open)", t.newFrame));
  console.log(row("loaded sandboxed frame, new document", t.newDocument));
  console.log(row("new sandboxed frame, another one on the page", t.newFrameWarm));
  console.log(row("new frame without sandbox", t.unsandboxed));
}
