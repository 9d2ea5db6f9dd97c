// `npm run bench:rerender -- bench/results/latest.json`: judges a recorded run again by the
// targets as they are written now and rewrites its .json and .md beside it. The figures are the
// run's own; nothing is measured.
import path from "node:path";
import { readFile } from "node:fs/promises";
import type { BenchResults } from "./report";
import { withTargets, writeResults } from "./results-files";

async function main(): Promise<void> {
  const files = process.argv.slice(2).filter((a) => a !== "--");
  if (files.length === 0)
    throw new Error("name a results file: npm run bench:rerender -- bench/results/latest.json");
  for (const file of files) {
    if (!file.endsWith(".json")) throw new Error(`${file}: a bench results file ends in .json`);
    const { targets: _old, ...partial } = JSON.parse(await readFile(file, "utf8")) as BenchResults;
    const results = withTargets(partial);
    await writeResults(results, path.dirname(path.resolve(file)), path.basename(file, ".json"));
    const missed = results.targets.filter((t) => !t.met).map((t) => t.id);
    process.stderr.write(
      `${file}: ${results.targets.length - missed.length} of ${results.targets.length} targets met${missed.length ? `; missed: ${missed.join(", ")}` : ""}\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:rerender failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
