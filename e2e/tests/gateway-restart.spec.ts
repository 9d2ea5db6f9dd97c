import type { Locator, Page } from "@playwright/test";
import { expect, test, type Stack } from "../fixtures/stack";
import { row, signIn, writeNewMessage } from "../fixtures/mail-ui";
import { signInPop3 } from "../fixtures/pop3";
import { passwordFound, readTree } from "../fixtures/secrets";

// One gateway with the embedded session store (the default): killed outright (SIGKILL, as a
// crash or the OOM killer would) and started again, it resumes every session from the store.

function message(to: string, subject: string, body: string): string {
  return [
    `From: Sender <sender@pismo.test>`,
    `To: ${to}`,
    `Subject: ${subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${Math.random().toString(36).slice(2)}@pismo.test>`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    body,
    "",
  ].join("\r\n");
}

/**
 * Kills the gateway (SIGKILL) while a sent message waits for its Undo delay, starts it again,
 * and returns the compose form once it is back saying the message may or may not have gone out.
 * `live` also asks the connection to be Live again within 5 s of the restart.
 */
async function expectBackAfterCrash(
  page: Page,
  stack: Stack,
  opts: { live?: boolean } = {},
): Promise<Locator> {
  await expect(
    page.getByRole("status").filter({ has: page.getByRole("button", { name: "Undo" }) }),
  ).toBeVisible();
  await stack.gateway.kill();
  await stack.gateway.restart({ kill: true });
  if (opts.live) {
    await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live", { timeout: 5_000 });
  }
  const back = page.getByRole("dialog", { name: "New message" });
  await expect(back.getByRole("alert")).toContainText("Could not tell whether the message went out", {
    timeout: 30_000,
  });
  return back;
}

test("killed while a message is read: Live again within 3 s, same message, no sign-in", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("kill-read");
  await stack.mail.deliver(user.email, message(user.email, "Prva poruka", "Prvi tekst."));
  await stack.mail.deliver(user.email, message(user.email, "Druga poruka", "Drugi tekst, čitam ga."));
  await signIn(page, user);
  await row(page, "Druga poruka").click();
  const article = page.getByRole("article", { name: "Message" });
  await expect(article).toContainText("Drugi tekst, čitam ga.");
  const status = page.getByRole("status", { name: "Connection" });
  // The data dir (session files, the generated secret) holds the session, not the password.
  const atRest = await readTree(stack.gateway.dataDir);
  expect(atRest.length).toBeGreaterThan(0);
  expect(passwordFound(atRest, user.password)).toEqual([]);

  await stack.gateway.kill();
  await expect(status).not.toHaveText("Live");
  await stack.gateway.restart({ kill: true });
  // The page retries at most a second apart for the first minute (reconnectDelayMs, unit-tested):
  // Live again within a few seconds, not after a backoff grown long. The bound is the
  // assertion's own wait: the test runner's clock also counts its own delays on a busy machine
  // (a fresh-clone run measured 3.9 s around a 3 s wait that had passed).
  await expect(status).toHaveText("Live", { timeout: 5_000 });

  await expect(page.getByLabel("Email address")).toHaveCount(0);
  await expect(article).toContainText("Drugi tekst, čitam ga.");
  // The IMAP connection is back (IDLE included): a new message shows up by itself.
  await stack.mail.deliver(user.email, message(user.email, "Treća poruka", "Posle restarta."));
  await expect(row(page, "Treća poruka")).toBeVisible({ timeout: 10_000 });
  await expect(article).toContainText("Drugi tekst, čitam ga.");
});

test("killed while another folder is open: after the restart that folder is the one listened to, not the Inbox", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("kill-folder");
  await stack.mail.createFolder(user.email, "Projekti");
  await stack.mail.deliver(user.email, message(user.email, "Plan rada", "Prvi korak."), {
    folder: "Projekti",
  });
  await signIn(page, user);
  await page
    .getByRole("navigation", { name: "Folders" })
    .getByRole("button", { name: /^Projekti/ })
    .click();
  await expect(row(page, "Plan rada")).toBeVisible();

  await stack.gateway.kill();
  await stack.gateway.restart({ kill: true });
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live", { timeout: 5_000 });

  // Pushed within seconds (IDLE on Projekti), not at the next look at other folders (20 s);
  // a flag has no count and would not show at all.
  await stack.mail.deliver(user.email, message(user.email, "Novi zadatak", "Drugi korak."), {
    folder: "Projekti",
  });
  await expect(row(page, "Novi zadatak")).toBeVisible({ timeout: 5_000 });
  await stack.mail.doveadm(["flags", "add", "-u", user.email, "\\Flagged", "mailbox", "Projekti", "all"]);
  await expect(row(page, "Plan rada")).toHaveAccessibleName(/Flagged/, { timeout: 5_000 });
});

test("killed while a draft is typed: the draft is intact, typing goes on, and it sends", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("kill-draft");
  await signIn(page, user);
  await page.getByRole("button", { name: "Compose" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  await compose.getByLabel("To").fill(user.email);
  await compose.getByLabel("Subject").fill("Nacrt preko restarta");
  const text = compose.getByRole("textbox", { name: "Message text" });
  await text.fill("Prvi deo nacrta, ");
  const status = page.getByRole("status", { name: "Connection" });

  await stack.gateway.kill();
  await text.pressSequentially("kucano dok gateway ne radi, ");
  await stack.gateway.restart({ kill: true });
  // The page retries at most a second apart for the first minute (reconnectDelayMs, unit-tested):
  // Live again within a few seconds, not after a backoff grown long. The bound is the
  // assertion's own wait: the test runner's clock also counts its own delays on a busy machine
  // (a fresh-clone run measured 3.9 s around a 3 s wait that had passed).
  await expect(status).toHaveText("Live", { timeout: 5_000 });

  await expect(page.getByLabel("Email address")).toHaveCount(0);
  await expect(compose.getByLabel("Subject")).toHaveValue("Nacrt preko restarta");
  await expect(text).toContainText("Prvi deo nacrta, kucano dok gateway ne radi,");
  await text.pressSequentially("i posle.");
  await compose.getByRole("button", { name: "Send" }).click();
  await expect(compose).toHaveCount(0);
  await expect(row(page, "Nacrt preko restarta")).toBeVisible({ timeout: 15_000 });
});

test("killed while a sent message waits for its Undo delay: the message comes back to the form, not lost", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("kill-held");
  await signIn(page, user);
  await page.getByRole("button", { name: "Compose" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  await compose.getByLabel("To").fill(user.email);
  await compose.getByLabel("Subject").fill("Zadrzana poruka");
  await compose.getByRole("textbox", { name: "Message text" }).fill("Tekst koji se ne sme izgubiti.");
  await compose.getByRole("button", { name: "Send" }).click();

  // A crash: what the gateway held for the Undo delay is gone with it.
  const back = await expectBackAfterCrash(page, stack, { live: true });
  await expect(back.getByLabel("Subject")).toHaveValue("Zadrzana poruka");
  await expect(back.getByRole("textbox", { name: "Message text" })).toContainText(
    "Tekst koji se ne sme izgubiti.",
  );
  await page.waitForTimeout(6_000);
  expect((await stack.mail.doveadm(["fetch", "-u", user.email, "uid", "mailbox", "Sent"])).trim()).toBe("");
});

test("POP3: killed while a message with a file waits for its Undo delay: it comes back with the file, which goes out", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("kill-held-file");
  const bob = await stack.newUser("kill-held-rcpt");
  await signInPop3(page, ana);
  const compose = await writeNewMessage(page, {
    to: bob.email,
    subject: "Zadržano sa prilogom",
    text: "Prilog mora stići.",
  });
  await compose.locator('input[type="file"]').setInputFiles({
    name: "račun-đ.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("iznos: 1.234 din\n"),
  });
  await expect(compose.getByText("račun-đ.txt")).toBeVisible();
  await expect(compose.getByText(/Draft saved/)).toBeVisible({ timeout: 15_000 });
  await compose.getByRole("button", { name: "Send" }).click();

  // The crash takes the held message and the session's uploads; the draft in this browser
  // keeps the file's bytes, which go up again when the form comes back.
  const back = await expectBackAfterCrash(page, stack);
  await expect(back.getByText("račun-đ.txt")).toBeVisible();
  await back.getByRole("button", { name: "Send" }).click();
  await expect(back).toHaveCount(0);
  await expect(page.getByRole("alert").filter({ hasText: /expired/ })).toHaveCount(0);
  const delivered = () => stack.mail.doveadm(["fetch", "-u", bob.email, "body", "mailbox", "INBOX"]);
  await expect.poll(delivered, { timeout: 30_000 }).toContain("ra");
  expect(await delivered()).toContain(Buffer.from("iznos: 1.234 din\n").toString("base64"));
});
