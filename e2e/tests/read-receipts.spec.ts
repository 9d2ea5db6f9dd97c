import { buildMessage } from "@pismo/mail-harness/seed";
import type { Page } from "@playwright/test";
import { expect, test } from "../fixtures/stack";
import { reopenFromDrafts, row, secondDevice, signIn, writeNewMessage } from "../fixtures/mail-ui";
import { checkMail, signInPop3 } from "../fixtures/pop3";
import { countInFolder } from "../fixtures/sieve";

// Read receipts (RFC 8098): a message can ask for one (Compose → Read receipt); one that asks
// shows the request under its header, and nothing is sent unless the reader presses Send
// receipt. Either answer ends the question for that message, on every device for IMAP
// ($MDNSent, RFC 3503). Where the receipt would go is shown, with a warning when it is not where
// the message came from. Never asked in Junk, Sent or Drafts, nor for a receipt itself.

const message = (page: Page) => page.getByRole("article", { name: "Message" });
const request = (page: Page) => message(page).getByRole("region", { name: "Read receipt" });
// Written in Compose: rich text, shown in the sandboxed frame.
const htmlBody = (page: Page) => page.frameLocator('iframe[title="Message body"]').locator("body");
const rows = (page: Page, subject: string) =>
  page.getByRole("grid").getByRole("row", { name: new RegExp(subject) });

test("IMAP: asked for when sending, sent after the reader's press, asked no more on any device", async ({
  page,
  browser,
  baseURL,
  stack,
}) => {
  const alice = await stack.newUser("rra");
  const bob = await stack.newUser("rrb");
  await signIn(page, alice);
  const compose = await writeNewMessage(page, {
    to: bob.email,
    subject: "Ugovor za potpis",
    text: "Javi kad pročitaš.",
  });
  const ask = compose.getByRole("checkbox", { name: "Read receipt" });
  await expect(ask).not.toBeChecked();
  // Enter on it sends nothing and changes nothing; Space ticks it, as on any checkbox.
  await ask.focus();
  await page.keyboard.press("Enter");
  await expect(compose).toBeVisible();
  await expect(ask).not.toBeChecked();
  await page.keyboard.press("Space");
  await expect(ask).toBeChecked();
  // Kept with the draft: closed, then reopened from Drafts, it still asks.
  const reopened = await reopenFromDrafts(page, compose, "Ugovor za potpis");
  await expect(reopened.getByLabel("Subject")).toHaveValue("Ugovor za potpis");
  await expect(reopened.getByRole("checkbox", { name: "Read receipt" })).toBeChecked();
  await reopened.getByRole("button", { name: "Send" }).click();
  expect(await countInFolder(stack, bob.email, "INBOX", "Ugovor za potpis")).toBe(1);

  // Alice's own copy in Sent asks her nothing.
  await page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Sent/ }).click();
  await row(page, "Ugovor za potpis").click();
  await expect(message(page).getByRole("heading", { level: 2 })).toHaveText("Ugovor za potpis");
  await expect(request(page)).toHaveCount(0);

  const reader = await secondDevice(browser, baseURL!);
  await signIn(reader, bob);
  await row(reader, "Ugovor za potpis").click();
  await expect(request(reader)).toContainText("The sender asks to be told that you read this message.");
  await expect(request(reader)).toContainText(`The receipt would go to ${alice.email}.`);
  await expect(request(reader)).not.toContainText("not to the address");
  await request(reader).getByRole("button", { name: "Send receipt" }).click();
  await expect(reader.getByText("Receipt sent")).toBeVisible();
  await expect(request(reader)).toHaveCount(0);

  // Bob's other device (a fresh browser) opens it: answered already, nothing asked.
  const phone = await secondDevice(browser, baseURL!);
  await signIn(phone, bob);
  await row(phone, "Ugovor za potpis").click();
  await expect(message(phone).getByRole("heading", { level: 2 })).toHaveText("Ugovor za potpis");
  await expect(htmlBody(phone)).toContainText("Javi kad pročitaš.");
  await expect(request(phone)).toHaveCount(0);

  // Alice gets the receipt, which asks for nothing itself.
  expect(await countInFolder(stack, alice.email, "INBOX", "Read: Ugovor za potpis")).toBe(1);
  await page
    .getByRole("navigation", { name: "Folders" })
    .getByRole("button", { name: /^Inbox/ })
    .click();
  await row(page, "Read: Ugovor za potpis").click();
  await expect(message(page)).toContainText(`This is a receipt for the message you sent to ${bob.email}`);
  await expect(request(page)).toHaveCount(0);
  await reader.context().close();
  await phone.context().close();
});

test("IMAP: a receipt to someone else is said so, Don't send sends nothing, and Junk never asks; Serbian", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("rrc");
  const tracker = await stack.newUser("rrtracker");
  const asking = (subject: string) =>
    buildMessage({
      from: "prodaja@primer.rs",
      to: user.email,
      subject,
      text: "Ponuda.",
      headers: { "Disposition-Notification-To": `<${tracker.email}>` },
    });
  await stack.mail.deliver(user.email, asking("Ponuda sa praćenjem"));
  await stack.mail.deliver(user.email, asking("Druga ponuda"));
  await stack.mail.deliver(user.email, asking("Treća ponuda"));
  await signIn(page, user);

  await row(page, "Ponuda sa praćenjem").click();
  await expect(request(page)).toContainText(
    `The receipt would go to ${tracker.email}, not to the address the message came from.`,
  );
  await request(page).getByRole("button", { name: "Don't send" }).click();
  await expect(request(page)).toHaveCount(0);
  // Asked no more, after a reload too (the answer is on the server).
  await page.reload();
  await row(page, "Ponuda sa praćenjem").click();
  await expect(message(page)).toContainText("Ponuda.");
  await expect(request(page)).toHaveCount(0);

  // In Serbian.
  await page.getByLabel("Language").selectOption("sr");
  await rows(page, "Druga ponuda").click();
  const article = page.getByRole("article", { name: "Poruka" });
  const zahtev = article.getByRole("region", { name: "Potvrda o čitanju" });
  await expect(zahtev).toContainText("Pošiljalac traži da mu javite da ste pročitali ovu poruku.");
  await expect(zahtev.getByRole("button", { name: "Pošalji potvrdu" })).toBeVisible();
  await page.getByLabel("Jezik").selectOption("en");

  // Reported as spam: in Junk it asks nothing (a receipt would tell a spammer the address is read).
  await message(page).getByRole("button", { name: "Report spam" }).click();
  await page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Junk/ }).click();
  await row(page, "Druga ponuda").click();
  await expect(message(page)).toContainText("Ponuda.");
  await expect(request(page)).toHaveCount(0);
  // Nothing reached the tracker.
  expect(await countInFolder(stack, tracker.email, "INBOX", "Read:", 1, 1_500)).toBe(0);

  // Settings → Read receipts → never: requests are not shown at all; back to asking, they are.
  await page
    .getByRole("navigation", { name: "Folders" })
    .getByRole("button", { name: /^Inbox/ })
    .click();
  await setPolicy(page, /^Never send a receipt/);
  await row(page, "Treća ponuda").click();
  await expect(message(page)).toContainText("Ponuda.");
  await expect(request(page)).toHaveCount(0);
  await setPolicy(page, "Ask me each time");
  await page.reload();
  await row(page, "Treća ponuda").click();
  await expect(request(page)).toContainText(tracker.email);
});

async function setPolicy(page: Page, choice: string | RegExp) {
  await page.getByRole("button", { name: "Settings", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Settings" });
  await dialog
    .getByRole("region", { name: "Read receipts" })
    .getByRole("group", { name: "When a message asks to be told that you read it:" })
    .getByRole("radio", { name: choice })
    .check();
  // The dialog's sections fill in from the server as they answer, moving its Close button.
  await expect(dialog.getByRole("button", { name: "Save out of office" })).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toHaveCount(0);
}

test("IMAP: in a conversation, answered from the keyboard, the focus goes on to the message", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("rrconv");
  await stack.mail.deliver(
    user.email,
    buildMessage({
      from: "Jelena <jelena@primer.rs>",
      to: user.email,
      subject: "Plan puta",
      text: "Prvi deo.",
      messageId: "<plan-1@primer.rs>",
      date: new Date(Date.UTC(2026, 10, 1, 9)),
    }),
  );
  await stack.mail.deliver(
    user.email,
    buildMessage({
      from: "Jelena <jelena@primer.rs>",
      to: user.email,
      subject: "Re: Plan puta",
      text: "Drugi deo, javi da si pročitao.",
      messageId: "<plan-2@primer.rs>",
      inReplyTo: "<plan-1@primer.rs>",
      references: ["<plan-1@primer.rs>"],
      date: new Date(Date.UTC(2026, 10, 2, 9)),
      headers: { "Disposition-Notification-To": "jelena@primer.rs" },
    }),
  );
  await signIn(page, user);
  await page.getByRole("button", { name: "Conversations" }).click();
  await row(page, "Plan puta").click();
  const asking = page.getByRole("region", { name: "Read receipt" });
  await expect(asking).toHaveCount(1);
  await asking.getByRole("button", { name: "Don't send" }).focus();
  await page.keyboard.press("Enter");
  await expect(asking).toHaveCount(0);
  // Not left on the page's body with the buttons gone: on the message the request was about.
  const answered = page.getByRole("article", { name: "Message" }).filter({ hasText: "Re: Plan puta" });
  await expect(answered).toBeFocused();
});

test("POP3: the receipt is sent from this browser's copy, and the message asks no more here", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("rrpop");
  const sender = await stack.newUser("rrpopsender");
  await stack.mail.deliver(
    user.email,
    buildMessage({
      from: sender.email,
      to: user.email,
      subject: "Preuzeta poruka",
      text: "Stiglo?",
      headers: { "Disposition-Notification-To": sender.email },
    }),
  );
  await signInPop3(page, user);
  await checkMail(page);
  await row(page, "Preuzeta poruka").click();
  await expect(request(page)).toContainText(`The receipt would go to ${sender.email}.`);
  await request(page).getByRole("button", { name: "Send receipt" }).click();
  await expect(page.getByText("Receipt sent")).toBeVisible();
  await expect(request(page)).toHaveCount(0);
  expect(await countInFolder(stack, sender.email, "INBOX", "Read: Preuzeta poruka")).toBe(1);

  await page.reload();
  await row(page, "Preuzeta poruka").click();
  await expect(message(page)).toContainText("Stiglo?");
  await expect(request(page)).toHaveCount(0);
});
