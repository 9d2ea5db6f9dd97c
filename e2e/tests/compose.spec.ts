import { buildMessage, messageWithPicture } from "@pismo/mail-harness/seed";
import { expect, test } from "../fixtures/stack";
import {
  expectPictureLoaded,
  forwardWithPicture,
  reopenFromDrafts,
  row,
  secondDevice,
  signIn,
  writeNewMessage,
} from "../fixtures/mail-ui";
import { wireTrpc } from "../fixtures/trpc-wire";
import { countInFolder } from "../fixtures/sieve";

// Compose and send: a real Postfix (private instance, loopback) delivers into the test Dovecot, so a
// message sent by alice is read by bob in the same run.

test("compose with an attachment, send, and find it in bob's Inbox and alice's Sent", async ({
  page,
  browser,
  stack,
  baseURL,
}) => {
  const alice = await stack.newUser("alice");
  const bob = await stack.newUser("bob");
  await signIn(page, alice);
  const compose = await writeNewMessage(page, {
    to: `Bob Builder <${bob.email}>`,
    subject: "Račun za novembar",
    text: "Zdravo Bobe, račun je u prilogu. Pozdrav, Alisa",
  });
  await compose.locator('input[type="file"]').setInputFiles({
    name: "račun-č.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4 test račun"),
  });
  await expect(compose.getByText("račun-č.pdf")).toBeVisible();
  await compose.getByRole("button", { name: "Send" }).click();
  await expect(compose).toHaveCount(0);

  const nav = page.getByRole("navigation", { name: "Folders" });
  await nav.getByRole("button", { name: /^Sent/ }).click();
  await expect(row(page, "Račun za novembar")).toBeVisible();

  const bobPage = await secondDevice(browser, baseURL);
  await signIn(bobPage, bob);
  await row(bobPage, "Račun za novembar").click();
  const message = bobPage.getByRole("article", { name: "Message" });
  // Rich text goes out as HTML with a plain-text alternative; the HTML shows in the sandbox.
  await expect(bobPage.frameLocator('iframe[title="Message body"]').locator("body")).toContainText(
    "Zdravo Bobe, račun je u prilogu.",
  );
  await expect(message).toContainText(`<${alice.email}>`);
  await expect(message.getByRole("link", { name: /račun-č\.pdf/ })).toBeVisible();

  // Reply: Re: once, thread headers kept, the original marked answered.
  await bobPage.getByRole("button", { name: "Reply", exact: true }).click();
  const reply = bobPage.getByRole("dialog", { name: "Reply" });
  await expect(reply.getByLabel("To")).toHaveValue(alice.email);
  await expect(reply.getByLabel("Subject")).toHaveValue("Re: Račun za novembar");
  await reply.getByRole("textbox", { name: "Message text" }).press("Control+Home");
  await reply.getByRole("textbox", { name: "Message text" }).pressSequentially("Hvala, stiglo je.");
  await reply.getByRole("button", { name: "Send" }).click();
  await expect(reply).toHaveCount(0);

  await expect(row(page, "Re: Račun za novembar")).toHaveCount(0);
  await nav.getByRole("button", { name: /^Inbox/ }).click();
  await expect(row(page, "Re: Račun za novembar")).toBeVisible({ timeout: 15_000 });
  const headers = await stack.mail.doveadm([
    "fetch",
    "-u",
    alice.email,
    "hdr",
    "mailbox",
    "INBOX",
    "subject",
    "Re: Račun za novembar",
  ]);
  const original = await stack.mail.doveadm(["fetch", "-u", bob.email, "hdr.message-id", "mailbox", "INBOX"]);
  const originalId = /<[^>]+>/.exec(original)?.[0];
  expect(originalId).toBeTruthy();
  expect(headers).toContain(`In-Reply-To: ${originalId}`);
  expect(headers).toMatch(new RegExp(`References:.*${originalId?.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  expect(await stack.mail.doveadm(["fetch", "-u", bob.email, "flags", "mailbox", "INBOX"])).toContain(
    "\\Answered",
  );
  await bobPage.context().close();
});

test("a draft is saved while typing and survives a closed tab", async ({ browser, stack, baseURL }) => {
  const alice = await stack.newUser("drafty");
  const first = await secondDevice(browser, baseURL);
  await signIn(first, alice);
  const compose = await writeNewMessage(first, {
    to: "nekome@pismo.test",
    subject: "Nedovršeno pismo",
    text: "Ovo pismo još nije gotovo.",
  });
  await expect(compose.getByText(/Draft saved/)).toBeVisible({ timeout: 15_000 });
  await first.context().close();

  const again = await secondDevice(browser, baseURL);
  await signIn(again, alice);
  await again
    .getByRole("navigation", { name: "Folders" })
    .getByRole("button", { name: /^Drafts/ })
    .click();
  await row(again, "Nedovršeno pismo").click();
  const reopened = again.getByRole("dialog", { name: "New message" });
  await expect(reopened.getByLabel("Subject")).toHaveValue("Nedovršeno pismo");
  await expect(reopened.getByRole("textbox", { name: "Message text" })).toContainText(
    "Ovo pismo još nije gotovo.",
  );
  await again.context().close();
});

test("a rich draft reopened from Drafts and sent as it is: no question about missing text, its plain-text part carries the text, and its Bcc is kept", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("richdraft");
  const bob = await stack.newUser("richdraftto");
  const carol = await stack.newUser("richdraftbcc");
  await signIn(page, alice);
  const compose = await writeNewMessage(page, {
    to: bob.email,
    subject: "Gotov nacrt",
    text: "Sve je spremno za slanje.",
  });
  await compose.getByRole("button", { name: "Cc/Bcc" }).click();
  await compose.getByLabel("Bcc", { exact: true }).fill(carol.email);
  const reopened = await reopenFromDrafts(page, compose, "Gotov nacrt");
  await expect(reopened.getByRole("textbox", { name: "Message text" })).toContainText(
    "Sve je spremno za slanje.",
  );
  // The Bcc came back with the draft (it was left out, and the draft went to To alone).
  await expect(reopened.getByLabel("Bcc", { exact: true })).toHaveValue(new RegExp(carol.email));
  await reopened.getByRole("button", { name: "Send" }).click();
  // Sent as it is: the draft was shown from its HTML part, and its text was taken for empty.
  await expect(page.getByRole("dialog", { name: "Send without any text?" })).toHaveCount(0);
  await expect(reopened).toHaveCount(0);
  expect(await countInFolder(stack, bob.email, "INBOX", "Gotov nacrt")).toBe(1);
  expect(await countInFolder(stack, carol.email, "INBOX", "Gotov nacrt")).toBe(1);
  const body = await stack.mail.doveadm(["fetch", "-u", bob.email, "body", "mailbox", "INBOX"]);
  expect(body).toMatch(
    /Content-Type: text\/plain[^]*?Sve je spremno za slanje\.[^]*?Content-Type: text\/html/,
  );
});

test("Send pressed while the draft is being saved: the message goes once, with its file, and no copy of it is left in Drafts", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("sendsaving");
  const bob = await stack.newUser("sendsavingto");
  const wire = await wireTrpc(page);
  await signIn(page, alice);
  const compose = await writeNewMessage(page, {
    to: bob.email,
    subject: "Poslato dok se čuva",
    text: "Prva verzija.",
  });
  await compose.locator('input[type="file"]').setInputFiles({
    name: "prilog.bin",
    mimeType: "application/octet-stream",
    buffer: Buffer.from("prilog koji ide sa nacrtom"),
  });
  await expect(compose.getByText(/Draft saved/)).toBeVisible({ timeout: 30_000 });
  // The next save (a slow server: its answer held back) puts a new draft, with the file, in
  // place of the first; Send is pressed while it is on its way.
  wire.hold("compose.saveDraft");
  await compose.getByRole("textbox", { name: "Message text" }).pressSequentially(" Dopuna.");
  await expect(compose.getByText("Saving draft…")).toBeVisible({ timeout: 10_000 });
  await expect.poll(() => wire.held.length).toBe(1);
  await compose.getByRole("button", { name: "Send" }).click();
  await expect(compose.getByRole("button", { name: "Sending…" })).toBeDisabled();
  wire.release();
  await expect(compose).toHaveCount(0, { timeout: 30_000 });
  expect(await countInFolder(stack, bob.email, "INBOX", "Poslato dok se čuva")).toBe(1);
  const body = await stack.mail.doveadm(["fetch", "-u", bob.email, "body", "mailbox", "INBOX"]);
  expect(body).toContain("Dopuna.");
  expect(body).toContain("prilog.bin");
  // The draft the save left is the one the send removed (it stayed beside the sent message).
  await expect
    .poll(async () => (await stack.mail.counts(alice.email, "Drafts")).messages, { timeout: 15_000 })
    .toBe(0);
});

test("IMAP: a message with a picture in its text forwarded: the picture goes in the text, and the recipient sees it there", async ({
  page,
  browser,
  baseURL,
  stack,
}) => {
  const alice = await stack.newUser("fwdpicture");
  const bob = await stack.newUser("fwdpictureto");
  await stack.mail.deliver(alice.email, messageWithPicture(alice.email, "Grafikon za sastanak"));
  await signIn(page, alice);
  await row(page, "Grafikon za sastanak").click();
  const shown = page.frameLocator('iframe[title="Message body"]').getByRole("img", { name: "grafikon" });
  await expect(shown).toBeVisible();
  // Listed as image-2.png, and the editor shows it too (it was a broken picture there); what is
  // typed keeps it.
  const forward = await forwardWithPicture(page, bob.email);
  await forward.getByRole("textbox", { name: "Message text" }).press("Control+Home");
  await forward.getByRole("textbox", { name: "Message text" }).pressSequentially("Evo grafikona.");
  await forward.getByRole("button", { name: "Send" }).click();
  await expect(forward).toHaveCount(0);
  expect(await countInFolder(stack, bob.email, "INBOX", "Fwd: Grafikon za sastanak")).toBe(1);

  const bobPage = await secondDevice(browser, baseURL);
  await signIn(bobPage, bob);
  await row(bobPage, "Fwd: Grafikon za sastanak").click();
  const picture = bobPage.frameLocator('iframe[title="Message body"]').getByRole("img", { name: "grafikon" });
  await expect(picture).toBeVisible();
  // Loaded from the message's own part (it was left out of the forward, and the text showed a
  // broken picture), and not listed among the files.
  await expectPictureLoaded(picture);
  await expect(bobPage.frameLocator('iframe[title="Message body"]').locator("body")).toContainText(
    "Evo grafikona.",
  );
  await expect(
    bobPage.getByRole("article", { name: "Message" }).getByRole("list", { name: "Attachments" }),
  ).toHaveCount(0);
  await bobPage.context().close();
});

test("a reply to a message with a picture in its text keeps the picture in its quote, for the one it goes to", async ({
  page,
  browser,
  stack,
  baseURL,
}) => {
  const alice = await stack.newUser("replypicture");
  const bob = await stack.newUser("replypictureto");
  await stack.mail.deliver(alice.email, messageWithPicture(alice.email, "Grafikon za odgovor"));
  await signIn(page, alice);
  await row(page, "Grafikon za odgovor").click();
  await page
    .getByRole("article", { name: "Message" })
    .getByRole("button", { name: "Reply", exact: true })
    .click();
  const reply = page.getByRole("dialog", { name: "Reply" });
  const text = reply.getByRole("textbox", { name: "Message text" });
  // The quote shows the picture in the editor (it was a broken picture there).
  await expectPictureLoaded(text.getByRole("img", { name: "grafikon" }));
  await reply.getByLabel("To").fill(bob.email);
  await page.keyboard.press("Tab");
  await text.press("Control+Home");
  await text.pressSequentially("Vidim, hvala.");
  await reply.getByRole("button", { name: "Send", exact: true }).click();
  await expect(reply).toHaveCount(0);
  await expect
    .poll(() => countInFolder(stack, bob.email, "INBOX", "Re: Grafikon za odgovor"), { timeout: 15_000 })
    .toBe(1);

  const bobPage = await secondDevice(browser, baseURL);
  await signIn(bobPage, bob);
  await row(bobPage, "Re: Grafikon za odgovor").click();
  const body = bobPage.frameLocator('iframe[title="Message body"]');
  await expect(body.locator("body")).toContainText("Vidim, hvala.");
  await expectPictureLoaded(body.getByRole("img", { name: "grafikon" }));
  await bobPage.context().close();
});

test("files chosen together count against the server's limit one by one: the one that would pass it is refused by name", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("batchlimit");
  await signIn(page, alice);
  const compose = await writeNewMessage(page, { to: alice.email, subject: "Tri velika", text: "x" });
  // The test's Postfix takes 10 MiB; each file is about 40 % of it once encoded.
  const file = (name: string) => ({
    name,
    mimeType: "application/octet-stream",
    buffer: Buffer.alloc(3_000_000, 1),
  });
  await compose
    .locator('input[type="file"]')
    .setInputFiles([file("prvi.bin"), file("drugi.bin"), file("treci.bin")]);
  await expect(compose.getByText("treci.bin is too large: the server accepts messages up to")).toBeVisible();
  const chips = compose.getByRole("list", { name: "Attachments" });
  await expect(chips).toContainText("prvi.bin");
  await expect(chips).toContainText("drugi.bin");
  await expect(chips).not.toContainText("treci.bin");
});

test("a reply kept in Drafts and finished later still marks its original answered", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("replydraft");
  await stack.mail.deliver(
    alice.email,
    buildMessage({
      from: "vera@primer.rs",
      to: alice.email,
      subject: "Pitanje za kasnije",
      text: "Kad stigneš.",
    }),
  );
  await signIn(page, alice);
  await row(page, "Pitanje za kasnije").click();
  await page.getByRole("button", { name: "Reply", exact: true }).click();
  const reply = page.getByRole("dialog", { name: "Reply" });
  await reply.getByRole("textbox", { name: "Message text" }).press("Control+Home");
  await reply.getByRole("textbox", { name: "Message text" }).pressSequentially("Evo odgovora.");
  const reopened = await reopenFromDrafts(page, reply, "Re: Pitanje za kasnije");
  await expect(reopened.getByRole("textbox", { name: "Message text" })).toContainText("Evo odgovora.");
  await reopened.getByRole("button", { name: "Send" }).click();
  await expect(reopened).toHaveCount(0);
  expect(await countInFolder(stack, alice.email, "Sent", "Re: Pitanje za kasnije")).toBe(1);
  await expect
    .poll(() => stack.mail.doveadm(["fetch", "-u", alice.email, "flags", "mailbox", "INBOX"]))
    .toContain("\\Answered");
});

test("a plain-text draft reopened without a recipient: what is typed into To stays in To", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("draftto");
  await stack.mail.deliver(
    alice.email,
    `From: ${alice.email}\r\nSubject: Bez primaoca\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSamo tekst.\r\n`,
    { folder: "Drafts" },
  );
  await signIn(page, alice);
  await page
    .getByRole("navigation", { name: "Folders" })
    .getByRole("button", { name: /^Drafts/ })
    .click();
  await row(page, "Bez primaoca").click();
  const reopened = page.getByRole("dialog", { name: "New message" });
  await expect(reopened.getByRole("textbox", { name: "Message text" })).toHaveValue(/Samo tekst\./);
  const to = reopened.getByLabel("To");
  await expect(to).toHaveValue("");
  await to.click();
  await page.keyboard.type("vera@primer.rs");
  await expect(to).toHaveValue("vera@primer.rs");
  await expect(to).toBeFocused();
});

test("a message begun without a recipient is kept in Drafts on the server, for another device to finish", async ({
  page,
  browser,
  baseURL,
  stack,
}) => {
  const alice = await stack.newUser("norcpt");
  await signIn(page, alice);
  await page.getByRole("button", { name: "Compose" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  await compose.getByLabel("Subject").fill("Za koga, još ne znam");
  await compose.getByRole("textbox", { name: "Message text" }).fill("Prvo tekst, primalac posle.");
  // The gateway refused it with "No recipients" before: the window said it was kept only here.
  await expect(compose.getByText(/Draft saved/)).toBeVisible({ timeout: 15_000 });
  await expect(compose.getByText("The draft could not be saved on the server", { exact: false })).toHaveCount(
    0,
  );
  await compose.getByRole("button", { name: "Close" }).click();

  const desk = await secondDevice(browser, baseURL!);
  await signIn(desk, alice);
  await desk
    .getByRole("navigation", { name: "Folders" })
    .getByRole("button", { name: /^Drafts/ })
    .click();
  await row(desk, "Za koga").click();
  const reopened = desk.getByRole("dialog", { name: "New message" });
  await expect(reopened.getByLabel("Subject")).toHaveValue("Za koga, još ne znam");
  await expect(reopened.getByRole("textbox", { name: "Message text" })).toContainText(
    "Prvo tekst, primalac posle.",
  );
  await desk.context().close();
});

test("text typed in plain text is in the rich editor when switched back, and in both parts sent; untouched, the rich version stays", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("toggle");
  await signIn(page, alice);
  const compose = await writeNewMessage(page, { to: alice.email, subject: "Prekidač", text: "" });
  const body = compose.getByRole("textbox", { name: "Message text" });
  await body.click();
  await page.keyboard.type("Prvo ");
  await compose.getByRole("button", { name: "Bold" }).click();
  await page.keyboard.type("podebljano");
  // To plain text and back without a change: the bold is still there.
  await compose.getByRole("button", { name: "Plain text" }).click();
  await compose.getByRole("button", { name: "Rich text" }).click();
  await expect(body.locator("b")).toHaveText("podebljano");
  // Written in plain text: back in the rich editor, it is there (the editor showed the rich
  // version from before, and sent it as the HTML part, without the new line).
  await compose.getByRole("button", { name: "Plain text" }).click();
  await compose.getByRole("textbox", { name: "Message text" }).press("End");
  await page.keyboard.type("\nDrugo, u običnom tekstu.");
  await compose.getByRole("button", { name: "Rich text" }).click();
  await expect(body).toContainText("Drugo, u običnom tekstu.");
  await compose.getByRole("button", { name: "Send", exact: true }).click();
  await expect(compose).toHaveCount(0);
  expect(await countInFolder(stack, alice.email, "INBOX", "Prekidač")).toBe(1);
  const sent = (await stack.mail.doveadm(["fetch", "-u", alice.email, "body", "mailbox", "INBOX"]))
    .replace(/=\r?\n/g, "")
    .replace(/=C4=8D/g, "č");
  const [plainPart, htmlPart] = sent.split(/Content-Type: text\/html/);
  expect(plainPart).toContain("Drugo, u običnom tekstu.");
  expect(htmlPart).toContain("Drugo, u običnom tekstu.");
});

test("Discard draft can be undone: the message comes back as it was, from the notice or with z", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("discard");
  await signIn(page, alice);
  const compose = await writeNewMessage(page, {
    to: "vera@primer.rs",
    subject: "Ne baš za bacanje",
    text: "Dugačak tekst koji ne bi trebalo izgubiti jednim pogrešnim klikom.",
  });
  await expect(compose.getByText(/Draft saved/)).toBeVisible({ timeout: 15_000 });
  await compose.getByRole("button", { name: "Discard draft" }).click();
  await expect(compose).toHaveCount(0);
  // Gone from Drafts at once, as discarding says.
  await expect.poll(() => countInFolder(stack, alice.email, "Drafts", "Ne baš", 0, 0)).toBe(0);
  await page
    .getByRole("status")
    .filter({ hasText: "Draft discarded." })
    .getByRole("button", { name: "Undo" })
    .click();
  const back = page.getByRole("dialog", { name: "New message" });
  await expect(back.getByLabel("To")).toHaveValue("vera@primer.rs");
  await expect(back.getByLabel("Subject")).toHaveValue("Ne baš za bacanje");
  await expect(back.getByRole("textbox", { name: "Message text" })).toContainText("jednim pogrešnim klikom");
  // Kept again, in Drafts.
  await expect(back.getByText(/Draft saved/)).toBeVisible({ timeout: 15_000 });
  expect(await countInFolder(stack, alice.email, "Drafts", "Ne baš")).toBe(1);

  // Discarded again, then z (outside any text field) brings it back too.
  await back.getByRole("button", { name: "Discard draft" }).click();
  await expect(back).toHaveCount(0);
  await page.getByRole("grid", { name: "Messages" }).focus();
  await page.keyboard.press("z");
  await expect(page.getByRole("dialog", { name: "New message" }).getByLabel("Subject")).toHaveValue(
    "Ne baš za bacanje",
  );
});

test("Undo of a discarded draft brings its files back: the saved draft went to Trash, Undo moves it back, and it sends whole", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("discardfiles");
  const bob = await stack.newUser("discardbob");
  await signIn(page, alice);
  const compose = await writeNewMessage(page, {
    to: bob.email,
    subject: "Ugovor, potpisan",
    text: "Ugovor je u prilogu.",
  });
  await compose.locator('input[type="file"]').setInputFiles({
    name: "ugovor.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4 potpisani ugovor"),
  });
  await expect(compose.getByText("ugovor.pdf")).toBeVisible();
  // Saved with its file: the file is the draft's own part now, and no upload holds it.
  await expect(compose.getByText(/Draft saved/)).toBeVisible({ timeout: 15_000 });
  await compose.getByRole("button", { name: "Discard draft" }).click();
  await expect(compose).toHaveCount(0);
  // Gone from Drafts at once; it waits in Trash, as a deleted message does.
  await expect.poll(() => countInFolder(stack, alice.email, "Drafts", "Ugovor", 0, 0)).toBe(0);
  await expect.poll(() => countInFolder(stack, alice.email, "Trash", "Ugovor", 0, 0)).toBe(1);
  await page.getByRole("grid", { name: "Messages" }).focus();
  await page.keyboard.press("z");
  const back = page.getByRole("dialog", { name: "New message" });
  await expect(back.getByLabel("Subject")).toHaveValue("Ugovor, potpisan");
  await expect(back.getByRole("list", { name: "Attachments" })).toContainText("ugovor.pdf");
  await expect(page.getByText("The draft's attached files were discarded with it")).toHaveCount(0);
  // Back in Drafts, out of Trash; sent, the file goes with it.
  expect(await countInFolder(stack, alice.email, "Drafts", "Ugovor")).toBe(1);
  await expect.poll(() => countInFolder(stack, alice.email, "Trash", "Ugovor", 0, 0)).toBe(0);
  await back.getByRole("button", { name: "Send", exact: true }).click();
  await expect(back).toHaveCount(0);
  const received = () =>
    stack.mail.doveadm(["fetch", "-u", bob.email, "body", "mailbox", "INBOX", "subject", "Ugovor"]);
  await expect.poll(received, { timeout: 20_000 }).toContain("ugovor.pdf");
  expect(await received()).toContain(Buffer.from("%PDF-1.4 potpisani ugovor").toString("base64"));
  await expect.poll(() => countInFolder(stack, alice.email, "Drafts", "Ugovor", 0, 0)).toBe(0);
});

test('a rich reply\'s plain part marks the quote with "> ", as plain text shows it too', async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("quoteplain");
  const bob = await stack.newUser("quotebob");
  await stack.mail.deliver(
    alice.email,
    buildMessage({
      from: bob.email,
      to: alice.email,
      subject: "Pitanje o ceni",
      html: "<p>Originalni tekst, prvi red.</p><blockquote><p>Stariji citat.</p></blockquote><p>Poslednji red.</p>",
    }),
  );
  await signIn(page, alice);
  await row(page, "Pitanje o ceni").click();
  await page.getByRole("button", { name: "Reply", exact: true }).click();
  const reply = page.getByRole("dialog", { name: "Reply" });
  const body = reply.getByRole("textbox", { name: "Message text" });
  await body.press("Control+Home");
  await body.pressSequentially("Odgovor na vrhu.");
  // As plain text: the writer's line unmarked, the quote marked, the quote inside it twice.
  await reply.getByRole("button", { name: "Plain text" }).click();
  const plain = reply.getByRole("textbox", { name: "Message text" });
  await expect(plain).toHaveValue(/^Odgovor na vrhu\./);
  const text = await plain.inputValue();
  expect(text).toMatch(
    /wrote:\s*\n> Originalni tekst, prvi red\.\n(>\n)?> > Stariji citat\.\n(>\n)?> Poslednji red\./,
  );
  await reply.getByRole("button", { name: "Rich text" }).click();
  await reply.getByRole("button", { name: "Send", exact: true }).click();
  await expect(reply).toHaveCount(0);
  // Sent: the plain part as the rich one's text, marked the same way.
  expect(await countInFolder(stack, bob.email, "INBOX", "Pitanje o ceni")).toBe(1);
  const got = (await stack.mail.doveadm(["fetch", "-u", bob.email, "body", "mailbox", "INBOX"])).replace(
    /=\r?\n/g,
    "",
  );
  const [plainPart] = got.split(/Content-Type: text\/html/);
  expect(plainPart).toMatch(/^Odgovor na vrhu\./m);
  expect(plainPart).toMatch(/^> Originalni tekst, prvi red\./m);
  expect(plainPart).toMatch(/^> > Stariji citat\./m);
});

test("a refused recipient gives a specific message and keeps the draft open", async ({ page, stack }) => {
  const alice = await stack.newUser("refused");
  await signIn(page, alice);
  const compose = await writeNewMessage(page, {
    to: "nobody-here@pismo.test",
    subject: "Kome?",
    text: "Tekst koji ne sme da se izgubi.",
  });
  await compose.getByRole("button", { name: "Send" }).click();
  await expect(compose.getByRole("alert")).toContainText("The server refused a recipient.");
  await expect(compose.getByRole("alert")).toContainText("nobody-here@pismo.test");
  await expect(compose.getByRole("textbox", { name: "Message text" })).toContainText(
    "Tekst koji ne sme da se izgubi.",
  );
});

// A display name is the sender's to write: one that reads like a list of addresses must not
// add a recipient to the reply.
test("Reply to a sender whose name holds an address and a comma answers that sender alone", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("namedreply");
  await stack.mail.deliver(
    user.email,
    buildMessage({
      from: { name: "Accounts <ceo@victim-corp.example>, Team", address: "eve@evil.example" },
      to: user.email,
      subject: "Hitno placanje",
      text: "Platite danas.",
    }),
  );
  await signIn(page, user);
  await row(page, "Hitno placanje").click();
  await page.getByRole("button", { name: "Reply", exact: true }).click();
  const reply = page.getByRole("dialog", { name: "Reply" });
  await expect(reply.getByLabel("To")).toHaveValue(
    "Accounts ceo@victim-corp.example Team <eve@evil.example>",
  );
});

test("a send whose Sent copy the full mailbox refuses says so, and the draft stays in Drafts", async ({
  page,
  stack,
}) => {
  // Room for the draft, not for the draft and its Sent copy too.
  const alice = await stack.newUser("fullsend", { quotaBytes: 20_000 });
  const bob = await stack.newUser("fullsendto");
  await signIn(page, alice);
  const compose = await writeNewMessage(page, {
    to: bob.email,
    subject: "Pun sanduk",
    text: "Poruka koja ne staje dva puta. ".repeat(250),
  });
  await expect(compose.getByText(/Draft saved/)).toBeVisible({ timeout: 15_000 });
  await compose.getByRole("button", { name: "Send" }).click();
  // After the Undo delay (5 s by default) it goes out; its copy does not fit.
  await expect(
    page.getByText(
      "The message was sent, but the server would not keep a copy in Sent (is the mailbox full?). It stays in Drafts.",
    ),
  ).toBeVisible({ timeout: 20_000 });
  const nav = page.getByRole("navigation", { name: "Folders" });
  await nav.getByRole("button", { name: /^Drafts/ }).click();
  await expect(row(page, "Pun sanduk")).toBeVisible();
});

test("an autosave lost with the connection is tried again without more typing", async ({ page, stack }) => {
  const alice = await stack.newUser("saveretry");
  const wire = await wireTrpc(page);
  // The first save never reaches the gateway: the connection drops with it on its way.
  wire.cutOn("compose.saveDraft", { reaches: false, afterMs: 0 });
  await signIn(page, alice);
  const compose = await writeNewMessage(page, {
    to: alice.email,
    subject: "Nacrt posle prekida",
    text: "Otkucano jednom, pre prekida veze.",
  });
  await expect(
    compose.getByText("The draft could not be saved on the server; it is kept in this browser."),
  ).toBeVisible({
    timeout: 15_000,
  });
  // Nothing typed since: the retry saves it.
  await expect(compose.getByText(/Draft saved/)).toBeVisible({ timeout: 30_000 });
  expect(
    await stack.mail.doveadm(["fetch", "-u", alice.email, "hdr.subject", "mailbox", "Drafts"]),
  ).toContain("Nacrt posle prekida");
});
