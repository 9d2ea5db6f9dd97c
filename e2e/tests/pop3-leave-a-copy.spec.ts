import { expect, test } from "../fixtures/stack";
import { checkMail, mail, messageRows, serverUids, signInPop3 } from "../fixtures/pop3";

// With "leave a copy on the server", another device still gets the messages,
// and shows them as new although this one read them: POP3 keeps no read state on the server.
test("with leave-a-copy, browser B gets the messages as unread although A read them", async ({
  page,
  browser,
  stack,
}) => {
  const user = await stack.newUser("pop3");
  for (let i = 1; i <= 3; i += 1) await stack.mail.deliver(user.email, mail(i));
  const onServer = await serverUids(stack, user);

  await signInPop3(page, user);
  await page.getByRole("button", { name: "Settings" }).click();
  const leave = page.getByRole("checkbox", { name: "Leave a copy on the server" });
  await expect(leave).not.toBeChecked();
  // Headless Chromium does not promise to keep this origin's storage (persisted() is false):
  // with mail removed from the server its only copy would be there, and the settings say so.
  expect(await page.evaluate(() => navigator.storage.persisted())).toBe(false);
  const mayBeCleared = page.getByText("This browser has not promised to keep the mail stored here");
  await expect(mayBeCleared).toBeVisible();
  await leave.check();
  await expect(
    page.getByText("Other devices that check this account will show these messages as new"),
  ).toBeVisible();
  // With a copy left on the server, the browser clearing its storage loses nothing.
  await expect(mayBeCleared).toHaveCount(0);
  await expect(page.getByRole("checkbox", { name: "Remove from the server after" })).toBeEnabled();
  await expect(
    page.getByRole("checkbox", { name: "Remove from the server when deleted here" }),
  ).toBeEnabled();
  // A number of days out of range is not taken, and the field says so beside itself, keeping
  // what was typed to mend (it once put the value in force back without a word).
  const removeAfter = page.getByRole("checkbox", { name: "Remove from the server after" });
  await removeAfter.check();
  const days = page.getByRole("spinbutton", { name: "Days" });
  await days.fill("0");
  await days.press("Tab");
  await expect(days).toHaveValue("0");
  await expect(days).toHaveAttribute("aria-invalid", "true");
  await expect(days).toHaveAccessibleDescription("Not saved: enter a whole number from 1 to 36,500.");
  const notSaved = page.getByRole("alert").filter({ hasText: "Not saved" });
  await expect(notSaved).toHaveText("Not saved: enter a whole number from 1 to 36,500.");
  // Turned off with the mistake in it, it shows the value in force, not marked; turned on
  // again, the same (the "0" stayed, red, and came back).
  await removeAfter.uncheck();
  await expect(days).toBeDisabled();
  await expect(days).not.toHaveValue("0");
  await expect(days).not.toHaveAttribute("aria-invalid");
  await removeAfter.check();
  await expect(days).not.toHaveValue("0");
  await expect(days).not.toHaveAttribute("aria-invalid");
  await expect(notSaved).toHaveCount(0);
  await days.fill("14");
  await days.press("Tab");
  await expect(days).toHaveValue("14");
  await expect(days).not.toHaveAttribute("aria-invalid");
  await expect(notSaved).toHaveCount(0);
  await removeAfter.uncheck();

  await checkMail(page);
  await expect(messageRows(page)).toHaveCount(3);
  for (let i = 1; i <= 3; i += 1) {
    await page.getByRole("row", { name: new RegExp(`Poruka ${i}`) }).click();
    await expect(page.getByRole("row", { name: new RegExp(`Poruka ${i}`) })).toHaveAttribute(
      "data-seen",
      "true",
    );
  }
  expect(await serverUids(stack, user)).toEqual(onServer);

  // A second check on A fetches nothing twice.
  await checkMail(page);
  await expect(page.getByText("No new mail.")).toBeVisible();
  await expect(messageRows(page)).toHaveCount(3);

  const other = await browser.newContext({ baseURL: stack.gateway.url });
  try {
    const b = await other.newPage();
    await signInPop3(b, user);
    await checkMail(b);
    await expect(messageRows(b)).toHaveCount(3);
    for (const seen of await messageRows(b).evaluateAll((rows) =>
      rows.map((r) => r.getAttribute("data-seen")),
    ))
      expect(seen).toBe("false");
  } finally {
    await other.close();
  }
});
