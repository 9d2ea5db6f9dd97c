import { buildMessage } from "@pismo/mail-harness/seed";
import type { Page } from "@playwright/test";
import { expect, test, type Stack } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";

// Undo and spam on an IMAP account: each checked on the server itself (doveadm), not only
// in the page. Subjects the server is asked about are ASCII: doveadm prints header fields
// as they are on the wire (RFC 2047 encoded words).

const LIVE = { timeout: 10_000 };

/** Subjects (and flags) of a folder as Dovecot holds them. */
async function onServer(stack: Stack, email: string, folder: string): Promise<string> {
  return stack.mail.doveadm([
    "-f",
    "flow",
    "fetch",
    "-u",
    email,
    "hdr.subject flags",
    "mailbox",
    folder,
    "all",
  ]);
}

async function deliver(stack: Stack, email: string, subject: string, from = "ana@primer.rs") {
  await stack.mail.deliver(email, buildMessage({ from, to: email, subject, text: `Telo: ${subject}` }));
}

const notice = (page: Page) => page.getByRole("status", { name: "Notice" });

test("IMAP: # deletes the open message and z puts it back in the Inbox, on the server too; so does the notice's Undo", async ({
  page,
  stack,
}, testInfo) => {
  const user = await stack.newUser("undo");
  await deliver(stack, user.email, "Racun za struju");
  await deliver(stack, user.email, "Sastanak u petak");
  await signIn(page, user);

  await row(page, "Racun za struju").click();
  await expect(page.getByRole("article", { name: "Message" })).toBeFocused(LIVE);
  await page.keyboard.press("#");
  await expect(row(page, "Racun za struju")).toHaveCount(0);
  await expect(notice(page)).toContainText("Deleted 1");
  await expect(notice(page).getByRole("button", { name: "Undo" })).toBeVisible();
  await expect.poll(() => onServer(stack, user.email, "Trash"), LIVE).toContain("Racun za struju");
  await page.screenshot({ path: testInfo.outputPath("undo-notice-wide-en.png") });

  await page.keyboard.press("z");
  await expect(row(page, "Racun za struju")).toBeVisible(LIVE);
  await expect.poll(() => onServer(stack, user.email, "INBOX"), LIVE).toContain("Racun za struju");
  expect(await onServer(stack, user.email, "Trash")).not.toContain("Racun za struju");

  // The Undo button in the notice does the same, after the toolbar's Delete.
  await row(page, "Sastanak u petak").click();
  await page.getByRole("article", { name: "Message" }).getByRole("button", { name: "Delete" }).click();
  await expect(row(page, "Sastanak u petak")).toHaveCount(0);
  await expect.poll(() => onServer(stack, user.email, "Trash"), LIVE).toContain("Sastanak u petak");
  await notice(page).getByRole("button", { name: "Undo" }).click();
  await expect(row(page, "Sastanak u petak")).toBeVisible(LIVE);
  await expect.poll(() => onServer(stack, user.email, "INBOX"), LIVE).toContain("Sastanak u petak");
  expect(await onServer(stack, user.email, "Trash")).not.toContain("Sastanak u petak");

  // Mark as unread has Undo too.
  await row(page, "Sastanak u petak").click();
  await page.getByRole("button", { name: "Mark as unread" }).click();
  await expect(row(page, "Sastanak u petak")).toHaveAttribute("data-seen", "false", LIVE);
  await notice(page).getByRole("button", { name: "Undo" }).click();
  await expect(row(page, "Sastanak u petak")).toHaveAttribute("data-seen", "true", LIVE);
});

test("IMAP: ! reports spam (to Junk with $Junk on the server) and Not spam moves it back", async ({
  page,
  stack,
}, testInfo) => {
  const user = await stack.newUser("spam");
  await deliver(stack, user.email, "Osvojili ste milion", "prevara@primer.rs");
  await signIn(page, user);

  await row(page, "Osvojili ste milion").click();
  const message = page.getByRole("article", { name: "Message" });
  await expect(message.getByRole("button", { name: "Report spam" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("spam-buttons-wide-en.png") });
  await page.keyboard.press("!");
  await expect(row(page, "Osvojili ste milion")).toHaveCount(0);
  await expect(notice(page)).toContainText("spam");
  await expect.poll(() => onServer(stack, user.email, "Junk"), LIVE).toContain("Osvojili ste milion");
  expect(await onServer(stack, user.email, "Junk")).toContain("$Junk");
  expect(await onServer(stack, user.email, "INBOX")).not.toContain("Osvojili ste milion");

  await page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Junk/ }).click();
  await row(page, "Osvojili ste milion").click();
  await message.getByRole("button", { name: "Not spam" }).click();
  await expect(row(page, "Osvojili ste milion")).toHaveCount(0);
  await expect.poll(() => onServer(stack, user.email, "INBOX"), LIVE).toContain("Osvojili ste milion");
  const inbox = await onServer(stack, user.email, "INBOX");
  expect(inbox).toContain("$NotJunk");
  expect(inbox.split(/\s+/)).not.toContain("$Junk");
  expect(await onServer(stack, user.email, "Junk")).not.toContain("Osvojili ste milion");
});

test("IMAP: e archives, u goes back to the list, g i goes to the Inbox", async ({ page, stack }) => {
  const user = await stack.newUser("archive");
  await deliver(stack, user.email, "Stari ugovor");
  await deliver(stack, user.email, "Novi ugovor");
  await signIn(page, user);

  await row(page, "Novi ugovor").click();
  await expect(page.getByRole("article", { name: "Message" })).toBeFocused(LIVE);
  await page.keyboard.press("u");
  await expect(page.getByRole("article", { name: "Message" })).toHaveCount(0);
  await expect(page.getByRole("grid", { name: "Messages" })).toBeFocused();

  await row(page, "Stari ugovor").click();
  await page.keyboard.press("e");
  await expect(row(page, "Stari ugovor")).toHaveCount(0);
  await expect(notice(page)).toContainText("Archived 1");
  await expect.poll(() => onServer(stack, user.email, "Archive"), LIVE).toContain("Stari ugovor");

  await page.keyboard.press("g");
  await page.keyboard.press("s");
  await expect(page.getByRole("heading", { name: "Sent" })).toBeVisible();
  await page.keyboard.press("g");
  await page.keyboard.press("i");
  await expect(row(page, "Novi ugovor")).toBeVisible();
});

test("IMAP on a phone, in Serbian: the spam button and the notice with Opozovi (Undo)", async ({
  page,
  stack,
}, testInfo) => {
  const user = await stack.newUser("phone");
  await deliver(stack, user.email, "Poruka za telefon");
  await page.setViewportSize({ width: 390, height: 800 });
  await signIn(page, user);
  await page.getByLabel("Language").selectOption("sr");

  await page
    .getByRole("grid")
    .getByRole("row", { name: /Poruka za telefon/ })
    .click();
  const message = page.getByRole("article", { name: "Poruka" });
  await expect(message.getByRole("button", { name: "Prijavi kao neželjeno" })).toBeVisible();
  await expect(message.getByRole("button", { name: "Arhiviraj" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("spam-buttons-narrow-sr.png") });
  await page.keyboard.press("#");
  const obavestenje = page.getByRole("status", { name: "Obaveštenje" });
  await expect(obavestenje.getByRole("button", { name: "Opozovi" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("undo-notice-narrow-sr.png") });
  await obavestenje.getByRole("button", { name: "Opozovi" }).click();
  await expect.poll(() => onServer(stack, user.email, "INBOX"), LIVE).toContain("Poruka za telefon");
});

test("IMAP: Shift-click selects a range; # deletes them all and z brings them all back", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("range");
  for (const s of ["Prva", "Druga", "Treca", "Cetvrta"]) await deliver(stack, user.email, `Poruka ${s}`);
  await signIn(page, user);
  await expect(row(page, "Poruka Prva")).toBeVisible();

  // Newest first: Cetvrta, Treca, Druga, Prva.
  await row(page, "Poruka Cetvrta").getByRole("checkbox", { name: "Select message" }).check();
  await row(page, "Poruka Druga").click({ modifiers: ["Shift"] });
  await expect(page.getByText("3 selected")).toBeVisible();
  await expect(page.getByRole("article", { name: "Message" })).toHaveCount(0);
  for (const s of ["Cetvrta", "Treca", "Druga"])
    await expect(row(page, `Poruka ${s}`).getByRole("checkbox")).toBeChecked();
  await expect(row(page, "Poruka Prva").getByRole("checkbox")).not.toBeChecked();

  await page.keyboard.press("#");
  await expect(page.getByRole("grid", { name: "Messages" }).getByRole("row")).toHaveCount(1);
  await expect(notice(page)).toContainText("Deleted 3");
  await expect.poll(() => onServer(stack, user.email, "Trash"), LIVE).toContain("Poruka Treca");
  await page.keyboard.press("z");
  await expect(page.getByRole("grid", { name: "Messages" }).getByRole("row")).toHaveCount(4, LIVE);
  await expect.poll(async () => (await onServer(stack, user.email, "Trash")).trim(), LIVE).toBe("");

  // j / k go through the list from the open message; x selects it; Shift+u marks it unread.
  await row(page, "Poruka Cetvrta").click();
  const heading = (subject: string) =>
    page.getByRole("article", { name: "Message" }).getByRole("heading", { name: subject });
  await expect(heading("Poruka Cetvrta")).toBeVisible();
  await page.keyboard.press("j");
  await expect(heading("Poruka Treca")).toBeVisible();
  await page.keyboard.press("k");
  await expect(heading("Poruka Cetvrta")).toBeVisible();
  await page.keyboard.press("x");
  await expect(row(page, "Poruka Cetvrta").getByRole("checkbox")).toBeChecked();
  await expect(row(page, "Poruka Cetvrta")).toHaveAttribute("data-seen", "true", LIVE);
  await page.keyboard.press("Shift+U");
  await expect(row(page, "Poruka Cetvrta")).toHaveAttribute("data-seen", "false", LIVE);
  await expect(notice(page)).toContainText("Marked 1 as unread");
});
