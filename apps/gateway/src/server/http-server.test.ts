import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../log";
import { createHttpServer } from "./http-server";

describe("the static export", () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it("a file gone since the gateway started ends its answer, not the gateway", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pismo-static-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, "index.html"), "<!doctype html><p>Pismo</p>");
    await writeFile(join(dir, "app.js"), "console.log(1)");
    const lines: string[] = [];
    const server = createHttpServer({
      staticDir: dir,
      log: createLogger("warn", (line) => lines.push(line)),
      routes: new Map(),
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    expect(await (await fetch(`${base}/app.js`)).text()).toBe("console.log(1)");
    // A build writes a new export over the old one while the gateway runs.
    await unlink(join(dir, "app.js"));
    await fetch(`${base}/app.js`).then(
      (r) => r.arrayBuffer(),
      () => null,
    );
    // Still serving: the process did not die of the unhandled ENOENT.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/`)).text()).toContain("Pismo");
    expect(lines.some((l) => l.includes('"event":"http.file_failed"') && l.includes("/app.js"))).toBe(true);
  });
});
