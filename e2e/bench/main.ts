// `npm run bench` (scripts/bench.sh) runs this: npx tsx e2e/bench/main.ts [--smoke] [--sizes=...] ...
import { readOptions } from "./options";
import { runBench } from "./run";

async function main(): Promise<void> {
  const options = readOptions();
  const run = await runBench(options);
  process.stdout.write(`${run.markdown}\n`);
  const missed = run.results.targets.filter((t) => !t.met);
  process.stderr.write(
    `\n${run.results.targets.length - missed.length} of ${run.results.targets.length} targets met${missed.length ? `; missed: ${missed.map((t) => t.id).join(", ")}` : ""}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
