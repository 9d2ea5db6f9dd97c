import { readFile } from "node:fs/promises";
import { buildMessage } from "@pismo/mail-harness/seed";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "../fixtures/stack";
import { row, secondDevice, signIn } from "../fixtures/mail-ui";
import { signInPop3 } from "../fixtures/pop3";
import { countInFolder } from "../fixtures/sieve";

// Templates: a text written once and inserted again (Compose → Templates). IMAP keeps them as
// Thunderbird does, as messages in the server's Templates folder, so every device (and
// Thunderbird) has them; POP3 keeps them in this browser, with the settings it exports. A
// template goes in where the caret was, and names a message that has no subject yet.

const templatesButton = (compose: Locator) => compose.getByRole("button", { name: "Templates", exact: true });
const panel = (compose: Locator) => compose.getByRole("region", { name: "Templates" });
const body = (compose: Locator) => compose.getByRole("textbox", { name: "Message text" });

async function newMessage(page: Page): Promise<Locator> {
  await page.getByRole("button", { name: "Compose" }).click();
  return page.getByRole("dialog", { name: "New message" });
}

test("IMAP: saved on one device, inserted into a reply on another; Escape and the keyboard; a subject is needed", async ({
  page,
  browser,
  baseURL,
  stack,
}) => {
  const alice = await stack.newUser("tpl");
  await stack.mail.deliver(
    alice.email,
    buildMessage({
      from: "Jelena <jelena@primer.rs>",
      to: alice.email,
      subject: "Ponuda za oktobar",
      text: "Da li je ponuda još važeća?",
    }),
  );
  await signIn(page, alice);

  // No subject: nothing is saved, and the panel says why.
  const compose = await newMessage(page);
  await body(compose).fill("Hvala na poruci, javljam se do sutra.");
  await templatesButton(compose).click();
  await expect(panel(compose)).toContainText("No templates yet.");
  await expect(panel(compose)).toContainText(
    "Kept in the Templates folder on the server: every device has them.",
  );
  await panel(compose).getByRole("button", { name: "Save as template" }).click();
  await expect(panel(compose).getByRole("alert")).toHaveText(
    "Give the message a subject first: the template is saved under it.",
  );
  // Escape closes the panel, not the window, and the focus is back on its button.
  await page.keyboard.press("Escape");
  await expect(panel(compose)).toHaveCount(0);
  await expect(compose).toBeVisible();
  await expect(templatesButton(compose)).toBeFocused();
  // Back on the button with the panel open (Shift+Tab), Escape still closes the panel only.
  await page.keyboard.press("Enter");
  await expect(panel(compose).getByRole("button", { name: "Save as template" })).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(templatesButton(compose)).toBeFocused();
  await expect(panel(compose)).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(panel(compose)).toHaveCount(0);
  await expect(compose).toBeVisible();

  await compose.getByLabel("Subject").fill("Hvala, javljam se");
  await templatesButton(compose).focus();
  await page.keyboard.press("Enter");
  await expect(panel(compose)).toBeVisible();
  await expect(panel(compose).getByRole("button", { name: "Save as template" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByText("Saved as a template: Hvala, javljam se")).toBeVisible();
  await expect(panel(compose)).toHaveCount(0);
  // On the server, as Thunderbird keeps one: a read message in Templates, with no recipient.
  const stored = await stack.mail.doveadm(["fetch", "-u", alice.email, "flags hdr", "mailbox", "Templates"]);
  expect(stored).toContain("\\Seen");
  expect(stored).not.toMatch(/^To:/m);
  await compose.getByRole("button", { name: "Discard draft" }).click();

  // The phone: the same account, a reply to Jelena, the template inserted above the quote.
  const phone = await secondDevice(browser, baseURL!);
  await phone.setViewportSize({ width: 390, height: 844 });
  await signIn(phone, alice);
  await row(phone, "Ponuda za oktobar").click();
  await phone
    .getByRole("article", { name: "Message" })
    .getByRole("button", { name: "Reply", exact: true })
    .click();
  const reply = phone.getByRole("dialog", { name: "Reply" });
  await expect(body(reply)).toBeFocused();
  await templatesButton(reply).click();
  const insert = panel(reply).getByRole("button", { name: "Insert template Hvala, javljam se" });
  await expect(insert).toBeFocused();
  await phone.keyboard.press("Enter");
  await expect(panel(reply)).toHaveCount(0);
  await expect(body(reply)).toBeFocused();
  const text = await body(reply).innerText();
  expect(text.indexOf("Hvala na poruci, javljam se do sutra.")).toBeGreaterThanOrEqual(0);
  expect(text.indexOf("Hvala na poruci")).toBeLessThan(text.indexOf("Da li je ponuda još važeća?"));
  // A reply has its subject: the template's name does not replace it.
  await expect(reply.getByLabel("Subject")).toHaveValue("Re: Ponuda za oktobar");
  // Typing goes on after what was inserted.
  await phone.keyboard.type(" Pozdrav!");
  await expect(body(reply)).toContainText("javljam se do sutra. Pozdrav!");
  await reply.getByRole("button", { name: "Send", exact: true }).click();
  await expect(reply).toHaveCount(0);
  expect(await countInFolder(stack, alice.email, "Sent", "Ponuda za oktobar")).toBe(1);
  const sent = await stack.mail.doveadm(["fetch", "-u", alice.email, "body", "mailbox", "Sent"]);
  expect(sent).toContain("Hvala na poruci, javljam se do sutra. Pozdrav!");
  await phone.context().close();
});

test("IMAP: a hostile template from another program goes in as plain, inert text; deleting one moves it to Trash", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("tplh");
  // Put into Templates by another program: script, handlers, a remote tracker, a form, styles.
  await stack.mail.deliver(
    alice.email,
    buildMessage({
      from: alice.email,
      to: alice.email,
      subject: "Opasan šablon",
      html:
        '<style>body{display:none}</style><p id="t" onclick="alert(1)">Bezbedan tekst</p>' +
        '<img src="https://tracker.example/p.png" alt="px"><img src=x onerror="window.__pwned=1">' +
        '<script>window.__pwned=2</script><form action="https://evil.example"><input name=q></form>' +
        '<a href="javascript:window.__pwned=3">veza</a>',
    }),
    { folder: "Templates", flags: ["\\Seen"] },
  );
  const tracker: string[] = [];
  await page.route("https://tracker.example/**", (route) => {
    tracker.push(route.request().url());
    return route.abort();
  });
  await signIn(page, alice);
  const compose = await newMessage(page);
  await templatesButton(compose).click();
  await panel(compose).getByRole("button", { name: "Insert template Opasan šablon" }).click();
  // An empty subject takes the template's name.
  await expect(compose.getByLabel("Subject")).toHaveValue("Opasan šablon");
  await expect(body(compose)).toContainText("Bezbedan tekst");
  const html = await body(compose).innerHTML();
  expect(html).not.toMatch(/onclick|onerror|<script|<form|<style|javascript:/i);
  // The remote image stays blocked in the editor, as a quoted message's does (no src to load).
  expect(html).not.toMatch(/\ssrc=/i);
  await body(compose).getByText("Bezbedan tekst").click();
  await body(compose).getByText("veza").click();
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(tracker).toEqual([]);
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1/);

  // Deleting asks first; on the server it is a message moved to Trash, as any deleted there.
  await templatesButton(compose).click();
  await panel(compose).getByRole("button", { name: "Delete template Opasan šablon" }).click();
  await expect(panel(compose)).toContainText("Move “Opasan šablon” to Trash?");
  await panel(compose).getByRole("button", { name: "Keep" }).click();
  await expect(panel(compose).getByRole("button", { name: "Insert template Opasan šablon" })).toBeVisible();
  await panel(compose).getByRole("button", { name: "Delete template Opasan šablon" }).click();
  await panel(compose).getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByText("Template moved to Trash: Opasan šablon")).toBeVisible();
  await expect(panel(compose)).toContainText("No templates yet.");
  expect(await stack.mail.doveadm(["fetch", "-u", alice.email, "hdr", "mailbox", "Trash"])).toContain(
    "Subject:",
  );
});

test("POP3: kept in this browser, in Serbian; plain text inserted at the caret; exported with the settings", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("tplp");
  await signInPop3(page, ana);
  await page.getByRole("button", { name: "Compose" }).click();
  let compose = page.getByRole("dialog", { name: "New message" });
  await compose.getByLabel("Subject").fill("Adresa za dostavu");
  await body(compose).fill("Dostava: Kneza Miloša 12, Beograd.\nRadnim danima 9–17.");
  await templatesButton(compose).click();
  await expect(panel(compose)).toContainText("Kept in this browser, and exported with the settings.");
  await panel(compose).getByRole("button", { name: "Save as template" }).click();
  await expect(page.getByText("Saved as a template: Adresa za dostavu")).toBeVisible();
  await compose.getByRole("button", { name: "Discard draft" }).click();

  // Plain text: the template goes in at the caret, between what was typed before and after.
  compose = await newMessage(page);
  await compose.getByRole("button", { name: "Plain text" }).click();
  const plain = compose.getByRole("textbox", { name: "Message text" });
  await plain.fill("Poštovani,\n\nPozdrav");
  await plain.evaluate((el: HTMLTextAreaElement) =>
    el.setSelectionRange("Poštovani,\n\n".length, "Poštovani,\n\n".length),
  );
  await templatesButton(compose).click();
  await panel(compose).getByRole("button", { name: "Insert template Adresa za dostavu" }).click();
  await expect(plain).toHaveValue(
    "Poštovani,\n\nDostava: Kneza Miloša 12, Beograd.\nRadnim danima 9–17.Pozdrav",
  );
  await expect(compose.getByLabel("Subject")).toHaveValue("Adresa za dostavu");

  // Deleting a local one is for good: asked first, in words that say so.
  await templatesButton(compose).click();
  await panel(compose).getByRole("button", { name: "Delete template Adresa za dostavu" }).click();
  await expect(panel(compose)).toContainText("Delete “Adresa za dostavu”?");
  await panel(compose).getByRole("button", { name: "Keep" }).click();
  await page.keyboard.press("Escape");
  await compose.getByRole("button", { name: "Discard draft" }).click();

  // The exported settings carry it to another computer.
  await page.getByRole("button", { name: "Settings" }).click();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export settings" }).click();
  const file = JSON.parse(await readFile(await (await download).path(), "utf8")) as {
    templates?: Array<{ name: string; html: string | null }>;
  };
  expect(file.templates).toMatchObject([
    { name: "Adresa za dostavu", html: expect.stringContaining("Kneza Miloša 12") },
  ]);

  // In Serbian.
  await page.goto("/?lang=sr");
  await page.getByRole("button", { name: "Nova poruka" }).click();
  const sr = page.getByRole("dialog", { name: "Nova poruka" });
  await sr.getByRole("button", { name: "Šabloni", exact: true }).click();
  const srPanel = sr.getByRole("region", { name: "Šabloni" });
  await expect(srPanel).toContainText("Čuvaju se u ovom pregledaču i izvoze se sa podešavanjima.");
  await expect(srPanel.getByRole("button", { name: "Umetni šablon Adresa za dostavu" })).toBeVisible();
  await expect(srPanel.getByRole("button", { name: "Sačuvaj kao šablon" })).toBeVisible();
});

test("IMAP: the Templates folder is Šabloni in Serbian, and Edit as new on a template starts a message from it", async ({
  page,
  stack,
}) => {
  const vera = await stack.newUser("tpls");
  await stack.mail.deliver(
    vera.email,
    buildMessage({ from: vera.email, to: vera.email, subject: "Ponuda", text: "U prilogu je naša ponuda." }),
    { folder: "Templates", flags: ["\\Seen"] },
  );
  await signIn(page, vera);
  await page.goto("/?lang=sr");
  await page
    .getByRole("navigation", { name: "Folderi" })
    .getByRole("button", { name: /^Šabloni/ })
    .click();
  await page
    .getByRole("grid")
    .getByRole("row", { name: /Ponuda/ })
    .click();
  await page.getByRole("article", { name: "Poruka" }).getByRole("button", { name: "Uredi kao novu" }).click();
  const compose = page.getByRole("dialog", { name: "Nova poruka" });
  await expect(compose.getByLabel("Naslov")).toHaveValue("Ponuda");
  await expect(compose.getByRole("textbox", { name: "Tekst poruke" })).toContainText(
    "U prilogu je naša ponuda.",
  );
  await expect(compose.getByLabel("Za", { exact: true })).toHaveValue(vera.email);
});
