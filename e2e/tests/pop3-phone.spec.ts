import { expect, test } from "../fixtures/stack";
import { mail } from "../fixtures/pop3";

// On a phone the list is the screen a POP3 user is on: Check mail and the pull's progress are
// there (not behind the folder list), and an Inbox with nothing downloaded yet says to press it.
test("POP3 on a phone: Check mail is on the list screen; an empty Inbox says what it does; the pull fills the list", async ({
  page,
  stack,
}, testInfo) => {
  const user = await stack.newUser("popphone");
  for (let i = 1; i <= 3; i += 1) await stack.mail.deliver(user.email, mail(i));
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/?lang=sr");
  await page.getByRole("radio", { name: /POP3/ }).check();
  await page.getByLabel("Adresa e-pošte").fill(user.email);
  await page.getByLabel("Lozinka").fill(user.password);
  await page.getByRole("button", { name: "Prijavi se" }).click();

  const grid = page.getByRole("grid", { name: "Poruke" });
  await expect(grid).toContainText(
    "U ovom pregledaču još nema pošte. „Proveri poštu“ preuzima ono što čeka na serveru.",
  );
  const check = page.getByRole("button", { name: "Proveri poštu" });
  // On the list's screen, without opening the folder list.
  await expect(check).toBeInViewport();
  await expect(page.getByRole("navigation", { name: "Folderi" })).not.toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("pop3-phone-empty-sr.png") });

  await check.click();
  await expect(grid.getByRole("row")).toHaveCount(3, { timeout: 30_000 });
  // The time in the language shown: 24-hour in Serbian, although the browser's locale is en-US.
  await expect(page.getByRole("status", { name: /Poslednja provera/ })).toContainText(
    /Poslednja provera \d{1,2}:\d{2}:\d{2}$/,
  );
  await page.screenshot({ path: testInfo.outputPath("pop3-phone-pulled-sr.png") });

  // Wide again: one Check mail, in the folder column beside the list. (Its geometry is read once
  // the wide layout has replaced the phone's: read at once after the count, the button could be
  // the one being taken out, and have no box.)
  await page.setViewportSize({ width: 1280, height: 800 });
  const inColumn = page.getByRole("complementary").getByRole("button", { name: "Proveri poštu" });
  await expect(inColumn).toBeVisible();
  await expect(page.getByRole("button", { name: "Proveri poštu" })).toHaveCount(1);
  await expect
    .poll(async () => {
      const box = await inColumn.boundingBox();
      const listBox = await grid.boundingBox();
      return box && listBox ? listBox.x - (box.x + box.width) : null;
    })
    .toBeGreaterThanOrEqual(0);
});
