import { buildMessage } from "@pismo/mail-harness/seed";
import { expect, test, type Stack } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";

// The attachment reminder (Thunderbird's, Gmail's, Roundcube's): a message whose writer says a
// file is attached, sent with none, is asked about first. Only the writer's own words count,
// not a quote; attaching the file, or saying so, sends it.

const inboxCount = async (stack: Stack, email: string) => (await stack.mail.counts(email, "INBOX")).messages;

test("IMAP: 'attached' with no file asks first; Cancel goes to Attach files; with the file it goes at once; a quote's words ask nothing", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("remind");
  const bob = await stack.newUser("remindb");
  await stack.mail.deliver(
    ana.email,
    buildMessage({
      from: `Bob <${bob.email}>`,
      to: ana.email,
      subject: "Ugovor",
      text: "Please find the contract attached.",
      attachments: [
        { filename: "ugovor.pdf", contentType: "application/pdf", content: Buffer.from("%PDF-1.4") },
      ],
    }),
  );
  await signIn(page, ana);
  await page.getByRole("button", { name: "Compose" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  await compose.getByLabel("To").fill(bob.email);
  await compose.getByLabel("Subject").fill("Cenovnik");
  const body = compose.getByRole("textbox", { name: "Message text" });
  await body.click();
  await page.keyboard.type("Hi Bob, the price list is attached.");
  await compose.getByRole("button", { name: "Send", exact: true }).click();
  const ask = page.getByRole("dialog", { name: "Send without an attachment?" });
  await expect(ask).toBeVisible();
  await expect(ask).toContainText("The message says a file is attached, but none is.");
  await ask.getByRole("button", { name: "Cancel" }).click();
  await expect(ask).toBeHidden();
  // Back on Attach files, whose Enter opens the file chooser.
  const attach = compose.getByRole("button", { name: "Attach files" });
  await expect(attach).toBeFocused();
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.keyboard.press("Enter")]);
  await chooser.setFiles({
    name: "cenovnik.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4 c"),
  });
  await expect(compose.getByRole("list", { name: "Attachments" }).getByText("cenovnik.pdf")).toBeVisible();
  // Uploaded (Send waits for it): the reminder has nothing to ask, and Ctrl+Enter sends.
  await expect(compose.getByRole("button", { name: "Send", exact: true })).toBeEnabled();
  await body.press("Control+Enter");
  await expect(compose).toHaveCount(0);
  await expect.poll(() => inboxCount(stack, bob.email), { timeout: 15_000 }).toBe(1);

  // A reply whose quote says "attached": the writer's own words say nothing of a file.
  await row(page, "Ugovor").click();
  await page
    .getByRole("article", { name: "Message" })
    .getByRole("button", { name: "Reply", exact: true })
    .click();
  const reply = page.getByRole("dialog", { name: "Reply" });
  await expect(reply.getByRole("textbox", { name: "Message text" })).toContainText("contract attached");
  await page.keyboard.type("Thanks, signed.");
  await reply.getByRole("button", { name: "Send", exact: true }).click();
  await expect(reply).toHaveCount(0);
  await expect(page.getByRole("dialog", { name: "Send without an attachment?" })).toHaveCount(0);
  await expect.poll(() => inboxCount(stack, bob.email), { timeout: 15_000 }).toBe(2);
});

test("in Serbian, in Cyrillic and in plain text: 'u prilogu' with no file asks, and is sent when told to", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("remindsr");
  const bob = await stack.newUser("remindsrb");
  await signIn(page, ana);
  await page.goto("/?lang=sr");
  await page.getByRole("button", { name: "Nova poruka" }).click();
  const compose = page.getByRole("dialog", { name: "Nova poruka" });
  await compose.getByRole("button", { name: "Običan tekst" }).click();
  await compose.getByLabel("Za", { exact: true }).fill(bob.email);
  await compose.getByLabel("Naslov").fill("Уговор");
  await compose.getByRole("textbox", { name: "Tekst poruke" }).fill("Поздрав,\nу прилогу је уговор.");
  await compose.getByRole("button", { name: "Pošalji" }).click();
  const ask = page.getByRole("dialog", { name: "Poslati bez priloga?" });
  await expect(ask).toContainText("Poruka kaže da je datoteka priložena, ali nijedna nije.");
  await page.waitForTimeout(2000);
  expect(await inboxCount(stack, bob.email)).toBe(0);
  await ask.getByRole("button", { name: "Ipak pošalji" }).click();
  await expect(compose).toHaveCount(0);
  await expect.poll(() => inboxCount(stack, bob.email), { timeout: 15_000 }).toBe(1);
});

test("Ctrl+Enter while a file is still uploading waits for it, as the Send button does, and says so", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("remindup");
  const bob = await stack.newUser("remindupb");
  await signIn(page, ana);
  // A slow line: the file takes two seconds to reach the gateway.
  await page.route("**/api/upload**", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await route.continue();
  });
  await page.getByRole("button", { name: "Compose" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  await compose.getByLabel("To").fill(bob.email);
  await compose.getByLabel("Subject").fill("Ugovor");
  const chooser = page.waitForEvent("filechooser");
  await compose.getByRole("button", { name: "Attach files" }).click();
  await (
    await chooser
  ).setFiles({ name: "ugovor.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4 u") });
  const body = compose.getByRole("textbox", { name: "Message text" });
  await body.click();
  await page.keyboard.type("The contract is attached.");
  // While it uploads: not the attachment question (it is being attached), and nothing sent.
  await body.press("Control+Enter");
  await expect(compose.getByText("Wait until the files have uploaded")).toBeVisible();
  await expect(page.getByRole("dialog", { name: "Send without an attachment?" })).toHaveCount(0);
  await expect(compose.getByRole("button", { name: "Send", exact: true })).toBeEnabled({ timeout: 10_000 });
  await body.press("Control+Enter");
  await expect(compose).toHaveCount(0);
  await expect.poll(() => inboxCount(stack, bob.email), { timeout: 15_000 }).toBe(1);
  expect(await stack.mail.doveadm(["fetch", "-u", bob.email, "body", "mailbox", "INBOX"])).toContain(
    "ugovor.pdf",
  );
});
