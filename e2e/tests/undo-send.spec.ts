import type { Locator, Page } from "@playwright/test";
import { expect, test, type Stack } from "../fixtures/stack";
import { row, signIn, writeNewMessage } from "../fixtures/mail-ui";
import { messageRows, signInPop3 } from "../fixtures/pop3";
import { wireTrpc } from "../fixtures/trpc-wire";

// Undo send: after Send the gateway holds the message for the user's delay; the notice's Undo
// takes it back into the form, and a closed tab does not stop it.

const SHOTS = process.env.PISMO_SHOTS_DIR;

/** How many messages the mailbox's folder holds, read with doveadm ("0" when it does not exist). */
async function count(stack: Stack, email: string, mailbox = "INBOX"): Promise<number> {
  const out = await stack.mail.doveadm(["search", "-u", email, "mailbox", mailbox, "ALL"]).catch(() => "");
  return out.split("\n").filter((l) => l.trim()).length;
}

async function setUndoDelay(page: Page, seconds: number, opts: { pop3?: boolean } = {}) {
  await page.getByRole("button", { name: "Settings", exact: true }).click();
  const section = page.getByRole("region", { name: "Undo send" });
  const input = section.getByLabel("Undo send delay (seconds)");
  await expect(input).toHaveValue("5");
  // Out of bounds: kept as typed, not taken, and the field says so beside itself.
  await input.fill("31");
  await expect(input).toHaveAccessibleDescription(/^Not saved: enter a whole number from 0 to 30\./);
  await input.fill(String(seconds));
  await expect(input).toHaveValue(String(seconds));
  await expect(input).not.toHaveAttribute("aria-invalid");
  if (SHOTS && opts.pop3) {
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/undo-setting-pop3-en.png` });
  }
  if (opts.pop3) await page.getByRole("button", { name: "Settings", exact: true }).click();
  else {
    // Its sections fill in from the server as they answer (the filters, the out-of-office
    // form), moving the Close button down: it is clicked once they are there, and the dialog
    // is gone before the test goes on (CI once clicked where the button had been, 40 ms in).
    const dialog = page.getByRole("dialog", { name: "Settings" });
    await expect(dialog.getByRole("button", { name: "Save out of office" })).toBeVisible();
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(dialog).toHaveCount(0);
  }
}

async function attach(compose: Locator) {
  await compose.locator('input[type="file"]').setInputFiles({
    name: "plan-č.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("plan: čćšđž\n"),
  });
  await expect(compose.getByText("plan-č.txt")).toBeVisible();
}

async function undoAndCheckForm(page: Page, stack: Stack, bob: string, subject: string) {
  const notice = page.getByRole("status").filter({ has: page.getByRole("button", { name: "Undo" }) });
  await expect(notice).toContainText(/Sending in \d+ s/);
  if (SHOTS) await notice.screenshot({ path: `${SHOTS}/undo-notice-en.png` });
  await notice.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByText("Sending undone.")).toBeVisible();
  const compose = page.getByRole("dialog", { name: "New message" });
  await expect(compose.getByLabel("To")).toHaveValue(new RegExp(bob.replace(/\./g, "\\.")));
  await expect(compose.getByLabel("Subject")).toHaveValue(subject);
  await expect(compose.getByRole("textbox", { name: "Message text" })).toHaveText(/Ne šalji još/);
  await expect(compose.getByText("plan-č.txt")).toBeVisible();
  // Past the deadline nothing went out.
  await page.waitForTimeout(4_500);
  expect(await count(stack, bob)).toBe(0);
  return compose;
}

test("IMAP: Undo after Send sends nothing and puts the message back; sent again it goes once", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("undoimap");
  const bob = await stack.newUser("undorcpt");
  await signIn(page, alice);
  await setUndoDelay(page, 3);
  const subject = "Predomislio sam se";
  const compose = await writeNewMessage(page, {
    to: `Bob <${bob.email}>`,
    subject,
    text: "Ne šalji još ovo.",
  });
  await attach(compose);
  await compose.getByRole("button", { name: "Send" }).click();
  await expect(compose).toHaveCount(0);
  const back = await undoAndCheckForm(page, stack, bob.email, subject);
  expect(await count(stack, alice.email, "Sent")).toBe(0);

  await back.getByRole("button", { name: "Send" }).click();
  await expect(back).toHaveCount(0);
  await expect(page.getByText("Message sent.")).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => count(stack, bob.email), { timeout: 15_000 }).toBe(1);
  await page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Sent/ }).click();
  await expect(row(page, subject)).toBeVisible();
  // A late Undo would be told it went; the notice is gone once it did.
  await expect(page.getByRole("button", { name: "Undo" })).toHaveCount(0);
});

test("IMAP: closing the tab after Send still delivers after the delay", async ({ page, stack }) => {
  const alice = await stack.newUser("undotab");
  const bob = await stack.newUser("undotabrcpt");
  await signIn(page, alice);
  const compose = await writeNewMessage(page, { to: bob.email, subject: "Zatvorena kartica", text: "x" });
  await compose.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("button", { name: "Undo" })).toBeVisible();
  const closedAt = Date.now();
  await page.close();
  await expect.poll(() => count(stack, bob.email), { timeout: 20_000 }).toBe(1);
  // Held for the default delay (5 s) after the tab was gone, not sent when it closed.
  expect(Date.now() - closedAt).toBeGreaterThan(3_000);
  await expect.poll(() => count(stack, alice.email, "Sent"), { timeout: 10_000 }).toBe(1);
});

test("POP3: Undo after Send sends nothing and puts the message back; sent again it lands in local Sent", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("undopop");
  const bob = await stack.newUser("undopoprcpt");
  await signInPop3(page, ana);
  await setUndoDelay(page, 3, { pop3: true });
  const subject = "POP3 predomislio";
  const compose = await writeNewMessage(page, { to: bob.email, subject, text: "Ne šalji još ovo." });
  await attach(compose);
  await compose.getByRole("button", { name: "Send" }).click();
  await expect(compose).toHaveCount(0);
  const back = await undoAndCheckForm(page, stack, bob.email, subject);

  await back.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText("Message sent.")).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => count(stack, bob.email), { timeout: 15_000 }).toBe(1);
  await page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Sent/ }).click();
  await expect(messageRows(page)).toHaveCount(1);
  await expect(page.getByRole("row", { name: new RegExp(subject) })).toBeVisible();
});

test("POP3: closing the tab after Send still delivers after the delay", async ({ page, stack }) => {
  const ana = await stack.newUser("undopoptab");
  const bob = await stack.newUser("undopoptabrcpt");
  await signInPop3(page, ana);
  const compose = await writeNewMessage(page, { to: bob.email, subject: "POP3 zatvoreno", text: "x" });
  await compose.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("button", { name: "Undo" })).toBeVisible();
  const closedAt = Date.now();
  const context = page.context();
  await page.close();
  await expect.poll(() => count(stack, bob.email), { timeout: 20_000 }).toBe(1);
  expect(Date.now() - closedAt).toBeGreaterThan(3_000);
  // Opened again within minutes, the browser files the local Sent copy it could not make.
  const again = await context.newPage();
  await again.goto("/?lang=en");
  await expect(again.getByText("Message sent.")).toBeVisible({ timeout: 15_000 });
  await again.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Sent/ }).click();
  await expect(again.getByRole("row", { name: /POP3 zatvoreno/ })).toBeVisible();
  await expect(messageRows(again)).toHaveCount(1);
});

test("IMAP: a reload during the delay shows the notice again, and its Undo still works", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("undoreload");
  const bob = await stack.newUser("undoreloadrcpt");
  await signIn(page, alice);
  await setUndoDelay(page, 20);
  const compose = await writeNewMessage(page, {
    to: bob.email,
    subject: "Posle osvezavanja",
    text: "Tekst.",
  });
  await compose.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("button", { name: "Undo" })).toBeVisible();
  await page.reload();
  await page.getByRole("button", { name: "Undo" }).click();
  const back = page.getByRole("dialog", { name: "New message" });
  await expect(back.getByLabel("Subject")).toHaveValue("Posle osvezavanja");
  await expect(back.getByRole("textbox", { name: "Message text" })).toHaveText(/Tekst\./);
  expect(await count(stack, bob.email)).toBe(0);
});

test("the Undo send setting and the notice in Serbian", async ({ page, stack }) => {
  // Screenshots go to PISMO_SHOTS_DIR when set (to look at), else to this test's output folder.
  const shots = SHOTS ?? test.info().outputPath();
  const alice = await stack.newUser("undoshot");
  const bob = await stack.newUser("undoshotrcpt");
  await signIn(page, alice);
  await page.getByRole("button", { name: "Settings", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Settings" });
  await dialog.getByRole("region", { name: "Undo send" }).scrollIntoViewIfNeeded();
  await dialog.screenshot({ path: `${shots}/undo-setting-en.png` });
  await dialog.getByRole("button", { name: "Close" }).click();
  await page.getByLabel("Language").selectOption("sr");
  await page.getByRole("button", { name: "Podešavanja" }).click();
  const sr = page.getByRole("dialog", { name: "Podešavanja" });
  await sr.getByRole("region", { name: "Opoziv slanja" }).scrollIntoViewIfNeeded();
  await sr.screenshot({ path: `${shots}/undo-setting-sr.png` });
  await sr.getByRole("button", { name: "Zatvori" }).click();
  await page.getByRole("button", { name: "Nova poruka" }).click();
  const compose = page.getByRole("dialog", { name: "Nova poruka" });
  await compose.getByRole("combobox", { name: "Za" }).fill(bob.email);
  await compose.getByRole("textbox", { name: "Naslov" }).fill("Srpski");
  await compose.getByRole("textbox", { name: "Tekst poruke" }).fill("Zdravo.");
  await compose.getByRole("button", { name: "Pošalji" }).click();
  const notice = page.getByRole("status").filter({ has: page.getByRole("button", { name: "Opozovi" }) });
  await expect(notice).toContainText("Slanje za");
  await notice.screenshot({ path: `${shots}/undo-notice-sr.png` });
  await page.screenshot({ path: `${shots}/undo-page-sr.png` });
  await notice.getByRole("button", { name: "Opozovi" }).click();
  await expect(page.getByRole("dialog", { name: "Nova poruka" })).toBeVisible();
});

/**
 * The connection is lost once, with Send on it: the request reaches the gateway (`reaches`) or
 * not, and its answer never reaches the page; the socket closes half a second later, and the
 * page connects again by itself.
 */
/** The page's socket is lost 500 ms after it asks to send (held or at once). */
async function loseConnectionOnSend(page: Page, { reaches }: { reaches: boolean }) {
  const wire = await wireTrpc(page);
  wire.cutOn(["compose.sendLater", "compose.send"], { reaches, afterMs: 500 });
}

test("IMAP: the connection drops after Send reached the gateway, before its answer: the Undo notice still comes, and Undo takes the message back", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("undolost");
  const bob = await stack.newUser("undolostrcpt");
  await loseConnectionOnSend(page, { reaches: true });
  await signIn(page, alice);
  // Ten seconds: time for the page to connect again on a slow machine before the deadline.
  await setUndoDelay(page, 10);
  const subject = "Veza je pala";
  const compose = await writeNewMessage(page, { to: bob.email, subject, text: "Ne šalji još ovo." });
  await compose.getByRole("button", { name: "Send" }).click();
  const sentAt = Date.now();
  await expect(compose).toHaveCount(0);
  const notice = page.getByRole("status").filter({ has: page.getByRole("button", { name: "Undo" }) });
  await expect(notice).toContainText(/Sending in \d+ s/);
  await notice.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByText("Sending undone.")).toBeVisible();
  const back = page.getByRole("dialog", { name: "New message" });
  await expect(back.getByLabel("Subject")).toHaveValue(subject);
  await expect(back.getByRole("textbox", { name: "Message text" })).toHaveText(/Ne šalji još/);
  // Past the deadline nothing went out.
  await page.waitForTimeout(Math.max(0, sentAt + 11_000 - Date.now()));
  expect(await count(stack, bob.email)).toBe(0);
  expect(await count(stack, alice.email, "Sent")).toBe(0);
});

test("IMAP: the connection drops before Send reached the gateway: the message comes back to the form, which says to look in Sent", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("undonever");
  const bob = await stack.newUser("undoneverrcpt");
  await loseConnectionOnSend(page, { reaches: false });
  await signIn(page, alice);
  const subject = "Nije ni stiglo";
  const compose = await writeNewMessage(page, { to: bob.email, subject, text: "Ovo gateway nije video." });
  await compose.getByRole("button", { name: "Send" }).click();
  const back = page.getByRole("dialog", { name: "New message" });
  await expect(back.getByText("it may have gone out. Look in Sent before sending it again.")).toBeVisible({
    timeout: 15_000,
  });
  await expect(back.getByLabel("Subject")).toHaveValue(subject);
  await expect(back.getByRole("textbox", { name: "Message text" })).toHaveText(/Ovo gateway nije video/);
  await expect(page.getByRole("button", { name: "Undo" })).toHaveCount(0);
  expect(await count(stack, bob.email)).toBe(0);
  // Sent again from the form, it goes once.
  await back.getByRole("button", { name: "Send" }).click();
  await expect.poll(() => count(stack, bob.email), { timeout: 20_000 }).toBe(1);
});

test("IMAP, no Undo delay: the connection drops after Send reached the gateway, before its answer: the page learns it went out", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("nowlost");
  const bob = await stack.newUser("nowlostrcpt");
  await loseConnectionOnSend(page, { reaches: true });
  await signIn(page, alice);
  await setUndoDelay(page, 0);
  const subject = "Odmah, pa je veza pala";
  const compose = await writeNewMessage(page, { to: bob.email, subject, text: "Stiglo je jednom." });
  await compose.getByRole("button", { name: "Send" }).click();
  // Asked again on the next connection: sent, not "may have gone out".
  await expect(page.getByRole("status").filter({ hasText: "Message sent." })).toBeVisible({
    timeout: 15_000,
  });
  await expect(compose).toHaveCount(0);
  await expect(page.getByText("it may have gone out")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Undo" })).toHaveCount(0);
  expect(await count(stack, bob.email)).toBe(1);
  expect(await count(stack, alice.email, "Sent")).toBe(1);
});

test("POP3, no Undo delay: Send goes at once and the sent copy is in local Sent", async ({ page, stack }) => {
  const ana = await stack.newUser("nowpop");
  const bob = await stack.newUser("nowpoprcpt");
  await signInPop3(page, ana);
  await setUndoDelay(page, 0, { pop3: true });
  const subject = "POP3 odmah";
  const compose = await writeNewMessage(page, { to: bob.email, subject, text: "Bez čekanja." });
  await attach(compose);
  await compose.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText("Message sent.")).toBeVisible();
  await expect(compose).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Undo" })).toHaveCount(0);
  expect(await count(stack, bob.email)).toBe(1);
  await page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Sent/ }).click();
  await expect(page.getByRole("row", { name: new RegExp(subject) })).toBeVisible();
});
