import { buildMessage } from "@pismo/mail-harness/seed";
import type { Page } from "@playwright/test";
import { expect, test } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";
import { checkMail, signInPop3 } from "../fixtures/pop3";

// Edit as new (Roundcube's and Thunderbird's): a message written again as a new one, with its
// recipients, subject, text and attachments, to change and send; nothing of its thread. The
// usual case: a message in Sent to send once more, to someone else or corrected.

const message = (page: Page) => page.getByRole("article", { name: "Message" });
const folders = (page: Page) => page.getByRole("navigation", { name: "Folders" });

const PDF = Buffer.from("%PDF-1.4 cenovnik");

test("IMAP: a sent message written again with its files, sent to someone else, as the identity it was from", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("ean");
  const bob = await stack.newUser("eanb");
  const cleo = await stack.newUser("eanc");
  await stack.mail.deliver(
    ana.email,
    buildMessage({
      from: `Ana <${ana.email}>`,
      to: `Bob <${bob.email}>`,
      cc: cleo.email,
      subject: "Cenovnik za decembar",
      messageId: "cenovnik-1@primer.rs",
      html: "<p>Poštovani,</p><p>u prilogu je <b>cenovnik</b>.</p><p>Ana</p>",
      attachments: [{ filename: "cenovnik.pdf", contentType: "application/pdf", content: PDF }],
    }),
    { folder: "Sent", flags: ["\\Seen"] },
  );
  await signIn(page, ana);
  await folders(page).getByRole("button", { name: /^Sent/ }).click();
  await row(page, "Cenovnik za decembar").click();
  await message(page).getByRole("button", { name: "Edit as new" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  await expect(compose.getByLabel("To")).toHaveValue(`Bob <${bob.email}>`);
  await expect(compose.getByLabel("Cc", { exact: true })).toHaveValue(cleo.email);
  await expect(compose.getByLabel("Subject")).toHaveValue("Cenovnik za decembar");
  const body = compose.getByRole("textbox", { name: "Message text" });
  // The message itself, not quoted: no "wrote:" line, no quote block.
  await expect(body).toContainText("u prilogu je cenovnik.");
  expect(await body.innerHTML()).not.toContain("<blockquote");
  await expect(body).not.toContainText("wrote");
  await expect(compose.getByRole("list", { name: "Attachments" }).getByText("cenovnik.pdf")).toBeVisible();

  await compose.getByLabel("To").fill(cleo.email);
  await compose.getByLabel("Cc", { exact: true }).fill("");
  await compose.getByLabel("Subject").fill("Cenovnik za decembar (ispravljen)");
  await compose.getByRole("button", { name: "Send", exact: true }).click();
  await expect(compose).toHaveCount(0);

  const received = () =>
    stack.mail.doveadm(["fetch", "-u", cleo.email, "hdr body", "mailbox", "INBOX", "subject", "ispravljen"]);
  await expect.poll(received, { timeout: 15_000 }).toContain("cenovnik.pdf");
  const got = (await received()).replace(/\r?\n[ \t]+/g, " ");
  expect(got).toContain(PDF.toString("base64"));
  // A new message: none of the old one's thread.
  expect(got).not.toMatch(/^(In-Reply-To|References):/m);
  expect(got).toContain(`From: ${ana.email}`);
  // The plain-text part keeps the paragraphs apart (it ran them into one line before).
  const decoded = Buffer.from(
    got
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    "latin1",
  ).toString("utf8");
  expect(decoded).toMatch(/Poštovani,\r?\n(\r?\n)?u prilogu je cenovnik\./);
});

test("POP3: a pulled message written again in Serbian, its file uploaded from this browser, in plain text", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("eanp");
  const bob = await stack.newUser("eanpb");
  await stack.mail.deliver(
    ana.email,
    buildMessage({
      from: `Bob <${bob.email}>`,
      to: ana.email,
      subject: "Zapisnik sa sastanka",
      text: "Zapisnik je u prilogu.\nPrvi red.\nDrugi red.",
      attachments: [{ filename: "zapisnik.pdf", contentType: "application/pdf", content: PDF }],
    }),
  );
  await signInPop3(page, ana);
  await checkMail(page);
  await page.goto("/?lang=sr");
  await page
    .getByRole("grid")
    .getByRole("row", { name: /Zapisnik sa sastanka/ })
    .click();
  await page.getByRole("article", { name: "Poruka" }).getByRole("button", { name: "Uredi kao novu" }).click();
  const compose = page.getByRole("dialog", { name: "Nova poruka" });
  await expect(compose.getByLabel("Naslov")).toHaveValue("Zapisnik sa sastanka");
  await expect(compose.getByLabel("Za", { exact: true })).toHaveValue(ana.email);
  await expect(compose.getByRole("list", { name: "Prilozi" }).getByText("zapisnik.pdf")).toBeVisible();
  await compose.getByRole("button", { name: "Običan tekst" }).click();
  await expect(compose.getByRole("textbox", { name: "Tekst poruke" })).toHaveValue(
    /^Zapisnik je u prilogu\.\nPrvi red\.\nDrugi red\.\n?$/,
  );
  await compose.getByLabel("Za", { exact: true }).fill(bob.email);
  await expect(compose.getByRole("button", { name: "Pošalji" })).toBeEnabled();
  await compose.getByRole("button", { name: "Pošalji" }).click();
  await expect(compose).toHaveCount(0);
  const received = () =>
    stack.mail.doveadm(["fetch", "-u", bob.email, "body", "mailbox", "INBOX", "subject", "Zapisnik"]);
  await expect.poll(received, { timeout: 15_000 }).toContain("zapisnik.pdf");
  expect(await received()).toContain(PDF.toString("base64"));
});
