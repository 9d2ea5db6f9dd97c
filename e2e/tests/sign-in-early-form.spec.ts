import type { Page } from "@playwright/test";
import { buildMessage } from "@pismo/mail-harness/seed";
import { expect, test } from "../fixtures/stack";
import { row } from "../fixtures/mail-ui";

// The sign-in form is in the exported HTML: painted from the document and its CSS, before the
// app's script has run, in the reader's language; the app takes over what was typed there.

/** Holds every script file of the build until `release()`: the page runs only its inline script. */
async function holdAppScripts(page: Page): Promise<{ release: () => void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/**/*.js", async (route) => {
    await released;
    await route.continue();
  });
  return { release };
}

const early = (page: Page) => page.locator("#early-sign-in");

test("the sign-in form is in the served HTML and works with no script at all, sending no password", async ({
  browser,
  baseURL,
  request,
}) => {
  const html = await (await request.get("/")).text();
  expect(html).toContain('id="early-sign-in"');
  // Neither the address nor the password field has a name: a native submission carries neither.
  expect(html).toMatch(/<input[^>]*type="email"/);
  expect(html).not.toMatch(/<input(?=[^>]*type="(?:email|password)")[^>]*\sname=/);
  // Said when script is off (Chromium's script switch of the test still parses <noscript> as
  // text, so this is checked in the document).
  expect(html).toMatch(/<noscript>.*Pismo needs JavaScript/);

  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto("/?lang=en");
    await expect(page.getByLabel("Email address")).toBeVisible();
    await expect(page.getByLabel("Password")).toBeVisible();
    await expect(page.getByRole("radiogroup", { name: "Account type" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    // Only the chosen language shows (no script: English).
    await expect(page.getByText("Lozinka")).toBeHidden();

    const sent: string[] = [];
    page.on("request", (r) => sent.push(`${r.method()} ${r.url()} ${r.postData() ?? ""}`));
    await page.getByLabel("Email address").fill("ana@primer.rs");
    await page.getByLabel("Password").fill("tajna-lozinka-42");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForLoadState();
    expect(sent.join("\n")).not.toContain("tajna-lozinka-42");
    expect(sent.join("\n")).not.toContain("primer.rs");
  } finally {
    await context.close();
  }
});

test("what is typed and submitted before the app's script runs is kept, and the app signs in with it", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("early");
  await stack.mail.deliver(
    user.email,
    buildMessage({ from: "a@primer.rs", to: user.email, subject: "Rano poslato", text: "x" }),
  );
  const scripts = await holdAppScripts(page);
  await page.goto("/?lang=en", { waitUntil: "commit" });
  await expect(early(page)).toBeVisible();
  await page.getByLabel("Email address").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.url().endsWith("/api/session") && r.method() === "POST") posts.push(r.url());
  });
  const signIn = page.waitForRequest((r) => r.url().endsWith("/api/session") && r.method() === "POST");
  await page.getByRole("button", { name: "Sign in" }).click();
  // Not posted natively: the inline script sends the JSON sign-in the app would, while the
  // page is still the HTML's and says the sign-in is under way.
  expect((await signIn).postDataJSON()).toMatchObject({ protocol: "imap", email: user.email });
  await expect(early(page).getByRole("button", { name: "Signing in…" })).toBeDisabled();
  scripts.release();
  await expect(row(page, "Rano poslato")).toBeVisible();
  await expect(early(page)).toHaveCount(0);
  // One sign-in: the app used the answer of the one the HTML's form sent.
  await page.waitForTimeout(1_000);
  expect(posts).toHaveLength(1);
});

test("a wrong password submitted before the app's script runs is reported once the app is in", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("earlywrong");
  const scripts = await holdAppScripts(page);
  await page.goto("/?lang=en", { waitUntil: "commit" });
  await page.getByLabel("Email address").fill(user.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  scripts.release();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email address or password." })).toBeVisible();
  await expect(early(page)).toHaveCount(0);
  await expect(page.getByLabel("Email address")).toHaveValue(user.email);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
});

test("typing goes on in the app's form where it stopped in the HTML's, caret and all", async ({ page }) => {
  const scripts = await holdAppScripts(page);
  await page.goto("/?lang=en", { waitUntil: "commit" });
  await page.getByLabel("Email address").fill("ana@primer.rs");
  await page.getByLabel("Password").click();
  await page.keyboard.type("abcd");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  scripts.release();
  await expect(early(page)).toHaveCount(0);
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live");
  await page.keyboard.type("XY");
  await expect(page.getByLabel("Password")).toHaveValue("abXYcd");
  await expect(page.getByLabel("Email address")).toHaveValue("ana@primer.rs");
});

test("the HTML's form is in the reader's language before the app's script runs", async ({ page }) => {
  const scripts = await holdAppScripts(page);
  await page.goto("/?lang=sr", { waitUntil: "commit" });
  await expect(page.locator("html")).toHaveAttribute("lang", "sr-Latn");
  await expect(page.getByLabel("Adresa e-pošte")).toBeVisible();
  await expect(page.getByRole("button", { name: "Prijavi se" })).toBeVisible();
  await expect(page.getByText("Email address")).toBeHidden();
  scripts.release();
  await expect(page.getByRole("status", { name: "Veza" })).toHaveText("Uživo");
  await expect(page.getByLabel("Adresa e-pošte")).toBeVisible();
});

test("with the signed-in hint the HTML's form is never shown; without a session the app shows its own", async ({
  page,
  baseURL,
}) => {
  await page.context().addCookies([{ name: "pismo_signed_in", value: "1", url: baseURL }]);
  const scripts = await holdAppScripts(page);
  await page.goto("/?lang=en", { waitUntil: "commit" });
  await expect(page.getByText("Pismo", { exact: true })).toBeVisible();
  await expect(early(page)).toBeHidden();
  await expect(page.getByLabel("Password")).toBeHidden();
  scripts.release();
  // The hint was stale (no session cookie): the app finds no session and shows its form.
  await expect(page.getByLabel("Password")).toBeVisible();
  await expect(early(page)).toHaveCount(0);
});

test("a sign-in the HTML's form sent and the gateway answered before the app ran still ends in the mailbox", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("earlyanswered");
  await stack.mail.deliver(
    user.email,
    buildMessage({ from: "a@primer.rs", to: user.email, subject: "Već prijavljen", text: "x" }),
  );
  const scripts = await holdAppScripts(page);
  await page.goto("/?lang=en", { waitUntil: "commit" });
  await page.getByLabel("Email address").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  const answered = page.waitForResponse((r) => r.url().endsWith("/api/session"));
  await page.getByRole("button", { name: "Sign in" }).click();
  expect((await answered).status()).toBe(200);
  // The app starts with the session cookie (and its hint) already set.
  scripts.release();
  await expect(row(page, "Već prijavljen")).toBeVisible();
  await expect(early(page)).toHaveCount(0);
});
