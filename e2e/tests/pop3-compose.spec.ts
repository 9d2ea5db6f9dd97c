import type { Page } from "@playwright/test";
import { expect, test } from "../fixtures/stack";
import { messageWithPicture } from "@pismo/mail-harness/seed";
import { expectPictureLoaded, forwardWithPicture, writeNewMessage } from "../fixtures/mail-ui";
import { countInFolder } from "../fixtures/sieve";
import { checkMail, messageRows, signInPop3, signOutPop3 } from "../fixtures/pop3";

// Compose for POP3 accounts: mail is sent through the same SMTP submission as for IMAP, but
// the sent copy is kept in this browser's local Sent folder and drafts in its local Drafts.

const folders = (page: Page) => page.getByRole("navigation", { name: "Folders" });

test("a POP3 user composes and sends: the copy is in the local Sent folder and the recipient has it", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("popsend");
  const bob = await stack.newUser("poprcpt");
  await signInPop3(page, ana);
  const compose = await writeNewMessage(page, {
    to: `Bob Builder <${bob.email}>`,
    subject: "Pozdrav iz POP3 sveta",
    text: "Ćao Bobe, šaljem ovo sa POP3 naloga. Đorđe",
  });
  await compose
    .locator('input[type="file"]')
    .setInputFiles({ name: "spisak-ž.txt", mimeType: "text/plain", buffer: Buffer.from("čćšđž\n") });
  await expect(compose.getByText("spisak-ž.txt")).toBeVisible();
  await compose.getByRole("button", { name: "Send" }).click();
  await expect(compose).toHaveCount(0);
  await expect(page.getByText("Message sent.")).toBeVisible();

  await folders(page).getByRole("button", { name: /^Sent/ }).click();
  await expect(messageRows(page)).toHaveCount(1);
  const sentRow = page.getByRole("row", { name: /Pozdrav iz POP3 sveta/ });
  await expect(sentRow).toHaveAttribute("data-seen", "true");
  await sentRow.click();
  const message = page.getByRole("article", { name: "Message" });
  await expect(message.getByRole("heading", { name: "Pozdrav iz POP3 sveta" })).toBeVisible();
  await expect(message).toContainText(`<${ana.email}>`);
  await expect(message).toContainText(`<${bob.email}>`);
  await expect(message.getByRole("button", { name: /spisak-ž\.txt/ })).toBeVisible();
  await expect(page.frameLocator('iframe[title="Message body"]').locator("body")).toContainText(
    "šaljem ovo sa POP3 naloga",
  );

  // Delivered through the private Postfix into bob's mailbox on the server.
  await expect
    .poll(() => stack.mail.doveadm(["fetch", "-u", bob.email, "hdr", "mailbox", "INBOX"]), {
      timeout: 15_000,
    })
    .toContain("Subject: Pozdrav iz POP3 sveta");
  // The local copy survives a reload (IndexedDB), and nothing of it went back to the POP3 server.
  await page.reload();
  await folders(page).getByRole("button", { name: /^Sent/ }).click();
  await expect(page.getByRole("row", { name: /Pozdrav iz POP3 sveta/ })).toBeVisible();
  await checkMail(page);
  await folders(page)
    .getByRole("button", { name: /^Inbox/ })
    .click();
  await expect(messageRows(page)).toHaveCount(0);
});

test("reply to a pulled message keeps the thread; forward carries its attachment", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("popreply");
  const bob = await stack.newUser("popsender");
  const cleo = await stack.newUser("popfwd");
  const originalId = `<pop3-thread-${Date.now()}@primer.rs>`;
  await stack.mail.deliver(
    ana.email,
    [
      `From: Bob Builder <${bob.email}>`,
      `To: ${ana.email}`,
      `Cc: ${cleo.email}`,
      "Subject: Re: Sastanak u petak",
      "Date: Mon, 1 Jun 2026 10:00:00 +0200",
      `Message-ID: ${originalId}`,
      "References: <prvi@primer.rs>",
      "In-Reply-To: <prvi@primer.rs>",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: 8bit",
      "",
      "Vidimo se u petak u podne.",
      "--b1",
      'Content-Type: application/pdf; name="dnevni-red.pdf"',
      'Content-Disposition: attachment; filename="dnevni-red.pdf"',
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from("%PDF-1.4 dnevni red").toString("base64"),
      "--b1--",
      "",
    ].join("\r\n"),
  );
  await signInPop3(page, ana);
  await checkMail(page);
  await page.getByRole("row", { name: /Sastanak u petak/ }).click();
  const message = page.getByRole("article", { name: "Message" });
  await expect(message).toContainText("Vidimo se u petak u podne.");

  // Reply all: Re: once, the sender in To, the other recipient in Cc, the quote below.
  await message.getByRole("button", { name: "Reply all" }).click();
  const replyAll = page.getByRole("dialog", { name: "Reply" });
  await expect(replyAll.getByLabel("To")).toHaveValue(`Bob Builder <${bob.email}>`);
  await expect(replyAll.getByLabel("Cc", { exact: true })).toHaveValue(cleo.email);
  await replyAll.getByRole("button", { name: "Close" }).click();
  await expect(replyAll).toHaveCount(0);

  await message.getByRole("button", { name: "Reply", exact: true }).click();
  const reply = page.getByRole("dialog", { name: "Reply" });
  await expect(reply.getByLabel("To")).toHaveValue(`Bob Builder <${bob.email}>`);
  await expect(reply.getByLabel("Subject")).toHaveValue("Re: Sastanak u petak");
  await expect(reply.getByRole("textbox", { name: "Message text" })).toContainText(
    "Vidimo se u petak u podne.",
  );
  await reply.getByRole("textbox", { name: "Message text" }).press("Control+Home");
  await reply.getByRole("textbox", { name: "Message text" }).pressSequentially("Dogovoreno, vidimo se.");
  await reply.getByRole("button", { name: "Send" }).click();
  await expect(reply).toHaveCount(0);

  await expect
    .poll(() => stack.mail.doveadm(["fetch", "-u", bob.email, "hdr", "mailbox", "INBOX"]), {
      timeout: 15_000,
    })
    .toContain("Subject: Re: Sastanak u petak");
  const headers = (await stack.mail.doveadm(["fetch", "-u", bob.email, "hdr", "mailbox", "INBOX"])).replace(
    /\r?\n[ \t]+/g,
    " ",
  );
  expect(headers).toContain(`In-Reply-To: ${originalId}`);
  expect(headers).toMatch(/References: <prvi@primer\.rs> <pop3-thread-/);
  await folders(page).getByRole("button", { name: /^Sent/ }).click();
  await expect(page.getByRole("row", { name: /Re: Sastanak u petak/ })).toBeVisible();

  // Forward: the attachment exists only in this browser, so it is uploaded when the forward opens.
  await folders(page)
    .getByRole("button", { name: /^Inbox/ })
    .click();
  await page.getByRole("row", { name: /Sastanak u petak/ }).click();
  await message.getByRole("button", { name: "Forward", exact: true }).click();
  const forward = page.getByRole("dialog", { name: "Forward" });
  await expect(forward.getByLabel("Subject")).toHaveValue("Fwd: Sastanak u petak");
  await expect(forward.getByRole("list", { name: "Attachments" }).getByText("dnevni-red.pdf")).toBeVisible();
  await forward.getByLabel("To").fill(cleo.email);
  await expect(forward.getByRole("button", { name: "Send" })).toBeEnabled();
  await forward.getByRole("button", { name: "Send" }).click();
  await expect(forward).toHaveCount(0);
  const forwarded = () =>
    stack.mail.doveadm([
      "fetch",
      "-u",
      cleo.email,
      "body",
      "mailbox",
      "INBOX",
      "subject",
      "Fwd: Sastanak u petak",
    ]);
  await expect.poll(forwarded, { timeout: 15_000 }).toContain("dnevni-red.pdf");
  const body = await forwarded();
  expect(body).toContain(Buffer.from("%PDF-1.4 dnevni red").toString("base64"));
});

test("a draft typed and left is in the local Drafts folder after a reload, and reopens to be finished", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("popdraft");
  await signInPop3(page, ana);
  const compose = await writeNewMessage(page, {
    to: "nekome@pismo.test",
    subject: "Nedovršeno POP3 pismo",
    text: "Ovo pismo još nije gotovo, čuva se ovde.",
  });
  await expect(compose.getByText(/Draft saved/)).toBeVisible({ timeout: 15_000 });

  await page.reload();
  await expect(page.getByRole("button", { name: "Check mail" })).toBeVisible();
  await folders(page)
    .getByRole("button", { name: /^Drafts/ })
    .click();
  await expect(messageRows(page)).toHaveCount(1);
  await page.getByRole("row", { name: /Nedovršeno POP3 pismo/ }).click();
  const reopened = page.getByRole("dialog", { name: "New message" });
  await expect(reopened.getByLabel("To")).toHaveValue("nekome@pismo.test");
  await expect(reopened.getByLabel("Subject")).toHaveValue("Nedovršeno POP3 pismo");
  await expect(reopened.getByRole("textbox", { name: "Message text" })).toContainText(
    "Ovo pismo još nije gotovo, čuva se ovde.",
  );

  // Editing updates the same draft rather than adding one.
  await reopened.getByLabel("Subject").fill("Nedovršeno POP3 pismo, drugi put");
  await expect(page.getByRole("row", { name: /drugi put/ })).toBeVisible({ timeout: 15_000 });
  await expect(messageRows(page)).toHaveCount(1);

  // Discarding removes it from this browser.
  await reopened.getByRole("button", { name: "Discard draft" }).click();
  await expect(reopened).toHaveCount(0);
  await expect(messageRows(page)).toHaveCount(0);
  // Undo brings it back, kept in this browser's Drafts again.
  await page
    .getByRole("status")
    .filter({ hasText: "Draft discarded." })
    .getByRole("button", { name: "Undo" })
    .click();
  await expect(page.getByRole("dialog", { name: "New message" }).getByLabel("Subject")).toHaveValue(
    "Nedovršeno POP3 pismo, drugi put",
  );
  await expect(page.getByRole("row", { name: /drugi put/ })).toBeVisible({ timeout: 15_000 });
});

// The gateway keeps an attached file only for its session: a draft kept in this browser keeps
// the file's bytes too, so it can still be sent after a sign-out (or a gateway restart).
test("a draft's attached file is kept in this browser and goes out after a sign-out and a new sign-in", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("popdraftfile");
  const bob = await stack.newUser("popdraftrcpt");
  await signInPop3(page, ana);
  const compose = await writeNewMessage(page, {
    to: bob.email,
    subject: "Nacrt sa prilogom",
    text: "Prilog je uz pismo.",
  });
  await compose
    .locator('input[type="file"]')
    .setInputFiles({ name: "ugovor-č.txt", mimeType: "text/plain", buffer: Buffer.from("član 1: šđčćž\n") });
  await expect(compose.getByText("ugovor-č.txt")).toBeVisible();
  await expect(compose.getByText(/Draft saved/)).toBeVisible({ timeout: 15_000 });
  await compose.getByRole("button", { name: "Close" }).click();
  await expect(compose).toHaveCount(0);

  // A new session: the gateway's uploads of the first are gone with it.
  await signOutPop3(page, "keep");
  await signInPop3(page, ana);
  await folders(page)
    .getByRole("button", { name: /^Drafts/ })
    .click();
  await page.getByRole("row", { name: /Nacrt sa prilogom/ }).click();
  const reopened = page.getByRole("dialog", { name: "New message" });
  await expect(reopened.getByText("ugovor-č.txt")).toBeVisible();
  const send = reopened.getByRole("button", { name: "Send" });
  await expect(send).toBeEnabled();
  await send.click();
  await expect(reopened).toHaveCount(0);
  await expect(page.getByText("Message sent.")).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: /expired/ })).toHaveCount(0);

  // Delivered with the file's bytes, and the draft and its file are gone from this browser.
  const delivered = () => stack.mail.doveadm(["fetch", "-u", bob.email, "body", "mailbox", "INBOX"]);
  await expect.poll(delivered, { timeout: 15_000 }).toContain("ugovor-");
  expect(await delivered()).toContain(Buffer.from("član 1: šđčćž\n").toString("base64"));
  await folders(page)
    .getByRole("button", { name: /^Drafts/ })
    .click();
  await expect(messageRows(page)).toHaveCount(0);
});

test("a pulled message with a picture in its text forwarded: the picture is in the editor, and in the text the recipient reads", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("poppicture");
  const bob = await stack.newUser("poppictureto");
  await stack.mail.deliver(ana.email, messageWithPicture(ana.email, "Grafikon iz pregledača"));
  await signInPop3(page, ana);
  await checkMail(page);
  await page.getByRole("row", { name: /Grafikon iz pregledača/ }).click();
  // Read out of this browser's copy and uploaded with the forward, as a picture of the text.
  const forward = await forwardWithPicture(page, bob.email);
  await forward.getByRole("button", { name: "Send" }).click();
  await expect(forward).toHaveCount(0);
  expect(await countInFolder(stack, bob.email, "INBOX", "Fwd: Grafikon iz pregledača")).toBe(1);
  const raw = await stack.mail.doveadm(["fetch", "-u", bob.email, "text", "mailbox", "INBOX"]);
  expect(raw).toMatch(/Content-Type: multipart\/related/);
  expect(raw).toContain("Content-ID: <image001.png@01DA>");
});

test("a pulled message with a picture in its text answered: the quote keeps the picture, in the editor and for the one it goes to", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("popreplypicture");
  const bob = await stack.newUser("popreplypictureto");
  await stack.mail.deliver(ana.email, messageWithPicture(ana.email, "Grafikon za odgovor"));
  await signInPop3(page, ana);
  await checkMail(page);
  await page.getByRole("row", { name: /Grafikon za odgovor/ }).click();
  await page
    .getByRole("article", { name: "Message" })
    .getByRole("button", { name: "Reply", exact: true })
    .click();
  const reply = page.getByRole("dialog", { name: "Reply" });
  // Read out of this browser's copy and uploaded with the reply, as a picture of its quote.
  await expectPictureLoaded(
    reply.getByRole("textbox", { name: "Message text" }).getByRole("img", { name: "grafikon" }),
  );
  await reply.getByLabel("To").fill(bob.email);
  await reply.getByRole("button", { name: "Send", exact: true }).click();
  await expect(reply).toHaveCount(0);
  await expect
    .poll(() => countInFolder(stack, bob.email, "INBOX", "Re: Grafikon za odgovor"), { timeout: 15_000 })
    .toBe(1);
  const raw = await stack.mail.doveadm(["fetch", "-u", bob.email, "text", "mailbox", "INBOX"]);
  expect(raw).toMatch(/Content-Type: multipart\/related/);
  expect(raw).toContain("Content-ID: <image001.png@01DA>");
});
