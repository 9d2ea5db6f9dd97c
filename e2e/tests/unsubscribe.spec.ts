import { buildMessage } from "@pismo/mail-harness/seed";
import type { Page } from "@playwright/test";
import { expect, test } from "../fixtures/stack";
import { signIn } from "../fixtures/mail-ui";
import { checkMail, signInPop3 } from "../fixtures/pop3";
import { countInFolder } from "../fixtures/sieve";

// Mail from a list says how to leave it (List-Unsubscribe, RFC 2369): `Unsubscribe` beside the
// sender asks first, then opens the sender's page in a new tab (no referrer, no opener) or
// fills in the unsubscribe message, which the reader sends. Not offered in Junk, nor for a
// header that names a script.

const PAGE = "https://lista.primer.rs/odjava?u=42";

const newsletter = (to: string, listAddress: string, subject = "Nedeljne vesti") =>
  buildMessage({
    from: { name: "Vesti", address: "vesti@lista.primer.rs" },
    to,
    subject,
    text: "Ove nedelje…",
    headers: {
      "List-Id": "Vesti <vesti.lista.primer.rs>",
      "List-Unsubscribe": `<mailto:${listAddress}?subject=unsubscribe%20vesti>, <${PAGE}>`,
    },
  });

const message = (page: Page) => page.getByRole("article", { name: "Message" });
const grid = (page: Page) => page.getByRole("grid", { name: "Messages" });

test("IMAP: Unsubscribe opens the list's page in a new tab, or writes the unsubscribe message, after asking; not in Junk, nor for a script", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("unsub");
  const list = await stack.newUser("unsublist");
  await stack.mail.deliver(user.email, newsletter(user.email, list.email));
  await stack.mail.deliver(
    user.email,
    buildMessage({
      from: "zlo@primer.rs",
      to: user.email,
      subject: "Lažna lista",
      text: "x",
      headers: { "List-Unsubscribe": "<javascript:alert(document.cookie)>, <data:text/html,<b>x</b>>" },
    }),
  );
  // A page whose host imitates another (a Cyrillic "а" in "pаypal.com").
  await stack.mail.deliver(
    user.email,
    buildMessage({
      from: "racun@primer.rs",
      to: user.email,
      subject: "Sličan domen",
      text: "x",
      headers: { "List-Unsubscribe": "<https://xn--pypal-4ve.com/odjava>" },
    }),
  );
  // The list's page, served here (this machine reaches no other site).
  await page
    .context()
    .route("https://lista.primer.rs/**", (route) =>
      route.fulfill({ contentType: "text/html", body: "<h1>Odjavljeni ste</h1>" }),
    );
  await signIn(page, user);

  // A header naming only a script or data offers nothing.
  await grid(page)
    .getByRole("row", { name: /Lažna lista/ })
    .click();
  await expect(message(page).getByRole("heading", { level: 2 })).toHaveText("Lažna lista");
  await expect(message(page).getByRole("button", { name: "Unsubscribe" })).toHaveCount(0);

  // A look-alike host is named in the form that cannot disguise itself, as the address bar would.
  const dialog = page.getByRole("dialog", { name: "Unsubscribe" });
  await grid(page)
    .getByRole("row", { name: /Sličan domen/ })
    .click();
  await message(page).getByRole("button", { name: "Unsubscribe" }).click();
  await expect(
    dialog.getByRole("button", { name: "Open the unsubscribe page at xn--pypal-4ve.com" }),
  ).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await grid(page)
    .getByRole("row", { name: /Nedeljne vesti/ })
    .click();
  await message(page).getByRole("button", { name: "Unsubscribe" }).click();
  await expect(dialog).toContainText("Report spam is safer");
  await expect(dialog).toContainText(PAGE);
  // Escape closes it and nothing was opened or written.
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole("dialog", { name: "New message" })).toHaveCount(0);

  await message(page).getByRole("button", { name: "Unsubscribe" }).click();
  const [tab] = await Promise.all([
    page.waitForEvent("popup"),
    dialog.getByRole("button", { name: "Open the unsubscribe page at lista.primer.rs" }).click(),
  ]);
  await expect(tab.getByRole("heading", { name: "Odjavljeni ste" })).toBeVisible();
  expect(tab.url()).toBe(PAGE);
  // The page learns nothing of the webmail: no referrer, no way back to its window.
  expect(await tab.evaluate(() => ({ referrer: document.referrer, opener: window.opener === null }))).toEqual(
    {
      referrer: "",
      opener: true,
    },
  );
  await tab.close();
  await expect(dialog).toHaveCount(0);

  // The message: filled in as the list asks, sent by the reader.
  await message(page).getByRole("button", { name: "Unsubscribe" }).click();
  await dialog.getByRole("button", { name: "Write the unsubscribe message" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  await expect(compose.getByLabel("To")).toHaveValue(list.email);
  await expect(compose.getByLabel("Subject")).toHaveValue("unsubscribe vesti");
  await expect(compose.getByRole("textbox", { name: "Message text" })).toContainText("unsubscribe");
  await compose.getByRole("button", { name: "Send" }).click();
  expect(await countInFolder(stack, list.email, "INBOX", "unsubscribe vesti")).toBe(1);

  // In Junk it is not offered: Report spam is the way there.
  await message(page).getByRole("button", { name: "Report spam" }).click();
  await page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Junk/ }).click();
  await grid(page)
    .getByRole("row", { name: /Nedeljne vesti/ })
    .click();
  await expect(message(page).getByRole("heading", { level: 2 })).toHaveText("Nedeljne vesti");
  await expect(message(page).getByRole("button", { name: "Unsubscribe" })).toHaveCount(0);
});

test("POP3: Unsubscribe on a message in this browser writes the unsubscribe message; Serbian names it", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("unsubpop");
  const list = await stack.newUser("unsubpoplist");
  await stack.mail.deliver(user.email, newsletter(user.email, list.email, "Vesti za POP3"));
  await signInPop3(page, user);
  await checkMail(page);
  await grid(page)
    .getByRole("row", { name: /Vesti za POP3/ })
    .click();
  await message(page).getByRole("button", { name: "Unsubscribe" }).click();
  const dialog = page.getByRole("dialog", { name: "Unsubscribe" });
  await dialog.getByRole("button", { name: "Write the unsubscribe message" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  await expect(compose.getByLabel("To")).toHaveValue(list.email);
  await expect(compose.getByLabel("Subject")).toHaveValue("unsubscribe vesti");
  await compose.getByRole("button", { name: "Close" }).click();

  await page.getByLabel("Language").selectOption("sr");
  await page
    .getByRole("article", { name: "Poruka" })
    .getByRole("button", { name: "Odjavi se sa liste" })
    .click();
  await expect(page.getByRole("dialog", { name: "Odjava sa liste" })).toContainText("Prijavi kao neželjeno");
});
