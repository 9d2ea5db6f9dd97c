import { readFile } from "node:fs/promises";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "../fixtures/stack";
import { row, secondDevice, signIn, writeNewMessage } from "../fixtures/mail-ui";
import { checkMail, signInPop3 } from "../fixtures/pop3";

// People: an address book built from the mail the user reads and sends, edited in
// Settings › Contacts, carried as vCard, and offered in To/Cc/Bcc as the user types.

const MARIJA = "Marija Jovanović";

/** A message from Marija (her name as an RFC 2047 encoded-word, as mail clients send it). */
function fromMarija(to: string, address: string): string {
  return [
    `From: =?UTF-8?Q?Marija_Jovanovi=C4=87?= <${address}>`,
    `To: ${to}`,
    "Subject: Sastanak u petak",
    "Date: Mon, 1 Jun 2026 10:00:00 +0200",
    `Message-ID: <contacts-${Math.random().toString(36).slice(2)}@primer.rs>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Vidimo se u petak u 10.",
    "",
  ].join("\r\n");
}

/** The open list of suggestions (one field's at a time). */
function suggestions(compose: Locator): Locator {
  return compose.getByRole("listbox", { name: "Suggested recipients" });
}

/** Types into To (after clearing it) and checks Marija is offered for it. */
async function typeAndExpectMarija(compose: Locator, typed: string, address: string): Promise<Locator> {
  const to = compose.getByLabel("To");
  await to.fill("");
  await to.pressSequentially(typed);
  const option = suggestions(compose).getByRole("option", { name: new RegExp(`${MARIJA}.*${address}`) });
  await expect(option).toBeVisible();
  await expect(to).toHaveAttribute("aria-expanded", "true");
  return option;
}

/** "Mar", "marija" (no diacritics) and Cyrillic "Мар" all offer her; Enter, Tab and a click choose. */
async function completesMarija(page: Page, address: string): Promise<void> {
  await page.getByRole("button", { name: "Compose" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  const to = compose.getByLabel("To");
  const chosen = `${MARIJA} <${address}>, `;

  await typeAndExpectMarija(compose, "Mar", address);
  await expect(to).toHaveAttribute("aria-activedescendant", /.+/);
  await to.press("Enter");
  await expect(to).toHaveValue(chosen);
  await expect(suggestions(compose)).toBeHidden();
  // Enter chose: the message was not sent and the panel is still open.
  await expect(compose).toBeVisible();

  await typeAndExpectMarija(compose, "marija", address);
  await to.press("Tab");
  await expect(to).toHaveValue(chosen);
  await expect(to).toBeFocused();

  const option = await typeAndExpectMarija(compose, "Мар", address);
  await option.click();
  await expect(to).toHaveValue(chosen);

  // Escape closes the list and leaves the text (and the compose panel) alone.
  await typeAndExpectMarija(compose, "jovanovic", address);
  await to.press("Escape");
  await expect(suggestions(compose)).toBeHidden();
  await expect(to).toHaveValue("jovanovic");
  await expect(compose).toBeVisible();
  await compose.getByRole("button", { name: "Discard draft" }).click();
}

function contactsSection(page: Page): Locator {
  return page.getByRole("region", { name: "Contacts" });
}

async function addContact(
  section: Locator,
  c: { name: string; addresses: string; groups?: string; note?: string },
): Promise<void> {
  await section.getByRole("button", { name: "New contact" }).click();
  const form = section.getByRole("form", { name: "Contact" });
  await form.getByLabel("Name").fill(c.name);
  await form.getByLabel("Email addresses").fill(c.addresses);
  if (c.groups) await form.getByLabel("Groups").fill(c.groups);
  if (c.note) await form.getByLabel("Note").fill(c.note);
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form).toHaveCount(0);
}

test("IMAP: a sender read becomes a contact and completes in To by name, without diacritics and in Cyrillic", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("contacts-imap");
  const marija = "marija.jovanovic@primer.rs";
  await stack.mail.deliver(user.email, fromMarija(user.email, marija));
  await signIn(page, user);
  await row(page, "Sastanak u petak").click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText(MARIJA);

  // Reading her message put her in the address book.
  await page.getByRole("button", { name: "Settings" }).click();
  await expect(contactsSection(page).getByRole("list", { name: "Contact list" })).toContainText(marija);
  await page.keyboard.press("Escape");

  await completesMarija(page, marija);
  // The address book is per account and survives a reload.
  await page.reload();
  await expect(page.getByRole("grid", { name: "Messages" })).toBeVisible();
  await page.getByRole("button", { name: "Settings" }).click();
  await expect(contactsSection(page)).toContainText(MARIJA);
});

test("IMAP: Settings › Contacts adds, edits and deletes contacts, groups expand in To, vCard goes in and out", async ({
  page,
  stack,
}, testInfo) => {
  const user = await stack.newUser("contacts-book");
  await signIn(page, user);
  await page.getByRole("button", { name: "Settings" }).click();
  const section = contactsSection(page);
  await expect(section.getByRole("heading", { name: "Contacts" })).toBeVisible();
  await expect(section).toContainText("No contacts yet.");

  // A bad address is refused with the reason, and nothing is saved.
  await section.getByRole("button", { name: "New contact" }).click();
  const form = section.getByRole("form", { name: "Contact" });
  // The form opens ready to type its name (the settings dialog was already open).
  await expect(form.getByLabel("Name")).toBeFocused();
  await form.getByLabel("Name").fill("Pogrešna");
  await form.getByLabel("Email addresses").fill("nije-adresa");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert")).toHaveText("Not an email address: nije-adresa");
  await form.getByRole("button", { name: "Cancel" }).click();

  await addContact(section, {
    name: "Ana Anić",
    addresses: "ana@primer.rs\nana.posao@primer.rs",
    groups: "Tim",
    note: "Računovodstvo",
  });
  await addContact(section, { name: "Bojan Bojić", addresses: "bojan@primer.rs", groups: "Tim, Porodica" });
  await addContact(section, { name: "Cveta", addresses: "cveta@primer.rs" });
  const list = section.getByRole("list", { name: "Contact list" });
  await expect(list.getByRole("listitem")).toHaveCount(3);
  await expect(section).toContainText("Porodica (1), Tim (2)");

  // Edit: the new name shows; delete, then undo.
  await section.getByRole("button", { name: "Edit Cveta" }).click();
  await form.getByLabel("Name").fill("Cveta Cvetić");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(list).toContainText("Cveta Cvetić");
  await section.getByRole("button", { name: "Delete Cveta Cvetić" }).click();
  await expect(list.getByRole("listitem")).toHaveCount(2);
  // The focus stays in the list, on the ✕ now last (it was left on the page's body).
  await expect(section.getByRole("button", { name: "Delete Bojan Bojić" })).toBeFocused();
  await section.getByRole("button", { name: "Undo" }).click();
  await expect(list.getByRole("listitem")).toHaveCount(3);
  await section.getByRole("button", { name: "Delete Cveta Cvetić" }).click();
  await expect(list.getByRole("listitem")).toHaveCount(2);

  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("contacts-settings-en-wide.png") });

  // Import: vCard 3.0 with a folded line, escaped comma, several EMAIL and CATEGORIES.
  const vcf = [
    "BEGIN:VCARD",
    "VERSION:3.0",
    "FN:Dragana Dragić",
    "N:Dragić;Dragana;;;",
    "EMAIL;TYPE=INTERNET:dragana@primer.rs",
    "EMAIL;TYPE=INTERNET:dragana@kuca.rs",
    "NOTE:Zove se\\, kaže\\, Gaga. Ovaj red je dug i zato je presavijen po RFC",
    "  6350.",
    "CATEGORIES:Tim",
    "END:VCARD",
    "BEGIN:VCARD",
    "VERSION:4.0",
    "FN:Ana Anić",
    "EMAIL:ana@primer.rs",
    "EMAIL:ana@kuca.rs",
    "END:VCARD",
    "",
  ].join("\r\n");
  await section
    .getByLabel("vCard file")
    .setInputFiles({ name: "kontakti.vcf", mimeType: "text/vcard", buffer: Buffer.from(vcf) });
  await expect(section.getByRole("status")).toHaveText(
    "Imported 2 contacts from kontakti.vcf: 1 new, 1 added to contacts you had.",
  );
  await expect(list.getByRole("listitem")).toHaveCount(3);
  await expect(list).toContainText("dragana@primer.rs, dragana@kuca.rs");
  await expect(list).toContainText("Zove se, kaže, Gaga. Ovaj red je dug i zato je presavijen po RFC 6350.");
  await expect(list).toContainText("ana@primer.rs, ana.posao@primer.rs, ana@kuca.rs");

  // A broken file: a specific reason, and nothing of it is taken.
  const broken = ["BEGIN:VCARD", "VERSION:4.0", "FN:Polovina", "ovo nije red", "END:VCARD", ""].join("\r\n");
  await section
    .getByLabel("vCard file")
    .setInputFiles({ name: "lose.vcf", mimeType: "text/vcard", buffer: Buffer.from(broken) });
  await expect(section.getByRole("alert")).toHaveText(
    "Nothing was imported from lose.vcf: line 4 is not a vCard line: “ovo nije red”.",
  );
  await expect(list.getByRole("listitem")).toHaveCount(3);

  // Export: a vCard 4.0 file holding every contact and its groups.
  const download = page.waitForEvent("download");
  await section.getByRole("button", { name: "Export vCard" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("pismo-contacts.vcf");
  const exported = await readFile(await file.path(), "utf8");
  expect(exported.match(/BEGIN:VCARD\r\nVERSION:4.0\r\n/g)).toHaveLength(3);
  expect(exported).toContain("FN:Dragana Dragić\r\n");
  expect(exported).toContain("CATEGORIES:Tim,Porodica\r\n");
  await page.keyboard.press("Escape");

  // A group offered in To expands into its members; typed whole, it expands on leaving the field.
  await page.getByRole("button", { name: "Compose" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  const to = compose.getByLabel("To");
  await to.pressSequentially("ti");
  await expect(suggestions(compose).getByRole("option").first()).toHaveText("Tim group of 3");
  await page.screenshot({ path: testInfo.outputPath("completion-en-wide.png") });
  await to.press("Enter");
  await expect(to).toHaveValue(
    "Ana Anić <ana@primer.rs>, Bojan Bojić <bojan@primer.rs>, Dragana Dragić <dragana@primer.rs>, ",
  );
  await to.fill("Porodica");
  await compose.getByRole("textbox", { name: "Message text" }).click();
  await expect(to).toHaveValue("Bojan Bojić <bojan@primer.rs>");
  // Cc completes too, and leaves out who is already there.
  await compose.getByRole("button", { name: "Cc/Bcc" }).click();
  const cc = compose.getByLabel("Cc", { exact: true });
  await cc.pressSequentially("ana@primer.rs, b");
  await expect(suggestions(compose).getByRole("option")).toHaveText(["Bojan Bojić <bojan@primer.rs>"]);
  await cc.press("ArrowDown");
  await cc.press("Enter");
  await expect(cc).toHaveValue("ana@primer.rs, Bojan Bojić <bojan@primer.rs>, ");
});

test("IMAP: someone written to becomes a contact, and ranks by how often and how recently", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("contacts-sent");
  const marija = await stack.newUser("marija");
  await signIn(page, user);
  const compose = await writeNewMessage(page, {
    to: `${MARIJA} <${marija.email}>`,
    subject: "Pozdrav",
    text: "Zdravo Marija.",
  });
  await compose.getByRole("button", { name: "Send" }).click();
  await expect(compose).toHaveCount(0);
  await completesMarija(page, marija.email);
});

test("POP3: a pulled message read here makes a contact; it completes in To and is kept in this browser", async ({
  page,
  stack,
}, testInfo) => {
  const user = await stack.newUser("contacts-pop3");
  const marija = "marija@primer.rs";
  await stack.mail.deliver(user.email, fromMarija(user.email, marija));
  await signInPop3(page, user);
  await checkMail(page);
  await page
    .getByRole("grid", { name: "Messages" })
    .getByRole("row", { name: /Sastanak u petak/ })
    .click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText(MARIJA);

  await page.getByRole("button", { name: "Settings" }).click();
  const section = contactsSection(page);
  await expect(section.getByRole("heading", { name: "Contacts" })).toBeVisible();
  await expect(section.getByRole("list", { name: "Contact list" })).toContainText(marija);
  await addContact(section, { name: "Nenad Nenadović", addresses: "nenad@primer.rs", groups: "Tim" });
  await page.screenshot({ path: testInfo.outputPath("contacts-settings-pop3-wide.png") });

  // The settings file carries the address book.
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export settings" }).click();
  const settings = JSON.parse(await readFile(await (await download).path(), "utf8")) as {
    contacts?: { contacts: Array<{ name: string }> };
  };
  expect(settings.contacts?.contacts.map((c) => c.name).sort()).toEqual([MARIJA, "Nenad Nenadović"]);

  await completesMarija(page, marija);

  await page.reload();
  await expect(page.getByRole("button", { name: "Check mail" })).toBeVisible();
  await page.getByRole("button", { name: "Compose" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  await compose.getByLabel("To").pressSequentially("tim");
  await compose.getByLabel("To").press("Enter");
  await expect(compose.getByLabel("To")).toHaveValue("Nenad Nenadović <nenad@primer.rs>, ");
});

test("Contacts and completion in Serbian and English, narrow and wide (screenshots)", async ({
  browser,
  baseURL,
  stack,
}, testInfo) => {
  const user = await stack.newUser("contacts-sr");
  await stack.mail.deliver(user.email, fromMarija(user.email, "marija@primer.rs"));
  const words = {
    sr: {
      email: "Adresa e-pošte",
      password: "Lozinka",
      signIn: "Prijavi se",
      messages: "Poruke",
      settings: "Podešavanja",
      contacts: "Kontakti",
      compose: "Nova poruka",
      to: "Za",
      typed: "Мар",
      back: "Nazad",
      folders: "Otvori spisak foldera",
    },
    en: {
      email: "Email address",
      password: "Password",
      signIn: "Sign in",
      messages: "Messages",
      settings: "Settings",
      contacts: "Contacts",
      compose: "Compose",
      to: "To",
      typed: "mar",
      back: "Back",
      folders: "Open folder list",
    },
  };
  for (const [size, viewport] of [
    ["wide", { width: 1280, height: 800 }],
    ["narrow", { width: 390, height: 844 }],
  ] as const) {
    for (const lang of ["sr", "en"] as const) {
      const w = words[lang];
      // A device of its own: its own cookies and this browser's address book.
      const context = await browser.newContext({ baseURL, viewport, timezoneId: "Europe/Belgrade" });
      const page = await context.newPage();
      await page.goto(`/?lang=${lang}`);
      await page.getByLabel(w.email).fill(user.email);
      await page.getByLabel(w.password).fill(user.password);
      await page.getByRole("button", { name: w.signIn }).click();
      await page
        .getByRole("grid", { name: w.messages })
        .getByRole("row", { name: /Sastanak u petak/ })
        .click();
      await expect(page.getByRole("article")).toContainText(MARIJA);
      if (size === "narrow") {
        // One pane at a time: back to the list, then to the folders (Settings is there).
        await page.getByRole("button", { name: new RegExp(`^\\W*${w.back}$`) }).click();
        await page.getByRole("button", { name: w.folders }).click();
      }
      await page.getByRole("button", { name: w.settings }).click();
      const section = page.getByRole("region", { name: w.contacts });
      await expect(section.getByRole("heading", { name: w.contacts })).toBeVisible();
      await expect(section).toContainText(MARIJA);
      await page.screenshot({ path: testInfo.outputPath(`contacts-settings-${lang}-${size}.png`) });
      await page.keyboard.press("Escape");
      await page.getByRole("button", { name: w.compose }).first().click();
      const to = page.getByRole("dialog").getByLabel(w.to, { exact: true });
      await to.pressSequentially(w.typed);
      await expect(page.getByRole("option", { name: new RegExp(MARIJA) })).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath(`completion-${lang}-${size}.png`) });
      await context.close();
    }
  }
});

/** Reloads (a new visit reads the server's book), writes `typed` in To of a new message and
 * expects `option` offered; discards the draft either way, so the next try starts clean. */
async function offeredAfterReload(page: Page, typed: string, option: RegExp): Promise<void> {
  await page.reload();
  await page.getByRole("button", { name: "Compose" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  try {
    await compose.getByLabel("To").pressSequentially(typed);
    await expect(suggestions(compose).getByRole("option", { name: option })).toBeVisible({ timeout: 2_000 });
  } finally {
    await compose.getByRole("button", { name: "Discard draft" }).click();
  }
}

test("IMAP: the address book is kept on the server: a contact saved on one device completes in To on another", async ({
  page,
  browser,
  baseURL,
  stack,
}) => {
  const user = await stack.newUser("contacts-sync");
  const marija = "marija.jovanovic@primer.rs";
  await stack.mail.deliver(user.email, fromMarija(user.email, marija));

  // The second device had an address book in this browser from before the server kept it.
  const other = await secondDevice(browser, baseURL);
  const before = {
    contacts: [{ id: "c-stari", name: "Stevan Starić", emails: ["stevan@primer.rs"], note: "", groups: [] }],
    usage: [],
  };
  await other.context().addInitScript(
    ([key, json]) => {
      if (localStorage.getItem(key) === null) localStorage.setItem(key, json);
    },
    [`pismo.contacts:${user.email.toLowerCase()}`, JSON.stringify(before)] as const,
  );

  // The first device saves a contact by hand and reads Marija's message (harvested).
  await signIn(page, user);
  await page.getByRole("button", { name: "Settings" }).click();
  await addContact(contactsSection(page), {
    name: "Vesna Vesić",
    addresses: "vesna@primer.rs",
    groups: "Tim",
  });
  await page.keyboard.press("Escape");
  await row(page, "Sastanak u petak").click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText(MARIJA);

  // The second device completes both from the server (saved a few seconds after the last
  // change, so it may take a reload or two).
  await signIn(other, user);
  await expect(() => offeredAfterReload(other, "Ves", /Vesna Vesić.*vesna@primer\.rs/)).toPass({
    timeout: 30_000,
  });
  await expect(() => offeredAfterReload(other, "Mar", new RegExp(`${MARIJA}.*${marija}`))).toPass({
    timeout: 30_000,
  });
  await other.context().close();

  // The book the second device kept in its browser went to the server too: the first completes it.
  await expect(() => offeredAfterReload(page, "Stev", /Stevan Starić.*stevan@primer\.rs/)).toPass({
    timeout: 30_000,
  });
});

test("Escape in the contact form is its Cancel: Settings stays open, the focus goes back, and only what was typed is asked about", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("contacts-keys");
  await signIn(page, user);
  await page.getByRole("button", { name: "Settings" }).click();
  const settings = page.getByRole("dialog", { name: "Settings" });
  const section = contactsSection(page);
  const newContact = section.getByRole("button", { name: "New contact" });
  const form = section.getByRole("form", { name: "Contact" });
  const asked: string[] = [];
  let answer = false;
  page.on("dialog", (d) => {
    asked.push(d.message());
    void (answer ? d.accept() : d.dismiss());
  });

  // Nothing typed: Escape closes the form without a question, and Settings stays.
  await newContact.click();
  await expect(form.getByLabel("Name")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(form).toHaveCount(0);
  await expect(settings).toBeVisible();
  await expect(newContact).toBeFocused();
  expect(asked).toEqual([]);

  // Typed: Escape asks; "no" keeps the form with what was typed, "yes" drops it.
  await newContact.click();
  await form.getByLabel("Name").fill("Ana Anić");
  await form.getByLabel("Email addresses").press("Escape");
  expect(asked).toEqual(["Discard what you typed in this contact?"]);
  await expect(form.getByLabel("Name")).toHaveValue("Ana Anić");
  await expect(settings).toBeVisible();
  answer = true;
  await form.getByLabel("Name").press("Escape");
  await expect(form).toHaveCount(0);
  await expect(settings).toBeVisible();
  expect(asked).toHaveLength(2);

  // An empty new contact open: Settings closes without asking, as with nothing open.
  await newContact.click();
  await expect(form).toBeVisible();
  await settings.getByRole("button", { name: "Close" }).click();
  await expect(settings).toBeHidden();
  expect(asked).toHaveLength(2);
  await expect(page.getByRole("grid", { name: "Messages" })).toBeVisible();
});
