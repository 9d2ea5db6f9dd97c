import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "../fixtures/stack";
import { signIn } from "../fixtures/mail-ui";

/**
 * Every message of the shared real-world corpus, delivered to Dovecot and opened in
 * Chromium through the IMAP view, renders or shows a specific error; none breaks the page or
 * the gateway. The corpus is read where it lies (../shared/corpus), never copied.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const corpusDir = path.join(process.env.PISMO_SHARED_DIR ?? path.resolve(here, "../../../shared"), "corpus");

function messages(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...messages(full));
    else if (
      full.endsWith(".eml") ||
      (!/(README|LICENSE)/.test(entry) &&
        /^[\x21-\x39\x3b-\x7e]+:/.test(readFileSync(full).subarray(0, 200).toString("latin1")))
    )
      out.push(full);
  }
  return out.sort();
}

test("every corpus message opens in the browser without breaking the page or the gateway", async ({
  page,
  stack,
}) => {
  test.skip(
    !existsSync(corpusDir),
    `SKIPPED: the shared corpus is absent (${corpusDir}); this clone has no ../shared`,
  );
  test.setTimeout(240_000);
  const files = messages(corpusDir);
  expect(files.length).toBeGreaterThan(150);
  const user = await stack.newUser("corpus");
  for (const file of files) await stack.mail.deliver(user.email, readFileSync(file));

  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await signIn(page, user);
  const grid = page.getByRole("grid", { name: "Messages" });
  await expect(grid).toHaveAttribute("aria-rowcount", String(files.length));
  await grid.getByRole("row").first().click();

  const opened = new Set<string>();
  // Ordinary mail raises no sender warning and no failed check (the trust checks' own corpus
  // test names the two messages that deserve a warning: replies sent to another domain).
  const alarms: string[] = [];
  for (let i = 0; i < files.length; i++) {
    const selected = grid.locator('[role="row"][aria-selected="true"]');
    const id = await selected.getAttribute("data-message-id");
    expect(id).toBeTruthy();
    opened.add(id as string);
    // Either the message (its header is always there) or a specific error, never nothing.
    await expect(
      // (Not Next's route announcer, an empty alert region of every page.)
      page
        .getByRole("article", { name: "Message" })
        .or(page.locator("p[role=alert]:not(#__next-route-announcer__)")),
    ).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText("Loading…")).toHaveCount(0, { timeout: 15_000 });
    const article = page.getByRole("article", { name: "Message" });
    alarms.push(...(await article.getByRole("alert").allTextContents()));
    alarms.push(
      ...(await article.getByRole("status", { name: "Sender verification" }).allTextContents()).filter((s) =>
        s.includes("Failed"),
      ),
    );
    if (i < files.length - 1) {
      await grid.press("ArrowDown");
      await expect(grid.locator('[role="row"][aria-selected="true"]')).not.toHaveAttribute(
        "data-message-id",
        id as string,
      );
    }
  }
  expect(opened.size).toBe(files.length);
  expect(alarms.length).toBeLessThanOrEqual(2);
  for (const alarm of alarms) expect(alarm).toMatch(/Replies go to/);
  expect(pageErrors).toEqual([]);
  expect((await page.request.get("/healthz")).ok()).toBe(true);
});
