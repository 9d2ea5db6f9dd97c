import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gatewayEnv } from "@pismo/mail-harness";
import { expect, test } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";
import { checkMail, mail, messageRows, signInPop3 } from "../fixtures/pop3";
import { cacheStorage, loadedAssetsCached, workerInControl } from "../fixtures/app-shell";
import { startGatewayProcess } from "../fixtures/gateway-process";

const webOut = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../apps/web/out");

/** Width and height from a PNG's IHDR chunk (PNG spec §11.2.2): bytes 16–23, big-endian. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test("the web app manifest is valid, its icons exist at their sizes, and the CSP allows the worker and manifest", async ({
  request,
}) => {
  const page = await request.get("/");
  const csp = page.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("worker-src 'self'");
  expect(csp).toContain("manifest-src 'self'");
  const html = await page.text();
  expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"/>');
  expect(html).toMatch(/<meta name="theme-color" content="#[0-9a-f]{6}"\/>/);

  const res = await request.get("/manifest.webmanifest");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/^application\/manifest\+json/);
  const manifest = (await res.json()) as {
    name?: string;
    short_name?: string;
    start_url?: string;
    display?: string;
    theme_color?: string;
    background_color?: string;
    icons?: Array<{ src: string; sizes: string; type: string }>;
  };
  expect(manifest.name).toBe("Pismo");
  expect(manifest.short_name).toBe("Pismo");
  expect(manifest.start_url).toBe("/");
  expect(manifest.display).toBe("standalone");
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/);
  expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/);
  for (const size of [192, 512]) {
    const icon = manifest.icons?.find((i) => i.sizes === `${size}x${size}`);
    expect(icon?.type).toBe("image/png");
    const png = await request.get(icon?.src ?? "");
    expect(png.status()).toBe(200);
    expect(png.headers()["content-type"]).toBe("image/png");
    expect(pngSize(await png.body())).toEqual({ width: size, height: size });
  }

  // The worker itself is always revalidated, so a deploy reaches every browser.
  const sw = await request.get("/sw.js");
  expect(sw.status()).toBe(200);
  expect(sw.headers()["content-type"]).toMatch(/javascript/);
  expect(sw.headers()["cache-control"]).toBe("no-cache");
});

test("IMAP: with the gateway stopped a reload shows the app shell and Offline, and no mail is in Cache Storage", async ({
  page,
  stack,
}, testInfo) => {
  const user = await stack.newUser("shell-imap");
  await stack.mail.deliver(
    user.email,
    mail(1, { subject: "Poverljivo", to: user.email }).replace(
      "Telo poruke 1.",
      "Tajna rečenica 4711 iz tela.",
    ),
  );
  await signIn(page, user);
  await workerInControl(page);
  await row(page, "Poverljivo").click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Tajna rečenica 4711");
  await loadedAssetsCached(page);

  // The shell is cached; the mail, the API and the socket never are.
  const cached = await cacheStorage(page, "4711");
  expect(cached.found).toEqual([]);
  expect(cached.urls.length).toBeGreaterThan(5);
  for (const url of cached.urls) expect(new URL(url).pathname).not.toMatch(/^\/(api|trpc)/);

  // Killed, as a crash or a deploy would: its session store stays, so it resumes the session.
  await stack.gateway.kill();
  try {
    await page.reload();
    const status = page.getByRole("status", { name: "Connection" });
    await expect(status).toHaveText("Offline", { timeout: 15_000 });
    await expect(page.getByText("The server cannot be reached.")).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("offline-reload-en.png") });
    await page.goto("/?lang=sr");
    await expect(page.getByRole("status", { name: "Veza" })).toHaveText("Van mreže", { timeout: 15_000 });
    await page.screenshot({ path: testInfo.outputPath("offline-reload-sr.png") });
  } finally {
    await stack.gateway.restart({ kill: true });
  }
  // Back Live, and still signed in.
  await page.goto("/?lang=en");
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live", { timeout: 15_000 });
  await expect(row(page, "Poverljivo")).toBeVisible();
});

test("POP3: after a reload with the gateway stopped the pulled mail is still read from this browser", async ({
  page,
  stack,
}, testInfo) => {
  const user = await stack.newUser("shell-pop3");
  await stack.mail.deliver(user.email, mail(1, { subject: "Putni nalog" }));
  await stack.mail.deliver(user.email, mail(2, { subject: "Zapisnik" }));
  await signInPop3(page, user);
  await checkMail(page);
  await expect(messageRows(page)).toHaveCount(2);
  await workerInControl(page);
  await messageRows(page).filter({ hasText: "Zapisnik" }).click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Zapisnik");
  await loadedAssetsCached(page);
  expect((await cacheStorage(page, "Telo poruke")).found).toEqual([]);

  await stack.gateway.stop();
  try {
    await page.reload();
    await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Offline", { timeout: 15_000 });
    await expect(messageRows(page)).toHaveCount(2);
    await messageRows(page).filter({ hasText: "Putni nalog" }).click();
    await expect(page.getByRole("article", { name: "Message" })).toContainText("Telo poruke 1.");
    await page.screenshot({ path: testInfo.outputPath("offline-pop3-en.png") });
  } finally {
    await stack.gateway.restart();
  }
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live", { timeout: 20_000 });
});

test("a newly deployed version waits and offers Reload; Reload brings it in", async ({
  page,
  stack,
}, testInfo) => {
  // A gateway of its own, serving a copy of the export that the test can "deploy" into.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pismo-e2e-export-"));
  fs.cpSync(webOut, dir, { recursive: true });
  const gateway = await startGatewayProcess({ ...gatewayEnv(stack.mail), PISMO_STATIC_DIR: dir });
  try {
    await page.goto(`${gateway.url}/?lang=en`);
    await expect(page.getByLabel("Email address")).toBeVisible();
    await workerInControl(page);
    const notice = page.getByRole("status", { name: "Update" });
    await expect(notice).toHaveCount(0);

    // The deploy: new files (here a changed worker script, as a new build's precache list
    // changes it) and a restarted gateway.
    const sw = path.join(dir, "sw.js");
    for (const compressed of [`${sw}.br`, `${sw}.gz`]) fs.rmSync(compressed, { force: true });
    fs.appendFileSync(sw, "\n// the next version\n");
    await gateway.restart();
    await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live", { timeout: 15_000 });
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });

    await expect(notice).toContainText("A new version is ready");
    await page.screenshot({ path: testInfo.outputPath("update-notice-en.png") });
    await page.getByLabel("Language").selectOption("sr");
    await expect(page.getByRole("status", { name: "Ažuriranje" })).toContainText("Nova verzija je spremna");
    await page.screenshot({ path: testInfo.outputPath("update-notice-sr.png") });
    await page.getByLabel("Jezik").selectOption("en");

    const reloaded = page.waitForEvent("framenavigated", (frame) => frame === page.mainFrame());
    await notice.getByRole("button", { name: "Reload" }).click();
    await reloaded;
    await page.waitForLoadState("load");
    await expect(page.getByLabel("Email address")).toBeVisible();
    await expect(notice).toHaveCount(0);
    const active = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return {
        waiting: registration?.waiting !== null,
        controlled: navigator.serviceWorker.controller !== null,
      };
    });
    expect(active).toEqual({ waiting: false, controlled: true });
  } finally {
    await gateway.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
