import { buildMessage } from "@pismo/mail-harness/seed";
import type { Page } from "@playwright/test";
import { expect, test, type Stack } from "../fixtures/stack";
import { row, secondDevice, signIn, writeNewMessage } from "../fixtures/mail-ui";
import { checkMail, signInPop3 } from "../fixtures/pop3";
import { wireTrpc } from "../fixtures/trpc-wire";

// Identities and signatures: a display name and a signature set in Settings go out in the
// sent message's From and body; an IMAP account's follow the user to another device (kept on
// the server), a POP3 account's stay in the browser; an address the SMTP server refuses says
// its refusal; a reply is written from the address the message was sent to.

const NAME = "Saša Đorđević";
/** RFC 2047 as nodemailer writes the name (Q encoding, UTF-8). */
const ENCODED_NAME = "=?UTF-8?Q?Sa=C5=A1a_=C4=90or=C4=91evi=C4=87?=";

async function openSettings(page: Page) {
  await page.getByRole("button", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: "Identities" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Signature" })).toBeVisible();
}

/** The delivered message in the recipient's mailbox, headers and bodies as Dovecot decodes them. */
async function delivered(
  stack: Stack,
  email: string,
  subject: string,
): Promise<{ hdr: string; text: string }> {
  let hdr = "";
  await expect
    .poll(
      async () =>
        (hdr = await stack.mail.doveadm([
          "fetch",
          "-u",
          email,
          "hdr",
          "mailbox",
          "INBOX",
          "subject",
          subject,
        ])),
      { timeout: 15_000 },
    )
    .toContain(`Subject: ${subject}`);
  const text = await stack.mail.doveadm([
    "fetch",
    "-u",
    email,
    "text.utf8",
    "mailbox",
    "INBOX",
    "subject",
    subject,
  ]);
  return { hdr, text };
}

test("IMAP: a display name and signature from Settings go out in From and body, and show on another device", async ({
  page,
  browser,
  baseURL,
  stack,
}) => {
  const alice = await stack.newUser("ident");
  const bob = await stack.newUser("identrcpt");
  await signIn(page, alice);
  await openSettings(page);
  const settings = page.getByRole("dialog", { name: "Settings" });
  await settings.getByLabel("Display name").fill(NAME);
  await settings.getByLabel("Plain-text signature").fill(`${NAME}\nPismo tim`);
  await settings.getByRole("radio", { name: "Below the quote" }).check();
  await settings.getByRole("button", { name: "Save identities" }).click();
  await expect(settings.getByRole("status")).toHaveText("Identities saved.");
  await settings.getByRole("button", { name: "Close" }).click();

  // Another device of the same account reads them from the server (METADATA).
  const other = await secondDevice(browser, baseURL);
  // The gateway's answer with the identities arrives a second late on this device (the socket
  // passes through here), so that compose is ready well before them.
  const wire = await wireTrpc(other);
  wire.delay("identities.get", 1_000);
  await signIn(other, alice);
  // The identities are read when compose first needs them (not at sign-in): compose opened
  // at once waits for them and opens with the signature already in the body.
  const early = await openCompose(other);
  await expect(early.getByRole("textbox", { name: "Message text" })).toContainText("Pismo tim");
  await early.getByRole("button", { name: "Discard" }).click();
  await expect(early).toHaveCount(0);
  await openSettings(other);
  await expect(other.getByLabel("Display name")).toHaveValue(NAME);
  await expect(other.getByLabel("Plain-text signature")).toHaveValue(`${NAME}\nPismo tim`);
  await expect(other.getByRole("radio", { name: "Below the quote" })).toBeChecked();
  await other.context().close();

  const compose = await openCompose(page);
  const body = compose.getByRole("textbox", { name: "Message text" });
  await expect(body).toContainText("Pismo tim");
  await compose.getByLabel("To").fill(bob.email);
  await compose.getByLabel("Subject").fill("Sa potpisom");
  await body.press("Control+Home");
  await body.pressSequentially("Zdravo Bobe.");
  await compose.getByRole("button", { name: "Send" }).click();
  await expect(compose).toHaveCount(0);

  const got = await delivered(stack, bob.email, "Sa potpisom");
  expect(got.hdr).toContain(`From: ${ENCODED_NAME}`);
  expect(got.hdr).toContain(`<${alice.email}>`);
  expect(got.text).toContain("Zdravo Bobe.");
  // The plain alternative carries the RFC 3676 separator line "-- " before the signature.
  expect(got.text).toMatch(/\n-- \r?\nSaša Đorđević\r?\nPismo tim/);
});

async function openCompose(page: Page) {
  await page.getByRole("button", { name: "Compose" }).click();
  return page.getByRole("dialog", { name: "New message" });
}

test("IMAP: an address the SMTP server refuses shows its refusal and loses nothing", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("identno");
  const bob = await stack.newUser("identother");
  await signIn(page, alice);
  await openSettings(page);
  const settings = page.getByRole("dialog", { name: "Settings" });
  await settings.getByRole("button", { name: "Add identity" }).click();
  // The new identity's first field has the focus; Enter in a field saves, as in a form, and
  // what is wrong comes into view (it is said at Save, a section below).
  await expect(settings.getByLabel("Display name").nth(1)).toBeFocused();
  // Removed with the keyboard, with no other to remove: the focus goes to Add identity.
  await settings.getByRole("button", { name: /^Remove identity/ }).press("Enter");
  await expect(settings.getByLabel("Display name")).toHaveCount(1);
  await expect(settings.getByRole("button", { name: "Add identity" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(settings.getByLabel("Display name").nth(1)).toBeFocused();
  await settings.getByLabel("Sender address").nth(1).fill("not an address");
  await settings.getByLabel("Sender address").nth(1).press("Enter");
  await expect(settings.getByRole("alert")).toHaveText('"not an address" is not an email address.');
  await expect(settings.getByRole("alert")).toBeInViewport();
  await settings.getByLabel("Sender address").nth(1).fill(bob.email);
  await settings.getByLabel("Display name").nth(1).fill("Not really Bob");
  await settings.getByLabel("Display name").nth(1).press("Enter");
  await expect(settings.getByRole("status")).toHaveText("Identities saved.");
  await settings.getByRole("button", { name: "Close" }).click();

  const compose = await writeNewMessage(page, {
    to: bob.email,
    subject: "Kao neko drugi",
    text: "Ovaj tekst ne sme da se izgubi.",
  });
  await compose.getByLabel("From").selectOption({ label: `Not really Bob <${bob.email}>` });
  await compose.getByRole("button", { name: "Send" }).click();
  // Postfix's own words (reject_sender_login_mismatch), not a generic failure.
  await expect(compose.getByRole("alert")).toContainText("Sender address rejected");
  await expect(compose.getByRole("alert")).toContainText(bob.email);
  await expect(compose.getByRole("textbox", { name: "Message text" })).toContainText(
    "Ovaj tekst ne sme da se izgubi.",
  );
  await expect(compose.getByLabel("From")).toHaveValue(/.+/);
});

test("IMAP: a reply is written from the identity the message was sent to", async ({ page, stack }) => {
  const alice = await stack.newUser("identreply");
  const alias = `prodaja-${Date.now()}@pismo.test`;
  await stack.mail.deliver(
    alice.email,
    [
      "From: Kupac <kupac@primer.rs>",
      `To: Prodaja <${alias}>`,
      `Cc: ${alice.email}, Vera <vera@primer.rs>`,
      "Subject: Upit za ponudu",
      "Date: Mon, 1 Jun 2026 10:00:00 +0200",
      `Message-ID: <upit-${Date.now()}@primer.rs>`,
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Pošaljite ponudu.",
      "",
    ].join("\r\n"),
  );
  await signIn(page, alice);
  await openSettings(page);
  const settings = page.getByRole("dialog", { name: "Settings" });
  await settings.getByRole("button", { name: "Add identity" }).click();
  await settings.getByLabel("Display name").nth(1).fill("Prodaja");
  await settings.getByLabel("Sender address").nth(1).fill(alias);
  await settings.getByLabel("Signature for").selectOption(alias);
  await settings.getByLabel("Plain-text signature").fill("Odeljenje prodaje");
  await settings.getByRole("radio", { name: "Above the quote" }).check();
  await settings.getByRole("button", { name: "Save identities" }).click();
  await expect(settings.getByRole("status")).toHaveText("Identities saved.");
  await settings.getByRole("button", { name: "Close" }).click();

  await row(page, "Upit za ponudu").click();
  await page.getByRole("button", { name: "Reply", exact: true }).click();
  const reply = page.getByRole("dialog", { name: "Reply" });
  await expect(reply.getByLabel("From")).toHaveValue(/.+/);
  await expect(reply.getByLabel("From").locator("option:checked")).toHaveText(`Prodaja <${alias}>`);
  // Its signature, above the quote.
  const body = reply.getByRole("textbox", { name: "Message text" });
  await expect(body).toContainText("Odeljenje prodaje");
  const text = await body.innerText();
  expect(text.indexOf("Odeljenje prodaje")).toBeLessThan(text.indexOf("Pošaljite ponudu."));
  // Sent as the account itself (no signature) and back: the signature comes back above the
  // quote, below what was written (plain text's placement: the protocol's unit tests).
  await body.press("Control+Home");
  await body.pressSequentially("Šaljemo ponudu sutra.");
  await reply.getByLabel("From").selectOption({ index: 0 });
  await expect(body).not.toContainText("Odeljenje prodaje");
  await reply.getByLabel("From").selectOption({ label: `Prodaja <${alias}>` });
  await expect(body).toContainText("Odeljenje prodaje");
  const again = await body.innerText();
  expect(again.indexOf("Šaljemo ponudu sutra.")).toBeLessThan(again.indexOf("Odeljenje prodaje"));
  expect(again.indexOf("Odeljenje prodaje")).toBeLessThan(again.indexOf("wrote:"));
  await reply.getByRole("button", { name: "Discard draft" }).click();

  // Reply all copies the others, and none of the account's own addresses (the main one was
  // copied before, the reply being written from the alias).
  await page.getByRole("button", { name: "Reply all", exact: true }).click();
  const all = page.getByRole("dialog", { name: "Reply" });
  await expect(all.getByLabel("To")).toHaveValue("Kupac <kupac@primer.rs>");
  await expect(all.getByLabel("Cc", { exact: true })).toHaveValue("Vera <vera@primer.rs>");
});

test("IMAP: choosing another sender changes the signature in the message, rich or plain; one the writer removed is not put back", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("identsig");
  const alias = `podrska-${Date.now()}@pismo.test`;
  await signIn(page, alice);
  await openSettings(page);
  const settings = page.getByRole("dialog", { name: "Settings" });
  await settings.getByLabel("Plain-text signature").fill("Ana Lične");
  await settings.getByRole("button", { name: "Add identity" }).click();
  await settings.getByLabel("Display name").nth(1).fill("Podrška");
  await settings.getByLabel("Sender address").nth(1).fill(alias);
  await settings.getByLabel("Signature for").selectOption(alias);
  await settings.getByLabel("Plain-text signature").fill("Tim podrške\nRadnim danima 9–17");
  await settings.getByRole("button", { name: "Save identities" }).click();
  await expect(settings.getByRole("status")).toHaveText("Identities saved.");
  await settings.getByRole("button", { name: "Close" }).click();

  const compose = await openCompose(page);
  const body = compose.getByRole("textbox", { name: "Message text" });
  await expect(body).toContainText("Ana Lične");
  await body.press("Control+Home");
  await body.pressSequentially("Poštovani, evo odgovora.");
  await compose.getByLabel("From").selectOption({ label: `Podrška <${alias}>` });
  await expect(body).toContainText("Tim podrške");
  await expect(body).not.toContainText("Ana Lične");
  await expect(body).toContainText("Poštovani, evo odgovora.");
  // Plain text, and back to the first sender: the same.
  await compose.getByRole("button", { name: "Plain text" }).click();
  const plain = compose.getByRole("textbox", { name: "Message text" });
  await compose.getByLabel("From").selectOption({ index: 0 });
  await expect(plain).toHaveValue(/Poštovani, evo odgovora\.[\s\S]*-- \nAna Lične/);
  await expect(plain).not.toHaveValue(/Tim podrške/);
  await compose.getByLabel("From").selectOption({ label: `Podrška <${alias}>` });
  await expect(plain).toHaveValue(/-- \nTim podrške\nRadnim danima 9–17/);
  // Removed by the writer: another sender adds none back.
  await plain.fill("Bez potpisa.");
  await compose.getByLabel("From").selectOption({ index: 0 });
  await expect(plain).toHaveValue("Bez potpisa.");
  await compose.getByLabel("From").selectOption({ label: `Podrška <${alias}>` });
  await expect(plain).toHaveValue("Bez potpisa.");
  await compose.getByRole("button", { name: "Discard draft" }).click();

  // A forwarded message from another Pismo carries its sender's signature, marked as ours are:
  // changing the sender changes only the writer's own.
  await stack.mail.deliver(
    alice.email,
    buildMessage({
      from: "Vera <vera@primer.rs>",
      to: alice.email,
      subject: "Verina poruka",
      html: '<p>Tekst poruke.</p><div data-signature="">-- <br>Verin potpis</div>',
    }),
  );
  await row(page, "Verina poruka").click();
  await page.getByRole("button", { name: "Forward", exact: true }).click();
  const forward = page.getByRole("dialog", { name: "Forward" });
  const fwdBody = forward.getByRole("textbox", { name: "Message text" });
  await expect(fwdBody).toContainText("Verin potpis");
  await forward.getByLabel("From").selectOption({ label: `Podrška <${alias}>` });
  await expect(fwdBody).toContainText("Tim podrške");
  await expect(fwdBody).toContainText("Verin potpis");
  await expect(fwdBody).not.toContainText("Ana Lične");
});

test("POP3: identities are kept in the browser; the name and signature go out in From and body", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("popident");
  const bob = await stack.newUser("popidentrcpt");
  await signInPop3(page, ana);
  await page.getByRole("button", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: "Identities" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Signature" })).toBeVisible();
  await page.getByLabel("Display name").fill(NAME);
  await page.getByLabel("Plain-text signature").fill("Ana sa POP3 naloga");
  await page.getByRole("button", { name: "Save identities" }).click();
  await expect(page.getByText("Identities saved.")).toBeVisible();

  // Kept in this browser's store: still there after a reload.
  await page.reload();
  await page.getByRole("button", { name: "Settings" }).click();
  await expect(page.getByLabel("Display name")).toHaveValue(NAME);

  const compose = await writeNewMessage(page, {
    to: bob.email,
    subject: "POP3 sa potpisom",
    text: "Zdravo.",
  });
  // writeNewMessage replaced the body: put the signature back as the user would see it inserted.
  await compose.getByRole("button", { name: "Discard" }).click();
  const fresh = await openCompose(page);
  const body = fresh.getByRole("textbox", { name: "Message text" });
  await expect(body).toContainText("Ana sa POP3 naloga");
  await fresh.getByLabel("To").fill(bob.email);
  await fresh.getByLabel("Subject").fill("POP3 sa potpisom");
  await body.press("Control+Home");
  await body.pressSequentially("Zdravo.");
  await fresh.getByRole("button", { name: "Send" }).click();
  await expect(fresh).toHaveCount(0);

  const got = await delivered(stack, bob.email, "POP3 sa potpisom");
  expect(got.hdr).toContain(`From: ${ENCODED_NAME}`);
  expect(got.text).toContain("Zdravo.");
  expect(got.text).toMatch(/\n-- \r?\nAna sa POP3 naloga/);
});

test("Escape or Close in Settings with an identity edited and not saved asks first, and keeps the edit if told to", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("unsaved");
  await signIn(page, alice);
  await openSettings(page);
  const settings = page.getByRole("dialog", { name: "Settings" });
  await settings.getByLabel("Display name").fill("Alisa Nesačuvana");
  const asked: string[] = [];
  page.once("dialog", (d) => {
    asked.push(d.message());
    void d.dismiss();
  });
  await page.keyboard.press("Escape");
  await expect.poll(() => asked).toEqual(["Close Settings without saving your changes?"]);
  await expect(settings).toBeVisible();
  await expect(settings.getByLabel("Display name")).toHaveValue("Alisa Nesačuvana");

  page.once("dialog", (d) => void d.accept());
  await settings.getByRole("button", { name: "Close" }).click();
  await expect(settings).toBeHidden();
  // Nothing left to lose: no question.
  await openSettings(page);
  await settings.getByRole("button", { name: "Close" }).click();
  await expect(settings).toBeHidden();
});

test("POP3: opening a message or a folder beside Settings with an identity edited and not saved asks first, and keeps the edit if told to", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("popunsaved");
  await stack.mail.deliver(
    ana.email,
    buildMessage({
      from: "vera@primer.rs",
      to: ana.email,
      subject: "Plan puta",
      text: "Polazimo u sedam.\r\n",
    }),
  );
  await signInPop3(page, ana);
  await checkMail(page);
  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByLabel("Plain-text signature").fill("Ana, nesačuvano");
  const asked: string[] = [];
  page.on("dialog", (d) => {
    asked.push(d.message());
    void d.dismiss();
  });
  await page.getByRole("row", { name: /Plan puta/ }).click();
  await expect.poll(() => asked).toEqual(["Close Settings without saving your changes?"]);
  await expect(page.getByLabel("Plain-text signature")).toHaveValue("Ana, nesačuvano");
  await page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Sent/ }).click();
  await expect.poll(() => asked).toHaveLength(2);
  await expect(page.getByLabel("Plain-text signature")).toHaveValue("Ana, nesačuvano");

  page.removeAllListeners("dialog");
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("row", { name: /Plan puta/ }).click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Polazimo u sedam.");
  await expect(page.getByLabel("Plain-text signature")).toHaveCount(0);
});
