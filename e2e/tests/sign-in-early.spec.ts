import type { Page, Route } from "@playwright/test";
import { buildMessage } from "@pismo/mail-harness/seed";
import { expect, test } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";

// The exported page carries the sign-in form in each language: it is on screen with the page's
// HTML, before the app's code (a cold load parses ~400 kB of it) has run, and what a reader
// types or presses meanwhile is taken over by the app once it runs. The app's code is held
// back here until the test lets it through.

/** Holds every script of the app until `release()`. */
async function holdScripts(page: Page) {
  const held: Route[] = [];
  let released = false;
  await page.route(/\/_next\/static\/.*\.js$/, (route) => {
    if (released) return route.continue();
    held.push(route);
  });
  return {
    async release() {
      released = true;
      await Promise.all(held.splice(0).map((route) => route.continue()));
    },
  };
}

test("the sign-in form is on screen before the app's code runs; the address, the password and a Sign in pressed meanwhile are carried into the app, which signs in", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("earlyform");
  await stack.mail.deliver(
    user.email,
    buildMessage({ from: "a@primer.rs", to: user.email, subject: "Rano jutro", text: "Rano jutro" }),
  );
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const scripts = await holdScripts(page);
  await page.goto("/?lang=en", { waitUntil: "commit" });
  // The page's own HTML: the app has not rendered anything yet.
  await expect(page.getByLabel("Email address")).toBeVisible();
  await expect(page.locator("#__next")).toBeEmpty();
  await expect(page.getByRole("heading", { name: "Sign in to your mail" })).toBeVisible();
  await expect(page.getByRole("radio", { name: "IMAP" })).toBeChecked();
  await page.getByLabel("Email address").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Kept for the app: nothing is sent by the browser, and nothing lands in the address.
  await expect(page.getByRole("button", { name: "Signing in…" })).toBeDisabled();
  expect(new URL(page.url()).search).toBe("?lang=en");

  await scripts.release();
  await expect(row(page, "Rano jutro")).toBeVisible();
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live");
  // One form at a time: the early copy is gone with the sign-in page.
  await expect(page.locator("[data-early-sign-in]")).toHaveCount(0);
  expect(violations).toEqual([]);
});

test("in Serbian the early form is Serbian; the app keeps what was typed and chosen, and the focus; Enter then signs in", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("earlyformsr");
  await stack.mail.deliver(
    user.email,
    buildMessage({ from: "a@primer.rs", to: user.email, subject: "Dobar dan", text: "Dobar dan" }),
  );
  const scripts = await holdScripts(page);
  await page.goto("/?lang=sr", { waitUntil: "commit" });
  await expect(page.getByLabel("Adresa e-pošte")).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "sr-Latn");
  await expect(page.getByLabel("Email address")).toHaveCount(0);
  await page.getByLabel("Adresa e-pošte").fill(user.email);
  // The copy's server settings follow the account type as the app's do (no script of the app
  // yet): POP3's port, and IMAP's again.
  const earlyPort = page.locator('[data-early-sign-in="sr"] input[name="port"]');
  await expect(earlyPort).toHaveValue("143");
  await page.getByRole("radio", { name: "POP3" }).check();
  await expect(earlyPort).toHaveValue("110");
  await page.getByRole("radio", { name: "IMAP" }).check();
  await expect(earlyPort).toHaveValue("143");
  await page.getByRole("radio", { name: "POP3" }).check();
  await expect(earlyPort).toHaveValue("110");
  const password = page.getByLabel("Lozinka");
  await password.fill(user.password.slice(0, -1));

  await scripts.release();
  // The app's form (its connection status beside it), with what was typed and the focus.
  await expect(page.getByRole("status", { name: "Veza" })).toBeVisible();
  await expect(page.locator("[data-early-sign-in]")).toHaveCount(0);
  await expect(page.getByLabel("Adresa e-pošte")).toHaveValue(user.email);
  await expect(page.getByRole("radio", { name: "POP3" })).toBeChecked();
  // The port the copy showed for POP3 was no edit: the app shows the gateway's POP3 port.
  await expect(page.locator('input[name="port"]')).toHaveValue(String(stack.mail.pop3Port));
  await expect(password).toBeFocused();
  await page.keyboard.type(user.password.slice(-1));
  await expect(password).toHaveValue(user.password);
  // Back to IMAP (whose Inbox shows the message at once), then Enter in the password.
  await page.getByRole("radio", { name: "IMAP" }).check();
  await password.press("Enter");
  await expect(
    page.getByRole("grid", { name: "Poruke" }).getByRole("row", { name: /Dobar dan/ }),
  ).toBeVisible();
});

test("a reload while signed in shows no sign-in form while the app's code loads", async ({ page, stack }) => {
  const user = await stack.newUser("earlyhint");
  await signIn(page, user);
  const scripts = await holdScripts(page);
  await page.reload({ waitUntil: "commit" });
  // The app's root comes after the early copies and their script in the page.
  await expect(page.locator("#__next")).toBeAttached();
  await expect(page.locator("[data-early-sign-in]")).toHaveCount(0);
  await expect(page.locator('input[type="password"]')).toHaveCount(0);
  await scripts.release();
  await expect(page.getByRole("grid", { name: "Messages" })).toBeVisible();
  await expect(page.locator('input[type="password"]')).toHaveCount(0);
});

test("Sign in pressed on the early form and released on the app's: the press signs in", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("earlypress");
  await stack.mail.deliver(
    user.email,
    buildMessage({ from: "a@primer.rs", to: user.email, subject: "Pritisak", text: "Pritisak" }),
  );
  const scripts = await holdScripts(page);
  await page.goto("/?lang=en", { waitUntil: "commit" });
  await page.getByLabel("Email address").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  // The press lands on the early form's button; the app's form takes its place before the
  // release, so the browser makes no click of it.
  const box = await page.getByRole("button", { name: "Sign in" }).boundingBox();
  if (!box) throw new Error("no Sign in button");
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await scripts.release();
  await expect(page.getByRole("status", { name: "Connection" })).toBeVisible();
  await expect(page.locator("[data-early-sign-in]")).toHaveCount(0);
  await page.mouse.up();
  await expect(row(page, "Pritisak")).toBeVisible();
});

test("when the app's code cannot be loaded, the early form says so instead of signing in for ever; nothing is sent", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("earlybroken");
  // The app's scripts held, then answered 404 (a rebuild under the page, a link that drops them).
  const scripts: Route[] = [];
  await page.route(/\/_next\/static\/.*\.js$/, (route) => void scripts.push(route));
  const sent: string[] = [];
  page.on("request", (request) => {
    if (request.method() !== "GET") sent.push(request.url());
  });
  await page.goto("/?lang=sr", { waitUntil: "commit" });
  await page.getByLabel("Adresa e-pošte").fill(user.email);
  await page.getByLabel("Lozinka").fill(user.password);
  await page.getByRole("button", { name: "Prijavi se" }).click();
  await expect(page.getByRole("button", { name: "Prijavljivanje…" })).toBeDisabled();
  await expect(page.getByRole("alert")).toHaveCount(0);

  await expect.poll(() => scripts.length).toBeGreaterThan(0);
  await Promise.all(scripts.splice(0).map((route) => route.fulfill({ status: 404, body: "" })));
  await expect(page.getByRole("alert")).toHaveText(
    "Pismo se nije do kraja učitalo, pa prijava još nije moguća. Proverite vezu i ponovo učitajte stranicu.",
  );
  await expect(page.getByRole("button", { name: "Prijavi se" })).toBeDisabled();
  await expect(page.getByLabel("Adresa e-pošte")).toHaveValue(user.email);
  expect(sent).toEqual([]);
  expect(new URL(page.url()).search).toBe("?lang=sr");
});
