import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { defaultOptions, smokeOptions } from "../bench/options";
import type { BenchResults } from "../bench/report";
import { RECORDED_LABEL } from "../bench/roundcube/compare";
import { RC_SCOPES, RC_SEARCHES } from "../bench/roundcube/figures";
import { roundcubeMissing } from "../bench/roundcube/server";
import { runBench } from "../bench/run";

// `npm run bench -- --smoke --with-roundcube`: Roundcube measured in the same run as Pismo, so
// every Roundcube figure and ratio of the report comes from this run. Only where Debian's
// Roundcube is installed (the bench installs it when asked; the tests never do).
test("the benchmark measures Roundcube in the same run, with the same probes", async () => {
  const missing = roundcubeMissing();
  test.skip(missing !== null, missing ?? "");
  test.setTimeout(600_000);
  const outDir = await mkdtemp(path.join(tmpdir(), "pismo-bench-rc-smoke-"));
  try {
    const run = await runBench({
      ...defaultOptions,
      ...smokeOptions,
      // Roundcube's part only: the smoke test of the bench covers the rest.
      idleSessions: 1,
      pop3Messages: 0,
      outDir,
      name: "smoke",
      withRoundcube: true,
    });
    const results = JSON.parse(await readFile(run.jsonPath, "utf8")) as BenchResults;
    const rc = results.roundcube;
    expect(rc.measured).toBe(true);
    if (!rc.measured) return;
    expect(rc.failures).toEqual([]);
    expect(rc.version).toMatch(/^1\.6\./);
    expect(rc.refreshIntervalS).toBe(60);

    const size = smokeOptions.sizes?.[0] ?? 200;
    for (const id of [
      `signin.${size}`,
      `open.${size}`,
      `next.${size}`,
      `folder.${size}`,
      `folderWarm.${size}`,
    ]) {
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

    // The targets take Roundcube's side from this run; nothing is labelled as recorded.
    const signin = results.targets.find((t) => t.id === "signin");
    expect(signin?.roundcube).not.toContain(RECORDED_LABEL);
    expect(signin?.limit).toBeCloseTo((rc.figures[`signin.${size}`]?.ms.median ?? 0) / 3, 0);
    const markdown = await readFile(run.markdownPath, "utf8");
    expect(markdown).toContain("## Roundcube and Pismo, same run");
    expect(markdown).toContain(`Roundcube ${rc.version}, this run`);
    expect(markdown).not.toContain(RECORDED_LABEL);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
