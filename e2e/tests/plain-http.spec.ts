import type { Page } from "@playwright/test";
import { expect, test as stackTest } from "../fixtures/stack";
import { chromiumLaunch } from "../fixtures/chromium";
import { row, signIn, writeNewMessage } from "../fixtures/mail-ui";
import { checkMail, mail, messageRows, signInPop3 } from "../fixtures/pop3";

// A self-hoster may open Pismo over plain HTTP at the server's LAN address before putting it
// behind HTTPS. Such a page is not a secure context: the browser leaves out what it keeps for
// those (crypto.randomUUID, the service worker), and Pismo must work without them. Chromium is
// told that 192.0.2.10 (a documentation address) is this machine's gateway, so the page's
// origin is an IP address that is not loopback, as a LAN address is.
const LAN = "192.0.2.10";
stackTest.use({
  launchOptions: {
    ...chromiumLaunch,
    args: [...chromiumLaunch.args, `--host-resolver-rules=MAP ${LAN} 127.0.0.1`],
  },
});
const test = stackTest.extend<{ baseURL: string }>({
  baseURL: async ({ stack }, use) => {
    await use(stack.gateway.url.replace("127.0.0.1", LAN));
  },
});

const folders = (page: Page) => page.getByRole("navigation", { name: "Folders" });

test("POP3 over plain HTTP at a LAN address: a pull downloads, a local folder is made, a sent copy is kept", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("plainhttp");
  const bob = await stack.newUser("plainrcpt");
  await stack.mail.deliver(ana.email, mail(1, { subject: "Preko običnog HTTP-a" }));
  await signInPop3(page, ana);
  expect(await page.evaluate(() => window.isSecureContext)).toBe(false);

  await checkMail(page);
  await expect(messageRows(page)).toHaveCount(1);
  await expect(page.getByRole("row", { name: /Preko običnog HTTP-a/ })).toBeVisible();

  await folders(page).getByRole("button", { name: "New folder" }).click();
  await page.getByRole("dialog", { name: "New folder" }).getByLabel("Folder name").fill("Kuća");
  await page.getByRole("dialog", { name: "New folder" }).getByRole("button", { name: "Create" }).click();
  await expect(folders(page).getByRole("button", { name: /^Kuća/ })).toBeVisible();

  const compose = await writeNewMessage(page, {
    to: bob.email,
    subject: "Iz LAN-a",
    text: "Stiglo bez HTTPS-a.",
  });
  await compose.getByRole("button", { name: "Send" }).click();
  await expect(compose).toHaveCount(0);
  await expect(page.getByText("Message sent.")).toBeVisible();
  await folders(page).getByRole("button", { name: /^Sent/ }).click();
  await expect(page.getByRole("row", { name: /Iz LAN-a/ })).toBeVisible();
  await expect
    .poll(async () => (await stack.mail.counts(bob.email, "INBOX")).messages, { timeout: 15_000 })
    .toBe(1);
});

test("IMAP over plain HTTP at a LAN address: a message is read and answered", async ({ page, stack }) => {
  const ana = await stack.newUser("plainimap");
  const bob = await stack.newUser("plainimaprcpt");
  await stack.mail.deliver(
    ana.email,
    `From: Bob <${bob.email}>\r\nSubject: Pitanje sa LAN-a\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nRadi li?\r\n`,
  );
  await signIn(page, ana);
  expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
  await row(page, "Pitanje sa LAN-a").click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Radi li?");
  await page.keyboard.press("r");
  const reply = page.getByRole("dialog", { name: "Reply" });
  await expect(reply.getByRole("textbox", { name: "Message text" })).toBeFocused();
  await page.keyboard.type("Radi.");
  await reply.getByRole("button", { name: "Send" }).click();
  await expect(reply).toHaveCount(0);
  await expect
    .poll(async () => (await stack.mail.counts(bob.email, "INBOX")).messages, { timeout: 15_000 })
    .toBe(1);

  // The sender read became a contact, and one is added by hand (both take a new contact's id).
  await page.getByRole("button", { name: "Settings" }).click();
  const contacts = page.getByRole("region", { name: "Contacts" });
  await expect(contacts.getByRole("list", { name: "Contact list" })).toContainText(bob.email);
  await contacts.getByRole("button", { name: "New contact" }).click();
  const form = contacts.getByRole("form", { name: "Contact" });
  await form.getByLabel("Name").fill("Mira sa LAN-a");
  await form.getByLabel("Email addresses").fill("mira@primer.rs");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form).toHaveCount(0);
  await expect(contacts.getByRole("list", { name: "Contact list" })).toContainText("Mira sa LAN-a");
});
