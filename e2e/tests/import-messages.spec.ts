import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { buildMessage } from "@pismo/mail-harness/seed";
import { expect, test } from "../fixtures/stack";
import { secondDevice, signIn } from "../fixtures/mail-ui";
import { checkMail, mail, messageRows, signInPop3 } from "../fixtures/pop3";
import { wireTrpc } from "../fixtures/trpc-wire";

// Import messages, for either protocol: an mbox (what Export writes, or another program's) or
// an .eml goes into the folder shown. POP3 keeps mail in this browser and the seed has it carried
// to another computer: the mbox exported at sign-out comes back in there. IMAP APPENDs each
// message to the server's folder, read and dated as written. A file that is not mail is named,
// and nothing else is lost.

const PDF = Buffer.from("%PDF-1.4 izvod");

type ChosenFile = { name: string; mimeType: string; buffer: Buffer };

/** Presses the import button (named in the page's language) and chooses `file`. */
async function chooseToImport(page: Page, button: string, file: ChosenFile): Promise<void> {
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: button }).click();
  await (await chooser).setFiles(file);
}

test("mail exported at sign-out is imported on another computer, in Serbian: its messages, text, files, and which were read and flagged; an .eml too; a file that is not mail is refused by name", async ({
  page,
  stack,
  browser,
  baseURL,
}) => {
  const user = await stack.newUser("popimp");
  await stack.mail.deliver(user.email, mail(1));
  await stack.mail.deliver(
    user.email,
    buildMessage({
      from: "Banka <izvodi@banka.example>",
      to: user.email,
      subject: "Izvod za novembar",
      text: "Izvod je u prilogu.\nFrom the bank, with thanks.",
      attachments: [{ filename: "izvod.pdf", contentType: "application/pdf", content: PDF }],
    }),
  );
  await signInPop3(page, user);
  await checkMail(page);
  await expect(messageRows(page)).toHaveCount(2);
  // The .eml of one, as Download .eml saves it.
  await messageRows(page).filter({ hasText: "Poruka 1" }).click();
  const emlDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download .eml" }).click();
  const eml = readFileSync(await (await emlDownload).path());
  // The bank's statement is kept unread and flagged; Poruka 1 was read.
  await messageRows(page).filter({ hasText: "Izvod za novembar" }).click();
  const shown = page.getByRole("article", { name: "Message" });
  await shown.getByRole("button", { name: "Flag" }).click();
  await shown.getByRole("button", { name: "Mark as unread" }).click();
  await expect(messageRows(page).filter({ hasText: "Izvod za novembar" })).toHaveAttribute(
    "data-seen",
    "false",
  );
  // Signing out, the mail only here is exported, then removed from this browser.
  await page.getByRole("button", { name: "Sign out" }).click();
  const dialog = page.getByRole("dialog", { name: "Sign out" });
  const mboxDownload = page.waitForEvent("download");
  await dialog.getByRole("button", { name: "Export mail only in this browser (mbox)" }).click();
  const mbox = readFileSync(await (await mboxDownload).path());
  await dialog.getByRole("button", { name: "Remove mail from this browser" }).click();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();

  // Another computer.
  const other = await secondDevice(browser, baseURL!);
  try {
    await signInPop3(other, user);
    await other.goto("/?lang=sr");
    const grid = other.getByRole("grid");
    await expect(grid).toContainText("U ovom pregledaču još nema pošte");
    const importFile = (file: ChosenFile) => chooseToImport(other, "Uvezi poruke", file);
    await importFile({ name: "pismo-samo-u-pregledacu.mbox", mimeType: "application/mbox", buffer: mbox });
    await expect(other.getByText("U folder Prijemno sanduče uvezene su 2 poruke.")).toBeVisible();
    await expect(grid.getByRole("row")).toHaveCount(2);
    // Each as it was on the first computer: the statement unread and flagged, Poruka 1 read.
    await expect(
      grid.getByRole("row", { name: /Izvod za novembar.*Nepročitano, Sa zastavicom/ }),
    ).toHaveCount(1);
    await expect(grid.getByRole("row", { name: /Poruka 1/ })).toHaveAttribute("data-seen", "true");
    await expect(
      other.getByRole("navigation", { name: "Folderi" }).getByRole("button", { name: /^Prijemno sanduče/ }),
    ).toHaveAccessibleName("Prijemno sanduče 1 nepročitana");
    await grid.getByRole("row", { name: /Izvod za novembar/ }).click();
    const message = other.getByRole("article", { name: "Poruka" });
    // Its text whole: the mbox's quoted "From " line inside it is back as it was.
    await expect(message).toContainText("From the bank, with thanks.");
    await expect(message).not.toContainText(">From the bank");
    await expect(message.getByText("izvod.pdf")).toBeVisible();

    // The same file again: nothing is stored twice.
    await importFile({ name: "pismo-samo-u-pregledacu.mbox", mimeType: "application/mbox", buffer: mbox });
    await expect(
      other.getByText(
        "Ništa novo u pismo-samo-u-pregledacu.mbox: 2 poruke su već u folderu Prijemno sanduče.",
      ),
    ).toBeVisible();
    await expect(grid.getByRole("row")).toHaveCount(2);

    // Poruka 1's .eml is a message the mbox brought already; written again (another
    // Message-ID), it is another message.
    await importFile({ name: "Poruka 1.eml", mimeType: "message/rfc822", buffer: eml });
    await expect(
      other.getByText("Ništa novo u Poruka 1.eml: 1 poruka je već u folderu Prijemno sanduče."),
    ).toBeVisible();
    await expect(grid.getByRole("row")).toHaveCount(2);
    const rewritten = Buffer.from(eml.toString("latin1").replace("<e2e-1-", "<e2e-1-again-"), "latin1");
    await importFile({ name: "Poruka 1 opet.eml", mimeType: "message/rfc822", buffer: rewritten });
    await expect(other.getByText("U folder Prijemno sanduče uvezena je 1 poruka.")).toBeVisible();
    await expect(grid.getByRole("row")).toHaveCount(3);

    await importFile({ name: "izvod.pdf", mimeType: "application/pdf", buffer: PDF });
    await expect(
      other.getByText("Ništa nije uvezeno iz izvod.pdf: nije ni mbox ni .eml datoteka."),
    ).toBeVisible();
    await expect(grid.getByRole("row")).toHaveCount(3);

    // Imported mail is this browser's: a pull neither fetches it again nor removes it.
    await other.getByRole("button", { name: "Proveri poštu" }).click();
    await expect(other.getByText(/Poslednja provera/)).toBeVisible({ timeout: 30_000 });
    await other.reload();
    await expect(other.getByRole("grid").getByRole("row")).toHaveCount(3);
  } finally {
    await other.context().close();
  }
});

test("IMAP: an mbox and an .eml imported into a folder on the server, in their own date order, read unless the mbox kept them otherwise, deleted ones left out; a file that is not mail is refused by name", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("imapimp");
  const message = (subject: string, date: string, text: string) =>
    [
      "From: Stari Drug <drug@example.rs>",
      `To: ${user.email}`,
      `Subject: ${subject}`,
      `Date: ${date}`,
      `Message-ID: <${subject.replace(/\W+/g, "-")}@example.rs>`,
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: 8bit",
      "",
      text,
      "",
    ].join("\n");
  const mbox = Buffer.from(
    [
      "From drug@example.rs Tue Mar 12 08:30:00 2019",
      message("Pismo iz 2019.", "Tue, 12 Mar 2019 09:30:00 +0100", "Davno, čćšđž.\n>From the archive."),
      // Kept unread, flagged and answered by the program that wrote the mbox.
      "From drug@example.rs Wed Mar 13 08:30:00 2019",
      "Status: O",
      "X-Status: AF",
      message("Odgovor iz 2019.", "Wed, 13 Mar 2019 09:30:00 +0100", "Drugo pismo."),
      // Deleted in Thunderbird, still in its mbox until compacted: not brought back.
      "From - Thu Mar 14 08:30:00 2019",
      "X-Mozilla-Status: 0009",
      message("Obrisano 2019.", "Thu, 14 Mar 2019 09:30:00 +0100", "Obrisano."),
    ].join("\n"),
  );
  // Each message's APPEND answered 0.6 s late: the button says how far the file is.
  const wire = await wireTrpc(page);
  wire.delay("compose.importMessage", 600);
  await signIn(page, user);
  await page
    .getByRole("navigation", { name: "Folders" })
    .getByRole("button", { name: /^Archive/ })
    .click();
  const importFile = (file: ChosenFile) => chooseToImport(page, "Import messages", file);
  await importFile({ name: "arhiva.mbox", mimeType: "application/mbox", buffer: mbox });
  await expect(page.getByRole("button", { name: "Importing 1 of 2…" })).toBeDisabled();
  await expect(page.getByText("2 messages imported into Archive.")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole("button", { name: "Import messages" })).toBeEnabled();
  const grid = page.getByRole("grid", { name: "Messages" });
  await expect(grid.getByRole("row", { name: /2019/ })).toHaveCount(2);
  // Newest first by arrival, which is each message's own date.
  await expect(grid.getByRole("row", { name: /2019/ }).first()).toContainText("Odgovor iz 2019.");
  await expect(grid.getByRole("row", { name: /Odgovor iz 2019.*Unread, Flagged/ })).toHaveCount(1);
  await grid.getByRole("row", { name: /Pismo iz 2019/ }).click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText("From the archive.");
  // The mbox's quoted ">From" is the message's "From" again.
  await expect(page.getByRole("article", { name: "Message" })).not.toContainText(">From the archive.");

  await importFile({
    name: "jedno.eml",
    mimeType: "message/rfc822",
    buffer: Buffer.from(message("Jedno pismo", "Fri, 1 Jan 2021 10:00:00 +0100", "Jedno.")),
  });
  await expect(page.getByText("1 message imported into Archive.")).toBeVisible({ timeout: 15_000 });
  await importFile({ name: "racun.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4") });
  await expect(
    page.getByText("Nothing was imported from racun.pdf: it is neither an mbox nor an .eml file."),
  ).toBeVisible();
  await expect(grid.getByRole("row")).toHaveCount(3);
  // The mbox again: nothing is stored twice.
  await importFile({ name: "arhiva.mbox", mimeType: "application/mbox", buffer: mbox });
  await expect(
    page.getByText("Nothing new in arhiva.mbox: its 2 messages are already in Archive."),
  ).toBeVisible({
    timeout: 15_000,
  });
  await expect(grid.getByRole("row")).toHaveCount(3);
  // Written back out from the server: each message with its state, nothing marked read by it.
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export folder (mbox)" }).click();
  const exported = readFileSync(await (await download).path()).toString("utf8");
  expect((await download).suggestedFilename()).toBe("Archive.mbox");
  expect(exported.match(/^From \S+ \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/gm)).toHaveLength(3);
  expect(exported).toMatch(/^Status: O\nX-Status: AF\n(?:.*\n)*?Subject: Odgovor iz 2019\./m);
  expect(exported.match(/^Status: RO$/gm)).toHaveLength(2);
  // The body's "From " line is quoted again, as the mbox had it.
  expect(exported).toContain("\n>From the archive.\n");
  await expect(page.getByRole("button", { name: "Export folder (mbox)" })).toBeEnabled();
  const onServer = await stack.mail.doveadm([
    "fetch",
    "-u",
    user.email,
    "flags date.received",
    "mailbox",
    "Archive",
  ]);
  // Read: the two that said nothing; Odgovor as its mbox kept it, without the mbox's fields.
  expect(onServer.match(/\\Seen/g)).toHaveLength(2);
  expect(onServer.match(/\\Answered \\Flagged|\\Flagged \\Answered/g)).toHaveLength(1);
  expect(onServer).toContain("2019-03-12");
  const headers = await stack.mail.doveadm(["fetch", "-u", user.email, "hdr", "mailbox", "Archive"]);
  expect(headers).not.toMatch(/^(X-)?Status:/m);
  expect(headers).not.toContain("Obrisano");
});

test("IMAP: a message larger than the server takes is left out and said, the others go in; an .eml that large is refused by name", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("imapsize");
  // The tests' Postfix advertises SIZE 10 MiB; this one is 11 MB.
  const message = (subject: string, text: string) =>
    [
      "From: Stari Drug <drug@example.rs>",
      `To: ${user.email}`,
      `Subject: ${subject}`,
      "Date: Tue, 12 Mar 2019 09:30:00 +0100",
      `Message-ID: <${subject.replace(/\W+/g, "-")}@example.rs>`,
      "Content-Type: text/plain; charset=utf-8",
      "",
      text,
      "",
    ].join("\n");
  const huge = message(
    "Preveliko",
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n".repeat(170_000),
  );
  expect(huge.length).toBeGreaterThan(11_000_000);
  const mbox = Buffer.from(
    [
      "From drug@example.rs Tue Mar 12 08:30:00 2019",
      message("Malo pre", "Prvo."),
      "From drug@example.rs Tue Mar 12 08:31:00 2019",
      huge,
      "From drug@example.rs Tue Mar 12 08:32:00 2019",
      message("Malo posle", "Treće."),
    ].join("\n"),
  );
  await signIn(page, user);
  const importFile = (file: ChosenFile) => chooseToImport(page, "Import messages", file);
  await importFile({ name: "arhiva.mbox", mimeType: "application/mbox", buffer: mbox });
  await expect(
    page.getByText(
      "2 messages imported into Inbox. 1 larger than 10 MB, the most the server takes, was left out.",
    ),
  ).toBeVisible({ timeout: 30_000 });
  const grid = page.getByRole("grid", { name: "Messages" });
  await expect(grid.getByRole("row", { name: /Malo p/ })).toHaveCount(2);
  await expect(grid.getByRole("row", { name: /Preveliko/ })).toHaveCount(0);
  await importFile({ name: "veliko.eml", mimeType: "message/rfc822", buffer: Buffer.from(huge) });
  await expect(
    page.getByText(
      "Nothing was imported from veliko.eml: it is a message larger than 10 MB, the most the server takes.",
    ),
  ).toBeVisible({ timeout: 30_000 });
  const onServer = await stack.mail.doveadm(["fetch", "-u", user.email, "hdr.subject", "mailbox", "INBOX"]);
  expect(onServer).toContain("Malo pre");
  expect(onServer).toContain("Malo posle");
  expect(onServer).not.toContain("Preveliko");
});

test("POP3: an mbox larger than the page reads at once goes in whole, said as it goes, and Export folder writes it back out", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("popbig");
  // 120 messages of ~82 kB (~10 MB), each a short text and a file: the file is read 4 MiB at a
  // time, so messages straddle the pieces. Every sixth is kept unread by the mbox.
  const messages = Array.from({ length: 120 }, (_, i) => {
    const n = String(i + 1).padStart(3, "0");
    const file = Buffer.from(Uint8Array.from({ length: 60_000 }, (_, j) => (j * 31 + i * 7) & 0xff));
    return [
      `From arhiva@example.rs Mon Mar  4 08:${String(i % 60).padStart(2, "0")}:00 2019`,
      ...(i % 6 === 0 ? ["Status: O"] : []),
      "From: Arhiva <arhiva@example.rs>",
      `To: ${user.email}`,
      `Subject: Arhivska poruka ${n}`,
      `Date: Mon, 4 Mar 2019 09:${String(i % 60).padStart(2, "0")}:00 +0100`,
      `Message-ID: <arhiva-${n}@example.rs>`,
      "MIME-Version: 1.0",
      `Content-Type: multipart/mixed; boundary="b-${n}"`,
      "",
      `--b-${n}`,
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: 8bit",
      "",
      `Arhivska poruka ${n}, čćšđž.`,
      // The message's own "From the archive" line, quoted as mbox writers do.
      `>From the archive, ${n}.`,
      `--b-${n}`,
      `Content-Type: application/octet-stream; name="prilog-${n}.bin"`,
      `Content-Disposition: attachment; filename="prilog-${n}.bin"`,
      "Content-Transfer-Encoding: base64",
      "",
      ...(file.toString("base64").match(/.{1,76}/g) ?? []),
      `--b-${n}--`,
      "",
    ].join("\n");
  });
  const mbox = Buffer.from(messages.join("\n"));
  expect(mbox.length).toBeGreaterThan(2 * 4 * 1024 * 1024);
  // The message the first piece ends in.
  let at = 0;
  const straddling = messages.findIndex((m) => (at += Buffer.byteLength(m) + 1) > 4 * 1024 * 1024);
  const n = String(straddling + 1).padStart(3, "0");

  await signInPop3(page, user);
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Import messages" }).click();
  await (await chooser).setFiles({ name: "arhiva.mbox", mimeType: "application/mbox", buffer: mbox });
  await expect(
    page.getByRole("button", { name: /^(Reading arhiva\.mbox… \d+%|Importing \d+ of 120…)$/ }),
  ).toBeDisabled();
  await expect(page.getByText("120 messages imported into Inbox.")).toBeVisible({ timeout: 60_000 });
  await expect(
    page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Inbox/ }),
  ).toHaveAccessibleName("Inbox 20 unread");

  // The message across the first piece's end is one message, its text and its file.
  const box = page.getByRole("search").getByRole("searchbox", { name: "Search mail" });
  await box.fill(`Arhivska poruka ${n}`);
  await expect(messageRows(page)).toHaveCount(1);
  await messageRows(page).click();
  const shown = page.getByRole("article", { name: "Message" });
  await expect(shown).toContainText(`From the archive, ${n}.`);
  await expect(shown).not.toContainText(`>From the archive`);
  await expect(shown.getByText(`prilog-${n}.bin`)).toBeVisible();
  await box.press("Escape");

  // Written back out: every message, with its unread state and quoted "From " lines.
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export folder (mbox)" }).click();
  const exported = readFileSync(await (await download).path()).toString("utf8");
  expect(exported.match(/^From arhiva@example\.rs /gm)).toHaveLength(120);
  expect(exported.match(/^Status: O$/gm)).toHaveLength(20);
  expect(exported.match(/^>From the archive, \d{3}\.$/gm)).toHaveLength(120);
  // Each message whole: its bytes from its first field to its last boundary.
  for (const m of messages) expect(exported).toContain(m.slice(m.indexOf("From: Arhiva")));
  await expect(page.getByRole("button", { name: "Export folder (mbox)" })).toBeEnabled();
});
