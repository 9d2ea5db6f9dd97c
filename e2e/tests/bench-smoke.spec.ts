import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { defaultOptions, smokeOptions } from "../bench/options";
import { requiredNumbers, type BenchResults } from "../bench/report";
import { runBench } from "../bench/run";

// The benchmark at a tiny size, so that `npm run bench` cannot rot: every figure it reports
// must come out as a finite number (timing goals are the benchmark's business, not a test's).
test("the benchmark runs at a tiny size and reports every figure", async () => {
  test.setTimeout(600_000);
  const outDir = await mkdtemp(path.join(tmpdir(), "pismo-bench-smoke-"));
  try {
    const run = await runBench({ ...defaultOptions, ...smokeOptions, outDir, name: "smoke" });
    const results = JSON.parse(await readFile(run.jsonPath, "utf8")) as BenchResults;
    const markdown = await readFile(run.markdownPath, "utf8");
    expect(markdown).toContain("## Targets");
    // Without --with-roundcube, Roundcube's figures are the recorded ones, and say so.
    expect(results.roundcube.measured).toBe(false);
    expect(results.targets.find((t) => t.id === "signin")?.roundcube).toContain(
      "recorded earlier, not this run",
    );

    const size = smokeOptions.sizes?.[0] ?? 200;
    for (const id of [
      `signin.${size}`,
      `open.${size}`,
      `next.${size}`,
      `folder.${size}`,
      `folderWarm.${size}`,
    ]) {
      expect(results.figures[id], id).toBeDefined();
      expect(results.figures[id]?.ms.n, id).toBe(smokeOptions.samples);
    }
    // A pushed change that never arrives is reported as lost (a finding), not as a sample.
    expect((results.figures.newMail?.ms.n ?? 0) + results.lost.newMail.length).toBe(smokeOptions.liveSamples);
    expect((results.figures.readState?.ms.n ?? 0) + results.lost.readState.length).toBe(
      smokeOptions.liveSamples,
    );
    expect(results.figures.newMail?.ms.n).toBeGreaterThan(0);
    expect(results.figures.readState?.ms.n).toBeGreaterThan(0);
    expect(results.imap[String(size)]?.connections).toBeGreaterThan(0);
    expect(results.load.sessions).toBe(smokeOptions.idleSessions);
    expect(results.firstLoad.js.files).toBeGreaterThan(0);
    expect(results.targets.length).toBeGreaterThanOrEqual(9);

    const numbers = requiredNumbers(results);
    expect(numbers.length).toBeGreaterThan(100);
    expect(numbers.filter(([, v]) => !Number.isFinite(v)).map(([k]) => k)).toEqual([]);

    // POP3 is measured whenever the build can be driven through `Check mail`; otherwise the
    // results must say why, and never carry made-up figures.
    if (!results.pop3.measured) expect(results.pop3.reason).toMatch(/\S/);
    else expect(results.pop3.messages).toBe(smokeOptions.pop3Messages);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
