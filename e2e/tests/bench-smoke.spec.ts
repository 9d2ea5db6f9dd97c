import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { toMarkdown } from "../bench/markdown";
import { defaultOptions, smokeOptions } from "../bench/options";
import { requiredNumbers, type BenchResults } from "../bench/report";
import { withTargets } from "../bench/results-files";
import { RECORDED_LABEL } from "../bench/roundcube/compare";
import { RC_SCOPES, RC_SEARCHES } from "../bench/roundcube/figures";
import { roundcubeMissing } from "../bench/roundcube/server";
import { runBench } from "../bench/run";

// `npm run bench -- --smoke`, so that the benchmark cannot rot: every figure it reports must come
// out as a finite number (timing goals are the benchmark's business, not a test's). One run
// measures Roundcube too (`--with-roundcube`) where Debian's Roundcube is installed, as the test
// command installs it: every Roundcube figure and ratio then comes from the same run, with the
// same probes. Where it is not installed, the run goes on without it, and the report must label
// Roundcube's figures as recorded earlier; that labelling is also checked on the measured run's
// own figures, judged again as if Roundcube had not been asked for.
test("the benchmark runs at a tiny size, measures Roundcube in the same run and reports every figure", async () => {
  test.setTimeout(900_000);
  const missing = roundcubeMissing();
  const outDir = await mkdtemp(path.join(tmpdir(), "pismo-bench-smoke-"));
  try {
    const run = await runBench({
      ...defaultOptions,
      ...smokeOptions,
      outDir,
      name: "smoke",
      withRoundcube: missing === null,
    });
    const results = JSON.parse(await readFile(run.jsonPath, "utf8")) as BenchResults;
    const markdown = await readFile(run.markdownPath, "utf8");
    expect(markdown).toContain("## Targets");

    const size = smokeOptions.sizes?.[0] ?? 200;
    const actions = [
      `signin.${size}`,
      `open.${size}`,
      `next.${size}`,
      `folder.${size}`,
      `folderWarm.${size}`,
    ];
    for (const id of actions) {
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

    // Roundcube measured in this run: its side of every target is from this run.
    const rc = results.roundcube;
    if (missing === null) {
      expect(rc.measured).toBe(true);
      if (!rc.measured) return;
      expect(rc.failures).toEqual([]);
      expect(rc.version).toMatch(/^1\.6\./);
      expect(rc.refreshIntervalS).toBe(60);
      for (const id of actions) {
        expect(rc.figures[id]?.ms.n, id).toBe(smokeOptions.samples);
        expect(rc.figures[id]?.ms.median, id).toBeGreaterThan(0);
      }
      for (const s of RC_SEARCHES)
        for (const scope of RC_SCOPES) {
          const key = `${s.id}.${scope.id}.${size}`;
          expect(rc.figures[`search.${key}`]?.ms.n, key).toBe(smokeOptions.samples);
          expect(rc.figures[`searchDone.${key}`]?.ms.median, key).toBeGreaterThan(0);
          expect(rc.searchMatches[key], key).toBeGreaterThan(0);
        }
      // Roundcube is PHP: each request that needs the mailbox logs in on its own connection.
      const imap = rc.imap[String(size)];
      expect(imap?.connections).toBeGreaterThan(1);
      expect(imap?.loggedInConnections).toBe(imap?.connections);
      expect(rc.firstLoad.coldSignInDown).toBeGreaterThan(100_000);
      const signin = results.targets.find((t) => t.id === "signin");
      expect(signin?.roundcube).not.toContain(RECORDED_LABEL);
      expect(signin?.limit).toBeCloseTo((rc.figures[`signin.${size}`]?.ms.median ?? 0) / 3, 0);
      expect(markdown).toContain("## Roundcube and Pismo, same run");
      expect(markdown).toContain(`Roundcube ${rc.version}, this run`);
      expect(markdown).not.toContain(RECORDED_LABEL);
    } else {
      test.info().annotations.push({ type: "roundcube", description: `not measured: ${missing}` });
      expect(rc.measured).toBe(false);
    }

    // Without Roundcube in the run, the report uses the figures recorded earlier, and says so.
    const alone = withTargets({
      ...results,
      roundcube: { measured: false, reason: "not asked for: npm run bench -- --with-roundcube" },
    });
    expect(alone.targets.find((t) => t.id === "signin")?.roundcube).toContain(RECORDED_LABEL);
    expect(toMarkdown(alone)).toContain(RECORDED_LABEL);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
