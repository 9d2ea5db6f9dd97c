import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { toMarkdown } from "./markdown";
import type { BenchResults } from "./report";
import { computeTargets } from "./targets";

/** A run's figures with its targets judged by the targets as they are written now. */
export function withTargets(partial: Omit<BenchResults, "targets">): BenchResults {
  return { ...partial, targets: computeTargets(partial) };
}

/** Writes <name>.json and <name>.md into outDir, each whole or not at all (a temp file, then a rename). */
export async function writeResults(
  results: BenchResults,
  outDir: string,
  name: string,
): Promise<{ jsonPath: string; markdownPath: string; markdown: string }> {
  const markdown = toMarkdown(results);
  await mkdir(outDir, { recursive: true });
  const jsonPath = path.join(outDir, `${name}.json`);
  const markdownPath = path.join(outDir, `${name}.md`);
  await writeFile(`${jsonPath}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  await rename(`${jsonPath}.tmp`, jsonPath);
  await writeFile(`${markdownPath}.tmp`, `${markdown}\n`);
  await rename(`${markdownPath}.tmp`, markdownPath);
  return { jsonPath, markdownPath, markdown };
}
