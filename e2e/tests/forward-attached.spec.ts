import type { Page } from "@playwright/test";
import { buildMessage } from "@pismo/mail-harness/seed";
import { startTracker } from "../fixtures/tracker";
import { expect, test } from "../fixtures/stack";
import { row, secondDevice, signIn } from "../fixtures/mail-ui";
import { checkMail, signInPop3 } from "../fixtures/pop3";

// Forward as attachment (Roundcube's and Thunderbird's): the whole message, as it is, attached
// to a new one as an .eml file (message/rfc822). Its headers, parts and files go with it
// untouched: what a help desk or an abuse desk asks for. The writer's text is theirs alone.

const SET = "top.__pwned=1;parent.__pwned=1;window.__pwned=1";
const PDF = Buffer.from("%PDF-1.4 opomena");
const SUBJECT = "Opomena <img src=x onerror=alert(1)> pred utuzenje";
/** The file's name: the subject without the characters a file name may not have. */
const EML = "Opomena img src=x onerror=alert(1) pred utuzenje.eml";
const message = (page: Page) => page.getByRole("article", { name: "Message" });

test("IMAP: a hostile message forwarded as an attachment, kept in Drafts on the way, read inert by the recipient on a phone", async ({
  page,
  stack,
  browser,
  baseURL,
}) => {
  const tracker = await startTracker();
  const ana = await stack.newUser("fwa");
  const bob = await stack.newUser("fwab");
  await stack.mail.deliver(
    ana.email,
    buildMessage({
      from: "Napadac <attacker@evil.example>",
      to: ana.email,
      // A subject that would be markup, were it ever written as HTML: in the Subject field, the
      // file's name and the attached message's view it is text.
      subject: SUBJECT,
      messageId: "opomena-7@evil.example",
      html: [
        "<p>Platite odmah.</p>",
        `<script>${SET}</script>`,
        `<img src=x onerror="${SET}">`,
        `<img alt="tracker" src="${tracker.url}/pixel.gif">`,
      ].join("\n"),
      attachments: [{ filename: "opomena.pdf", contentType: "application/pdf", content: PDF }],
    }),
  );
  const dialogs: string[] = [];
  try {
    await signIn(page, ana);
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await row(page, "Opomena").click();
    await expect(page.frameLocator('iframe[title="Message body"]').locator("body")).toContainText(
      "Platite odmah.",
    );
    // The keyboard reaches it as any button of the toolbar.
    const button = message(page).getByRole("button", { name: "Forward as attachment" });
    await button.focus();
    await page.keyboard.press("Enter");
    const compose = page.getByRole("dialog", { name: "Forward" });
    await expect(compose.getByLabel("Subject")).toHaveValue(`Fwd: ${SUBJECT}`);
    const files = compose.getByRole("list", { name: "Attachments" });
    await expect(files.getByText(EML)).toBeVisible();
    // Nothing of the message is quoted: it goes whole, in its file.
    const body = compose.getByRole("textbox", { name: "Message text" });
    await expect(body).not.toContainText("Platite");
    await compose.getByLabel("To").fill(bob.email);
    await body.click();
    await page.keyboard.type("Ovo je stiglo danas, da li je prevara?");
    // Closed with Escape, it waits in Drafts with its file; reopened from there, it still has it.
    await expect(compose.getByText(/Draft saved/)).toBeVisible({ timeout: 15_000 });
    await page.keyboard.press("Escape");
    await expect(compose).toHaveCount(0);
    await page
      .getByRole("navigation", { name: "Folders" })
      .getByRole("button", { name: /^Drafts/ })
      .click();
    await row(page, "Fwd: Opomena").click();
    const again = page.getByRole("dialog", { name: "New message" });
    await expect(again.getByRole("list", { name: "Attachments" }).getByText(EML)).toBeVisible();
    await again.getByRole("button", { name: "Send", exact: true }).click();
    await expect(again).toHaveCount(0);

    // What went out: the original itself, byte for byte, with its own Message-ID and file.
    const received = () =>
      stack.mail.doveadm(["fetch", "-u", bob.email, "body", "mailbox", "INBOX", "subject", "Fwd: Opomena"]);
    await expect.poll(received, { timeout: 20_000 }).toContain("Content-Type: message/rfc822");
    const got = await received();
    expect(got).toContain("Message-ID: <opomena-7@evil.example>");
    expect(got).toContain(PDF.toString("base64"));
    expect(got).toContain("da li je prevara?");

    // Bob reads it on a phone: the attached message opens in Pismo, as inert as any.
    const phone = await secondDevice(browser, baseURL!);
    try {
      await phone.setViewportSize({ width: 390, height: 800 });
      phone.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await signIn(phone, bob);
      await row(phone, "Fwd: Opomena").click();
      await expect(phone.frameLocator('iframe[title="Message body"]').locator("body")).toContainText(
        "da li je prevara?",
      );
      await message(phone)
        .getByRole("button", { name: `Open ${EML}` })
        .click();
      const attached = phone.getByRole("article", { name: "Attached message" });
      await expect(attached.getByRole("heading", { name: SUBJECT })).toBeVisible();
      await expect(attached).toContainText("attacker@evil.example");
      await expect(attached.getByText("opomena.pdf")).toBeVisible();
      await phone.screenshot({
        path: `${process.env.SHOTS_DIR ?? "test-results/shots"}/forward-attached-phone.png`,
      });
      await phone.waitForTimeout(800);
      for (const p of [page, phone])
        expect(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    } finally {
      await phone.context().close();
    }
    expect(dialogs).toEqual([]);
    expect(tracker.hits).toEqual([]);
  } finally {
    await tracker.close();
  }
});

test("POP3: a message from this browser's store forwarded as an attachment, in Serbian, with no text of one's own", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("fwap");
  const bob = await stack.newUser("fwapb");
  await stack.mail.deliver(
    ana.email,
    buildMessage({
      from: "Knjigovodstvo <racuni@firma.example>",
      to: ana.email,
      subject: "Izvod za novembar",
      messageId: "izvod-11@firma.example",
      text: "Izvod je u prilogu.\nPozdrav.",
      attachments: [{ filename: "izvod.pdf", contentType: "application/pdf", content: PDF }],
    }),
  );
  await signInPop3(page, ana);
  await checkMail(page);
  await page.goto("/?lang=sr");
  await page
    .getByRole("grid")
    .getByRole("row", { name: /Izvod za novembar/ })
    .click();
  await page
    .getByRole("article", { name: "Poruka" })
    .getByRole("button", { name: "Prosledi kao prilog" })
    .click();
  const compose = page.getByRole("dialog", { name: "Prosleđivanje" });
  await expect(compose.getByLabel("Naslov")).toHaveValue("Fwd: Izvod za novembar");
  // The stored bytes go up to the gateway, as a file the writer attached would.
  await expect(
    compose.getByRole("list", { name: "Prilozi" }).getByText("Izvod za novembar.eml"),
  ).toBeVisible();
  await compose.getByLabel("Za", { exact: true }).fill(bob.email);
  await expect(compose.getByRole("button", { name: "Pošalji" })).toBeEnabled();
  // No text of one's own: a message that carries a file is a message, sent without a question.
  await compose.getByRole("button", { name: "Pošalji" }).click();
  await expect(compose).toHaveCount(0);
  const received = () =>
    stack.mail.doveadm(["fetch", "-u", bob.email, "body", "mailbox", "INBOX", "subject", "Fwd: Izvod"]);
  await expect.poll(received, { timeout: 20_000 }).toContain("Content-Type: message/rfc822");
  const got = await received();
  expect(got).toContain("Message-ID: <izvod-11@firma.example>");
  expect(got).toContain(PDF.toString("base64"));
  expect(got).toContain('filename="Izvod za novembar.eml"');
});

test("IMAP: ticked messages forwarded together, each whole, named by its subject; a thread's subject kept, mixed ones left to the writer", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("fws");
  const bob = await stack.newUser("fwsb");
  for (const [subject, from] of [
    ["Sastanak u petak", "Mila <mila@firma.example>"],
    ["Re: Sastanak u petak", "Zoran <zoran@firma.example>"],
    ["Ponuda za štampu", "Štamparija <ponude@stampa.example>"],
  ] as const)
    await stack.mail.deliver(
      ana.email,
      buildMessage({ from, to: ana.email, subject, text: `Tekst: ${subject}.` }),
    );
  await signIn(page, ana);
  // Rows by their senders: a subject of one is in the other's.
  const tick = (sender: string) =>
    row(page, sender).getByRole("checkbox", { name: "Select message" }).check();
  await tick("Mila");
  await tick("Zoran");
  await page.getByRole("button", { name: "Forward as attachments" }).click();
  const compose = page.getByRole("dialog", { name: "Forward" });
  // One thread: its subject. Oldest first, each named by its own subject.
  await expect(compose.getByLabel("Subject")).toHaveValue("Fwd: Sastanak u petak");
  const files = compose.getByRole("list", { name: "Attachments" }).getByRole("listitem");
  await expect(files).toHaveText([/^Sastanak u petak\.eml/, /^Re Sastanak u petak\.eml/]);
  await compose.getByRole("button", { name: "Discard draft" }).click();
  await expect(compose).toHaveCount(0);

  // Another subject among them: none is chosen for the writer, and Send asks for one.
  await tick("Štamparija");
  await page.getByRole("button", { name: "Forward as attachments" }).click();
  await expect(compose.getByLabel("Subject")).toHaveValue("");
  await expect(files).toHaveCount(3);
  await compose.getByLabel("To").fill(bob.email);
  await compose.getByRole("button", { name: "Send", exact: true }).click();
  const ask = page.getByRole("dialog", { name: "Send without a subject?" });
  await ask.getByRole("button", { name: "Cancel" }).click();
  await compose.getByLabel("Subject").fill("Tri poruke za tebe");
  await compose.getByLabel("Subject").press("Control+Enter");
  await expect(compose).toHaveCount(0);
  const received = () =>
    stack.mail.doveadm(["fetch", "-u", bob.email, "body", "mailbox", "INBOX", "subject", "Tri poruke"]);
  await expect.poll(received, { timeout: 20_000 }).toContain("Content-Type: message/rfc822");
  const got = await received();
  expect(got.match(/Content-Type: message\/rfc822/g)).toHaveLength(3);
  for (const text of ["Tekst: Sastanak u petak.", "Tekst: Re: Sastanak u petak.", "Tekst: Ponuda za"])
    expect(got).toContain(text);

  // Search results in several folders: each goes from where it is.
  await stack.mail.deliver(
    ana.email,
    buildMessage({
      from: "Mila <mila@firma.example>",
      to: ana.email,
      subject: "Sastanak u petak, zapisnik",
      text: "Zapisnik iz arhive.",
    }),
    { folder: "Archive", flags: ["\\Seen"] },
  );
  const box = page.getByRole("search").getByRole("searchbox", { name: "Search mail" });
  await box.fill("zapisnik in:all");
  await box.press("Enter");
  await expect(page.getByRole("grid", { name: "Messages" }).getByRole("row")).toHaveCount(1);
  await row(page, "zapisnik").getByRole("checkbox", { name: "Select message" }).check();
  await page.getByRole("button", { name: "Forward as attachments" }).click();
  await expect(compose.getByLabel("Subject")).toHaveValue("Fwd: Sastanak u petak, zapisnik");
  await expect(files).toHaveText([/^Sastanak u petak, zapisnik\.eml/]);
  await compose.getByLabel("To").fill(bob.email);
  await compose.getByRole("button", { name: "Send", exact: true }).click();
  await expect(compose).toHaveCount(0);
  const fromArchive = () =>
    stack.mail.doveadm(["fetch", "-u", bob.email, "body", "mailbox", "INBOX", "subject", "zapisnik"]);
  await expect.poll(fromArchive, { timeout: 20_000 }).toContain("Zapisnik iz arhive.");
  await page.getByRole("button", { name: "Back to the folder" }).click();

  // Drafts are finished, not forwarded: a draft ticked there has the bar without it.
  await stack.mail.deliver(
    ana.email,
    buildMessage({ from: ana.email, to: bob.email, subject: "Nedovrseno pismo", text: "Jos pisem." }),
    { folder: "Drafts", flags: ["\\Draft", "\\Seen"] },
  );
  await page
    .getByRole("navigation", { name: "Folders" })
    .getByRole("button", { name: /^Drafts/ })
    .click();
  await row(page, "Nedovrseno pismo").getByRole("checkbox", { name: "Select message" }).check();
  await expect(page.getByRole("button", { name: "Mark as unread" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Forward as attachments" })).toHaveCount(0);
});

test("POP3: ticked messages forwarded together in Serbian from this browser's copies; one kept without its body is named, and nothing opens", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("fwsp");
  const bob = await stack.newUser("fwspb");
  await stack.mail.deliver(
    ana.email,
    buildMessage({
      from: "Mila <mila@firma.example>",
      to: ana.email,
      subject: "Izveštaj",
      text: "Mali izveštaj.",
    }),
  );
  await stack.mail.deliver(
    ana.email,
    buildMessage({
      from: "Zoran <zoran@firma.example>",
      to: ana.email,
      subject: "Velike fotografije",
      text: `${"Veliki red teksta.\n".repeat(4_000)}`,
    }),
  );
  await signInPop3(page, ana);
  // Messages over 50 KB come as their headers only.
  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByRole("checkbox", { name: "Download only the headers of messages larger than" }).check();
  await page.keyboard.press("Escape");
  await checkMail(page);
  await page.goto("/?lang=sr");
  const grid = page.getByRole("grid");
  const tick = (subject: RegExp) => grid.getByRole("row", { name: subject }).getByRole("checkbox").check();
  await tick(/Izveštaj/);
  await tick(/Velike fotografije/);
  await page.getByRole("button", { name: "Prosledi kao priloge" }).click();
  await expect(page.getByText("Od poruke „Velike fotografije“ preuzeta su samo zaglavlja")).toBeVisible();
  await expect(page.getByRole("dialog", { name: "Prosleđivanje" })).toHaveCount(0);

  await grid
    .getByRole("row", { name: /Velike fotografije/ })
    .getByRole("checkbox")
    .uncheck();
  await page.getByRole("button", { name: "Prosledi kao priloge" }).click();
  const compose = page.getByRole("dialog", { name: "Prosleđivanje" });
  await expect(compose.getByLabel("Naslov")).toHaveValue("Fwd: Izveštaj");
  await expect(compose.getByRole("list", { name: "Prilozi" }).getByText("Izveštaj.eml")).toBeVisible();
  await compose.getByLabel("Za", { exact: true }).fill(bob.email);
  await compose.getByRole("button", { name: "Pošalji" }).click();
  await expect(compose).toHaveCount(0);
  const received = () =>
    stack.mail.doveadm(["fetch", "-u", bob.email, "body", "mailbox", "INBOX", "subject", "Fwd:"]);
  await expect.poll(received, { timeout: 20_000 }).toContain("Content-Type: message/rfc822");
  expect(await received()).toContain("Mali izve");
});

test("POP3: a message forwarded as an attachment opens from this browser's copy, its hostile HTML inert", async ({
  page,
  stack,
}) => {
  const tracker = await startTracker();
  const ana = await stack.newUser("fwao");
  const inner = buildMessage({
    from: "Napadac <attacker@evil.example>",
    to: "kolega@firma.example",
    subject: "Lazna faktura",
    html: [
      "<p>Uplatite na novi racun.</p>",
      `<script>${SET}</script>`,
      `<img src=x onerror="${SET}">`,
      `<img alt="tracker" src="${tracker.url}/pixel.gif">`,
    ].join("\n"),
  });
  // As Pismo, Thunderbird and Roundcube send one: the message whole, in an 8bit message/rfc822 part.
  const raw = [
    "From: Kolega <kolega@firma.example>",
    `To: ${ana.email}`,
    "Subject: Fwd: Lazna faktura",
    "Message-ID: <fwd-lazna@firma.example>",
    "Date: Fri, 04 Dec 2026 10:00:00 +0000",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b1"',
    "",
    "--b1",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Pogledaj ovo.",
    "--b1",
    'Content-Type: message/rfc822; name="Lazna faktura.eml"',
    "Content-Transfer-Encoding: 8bit",
    'Content-Disposition: attachment; filename="Lazna faktura.eml"',
    "",
    inner.toString().replace(/\r?\n/g, "\r\n"),
    "--b1--",
    "",
  ].join("\r\n");
  await stack.mail.deliver(ana.email, raw);
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  try {
    await signInPop3(page, ana);
    await checkMail(page);
    await page.goto("/?lang=sr");
    await page
      .getByRole("grid")
      .getByRole("row", { name: /Fwd: Lazna faktura/ })
      .click();
    await page.getByRole("button", { name: "Otvori Lazna faktura.eml" }).click();
    const attached = page.getByRole("article", { name: "Priložena poruka" });
    await expect(attached.getByRole("heading", { name: "Lazna faktura" })).toBeVisible();
    await expect(attached).toContainText("attacker@evil.example");
    await expect(attached.frameLocator('iframe[title="Tekst poruke"]').locator("body")).toContainText(
      "Uplatite na novi racun.",
    );
    await page.waitForTimeout(800);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(tracker.hits).toEqual([]);
    await page.keyboard.press("Escape");
    await expect(attached).toHaveCount(0);
  } finally {
    await tracker.close();
  }
});
