// The cold sign-in with and without the page's early sign-in form, in turn against one Dovecot
// and two gateways: one serves the build as it is, the other the same build with the early
// copies taken out of index.html (the app's code is the same; without the copies it renders its
// own form once it runs, as before the early form). Samples alternate, so both meet the same
// machine. `npx tsx e2e/bench/ab-sign-in.ts [rounds=6] [size=10000] [loopback|4g]` after
// `npx turbo run build`; `4g` loads the page over Chromium's emulated "Fast 4G" link (a phone).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { chromiumLaunch } from "../fixtures/chromium";
import { measureSignIn, type SignInSample } from "./imap-figures";
import { addUser, inboxAccount, seedBenchMailbox, snapshotWebApp, startBenchStack } from "./stack";
import { summarize } from "./stats";
import { FAST_4G } from "./ui";

const rounds = Number(process.argv[2] ?? 6);
const size = Number(process.argv[3] ?? 10_000);
const network = process.argv[4] === "4g" ? FAST_4G : undefined;

/** index.html without the early sign-in copies and their script, recompressed as the build does. */
async function withoutEarlyForm(dir: string): Promise<void> {
  const file = join(dir, "index.html");
  const html = await readFile(file, "utf8");
  const stripped = html
    .replace(/<div data-early-sign-in="[a-z]+"[\s\S]*?<\/main><\/div>/g, "")
    .replace(/<script>[\s\S]*?<\/script>/g, (script) =>
      script.includes("data-early-sign-in") ? "" : script,
    );
  if (stripped === html || stripped.includes("data-early-sign-in"))
    throw new Error("ab-sign-in: the build's index.html has no early form to take out");
  await writeFile(file, stripped);
  await writeFile(`${file}.br`, brotliCompressSync(stripped));
  await writeFile(`${file}.gz`, gzipSync(stripped, { level: 9 }));
}

async function main(): Promise<void> {
  const stack = await startBenchStack();
  const plainDir = await mkdtemp(join(tmpdir(), "pismo-ab-web-"));
  const browser = await chromium.launch({
    executablePath: chromiumLaunch.executablePath,
    args: chromiumLaunch.args,
  });
  try {
    await snapshotWebApp(plainDir);
    await withoutEarlyForm(plainDir);
    const plain = await stack.startGateway({ PISMO_STATIC_DIR: plainDir });
    const account = inboxAccount(size);
    await addUser(stack.mail, account);
    await seedBenchMailbox(stack.mail, account, { size, folders: 1 });
    const arms = { early: stack.gateway.url, plain: plain.url };
    const samples: Record<keyof typeof arms, SignInSample[]> = { early: [], plain: [] };
    const quiet = () => undefined;
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (["early", "plain"] as const) : (["plain", "early"] as const);
      for (const arm of order) {
        const { samples: got } = await measureSignIn(
          browser,
          arms[arm],
          account,
          2,
          quiet,
          round === 0,
          network,
        );
        samples[arm].push(...got);
        process.stderr.write(`round ${round + 1} ${arm}: ${got.map((s) => s.ms.toFixed(0)).join(", ")} ms\n`);
      }
    }
    const med = (xs: number[]) => summarize(xs).median.toFixed(0);
    for (const [arm, list] of Object.entries(samples))
      process.stdout.write(
        `${arm}: n=${list.length}, to rows ${med(list.map((s) => s.ms))} ms; form on screen ${med(list.map((s) => s.formMs))}; typing ${med(list.map((s) => s.typingMs))}; submit to rows ${med(list.map((s) => s.submitToRowsMs))}\n`,
      );
  } finally {
    await browser.close();
    await stack.stop();
    await rm(plainDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `ab-sign-in failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
