import { buildMessage } from "@pismo/mail-harness/seed";
import { expect, test } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";

// The keyboard help is written from the same keymap that handles the keys, in the UI language.

test("? opens the Keyboard shortcuts dialog listing every shortcut, in English and in Serbian", async ({
  page,
  stack,
}, testInfo) => {
  const user = await stack.newUser("keys");
  await stack.mail.deliver(
    user.email,
    buildMessage({ from: "ana@primer.rs", to: user.email, subject: "Prečice", text: "Zdravo" }),
  );
  await signIn(page, user);

  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeVisible();
  for (const text of [
    "Compose",
    "Reply all",
    "Archive",
    "Report spam",
    "Undo the last action",
    "Go to Drafts",
  ])
    await expect(help).toContainText(text);
  for (const key of [
    "c",
    "r",
    "a",
    "f",
    "e",
    "#",
    "!",
    "u",
    "j",
    "k",
    "o",
    "Enter",
    "x",
    "s",
    "Shift+i",
    "Shift+u",
    "/",
    "g",
    "?",
    "z",
  ])
    await expect(help.locator("kbd", { hasText: key }).first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("shortcuts-wide-en.png") });
  await page.setViewportSize({ width: 390, height: 800 });
  await page.screenshot({ path: testInfo.outputPath("shortcuts-narrow-en.png") });
  await page.keyboard.press("Escape");
  await expect(help).toHaveCount(0);
  await page.setViewportSize({ width: 1280, height: 800 });

  // Not while typing: ? in the search box is text.
  await page.getByRole("searchbox", { name: "Search mail" }).fill("");
  await page.getByRole("searchbox", { name: "Search mail" }).press("?");
  await expect(help).toHaveCount(0);
  await page.getByRole("searchbox", { name: "Search mail" }).press("Escape");

  // c composes.
  await row(page, "Prečice").click();
  await page.keyboard.press("c");
  await expect(page.getByRole("dialog", { name: "New message" })).toBeVisible();
  await page.getByRole("dialog", { name: "New message" }).getByLabel("Subject").press("?");
  await expect(help).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("grid", { name: "Messages" })).toBeVisible();

  // Serbian.
  await page.getByLabel("Language").selectOption("sr");
  await page.getByRole("grid").focus();
  await page.keyboard.press("?");
  const pomoc = page.getByRole("dialog", { name: "Prečice na tastaturi" });
  await expect(pomoc).toBeVisible();
  await expect(pomoc).toContainText("Prijavi kao neželjeno");
  await expect(pomoc).toContainText("Opozovi poslednju radnju");
  await expect(pomoc).toContainText("pa");
  await page.screenshot({ path: testInfo.outputPath("shortcuts-wide-sr.png") });
  await page.setViewportSize({ width: 390, height: 800 });
  await page.screenshot({ path: testInfo.outputPath("shortcuts-narrow-sr.png") });
});
