import { expect, test } from "../fixtures/stack";
import { checkMail, mail, messageRows, signInPop3 } from "../fixtures/pop3";

// POP3 mail lives in this browser: Undo and spam act on the local copy, and Report spam
// remembers the sender in the local filters, so the next pull files their mail in Junk.

const row = (page: Parameters<typeof messageRows>[0], subject: string) =>
  messageRows(page).filter({ hasText: subject });

test("POP3: # then z puts a message back; Report spam files it and the sender's next message in the local Junk; Not spam undoes that", async ({
  page,
  stack,
}, testInfo) => {
  const user = await stack.newUser("pop3spam");
  await stack.mail.deliver(user.email, mail(1, { subject: "Obična poruka" }));
  await stack.mail.deliver(
    user.email,
    mail(2, { subject: "Dobitak na lutriji", from: "Prevara <prevara@primer.rs>" }),
  );
  await signInPop3(page, user);
  await checkMail(page);
  await expect(messageRows(page)).toHaveCount(2);
  const folders = page.getByRole("navigation", { name: "Folders" });
  const notice = page.getByRole("status", { name: "Notice" });

  // Delete and z.
  await row(page, "Obična poruka").click();
  await expect(page.getByRole("article", { name: "Message" })).toBeFocused();
  await page.keyboard.press("#");
  await expect(row(page, "Obična poruka")).toHaveCount(0);
  await expect(notice.getByRole("button", { name: "Undo" })).toBeVisible();
  await page.keyboard.press("z");
  await expect(row(page, "Obična poruka")).toHaveCount(1);

  // Report spam: to the local Junk (made on first use).
  await row(page, "Dobitak na lutriji").click();
  await page.getByRole("article", { name: "Message" }).getByRole("button", { name: "Report spam" }).click();
  await expect(row(page, "Dobitak na lutriji")).toHaveCount(0);
  await expect(notice).toContainText("spam");
  await page.screenshot({ path: testInfo.outputPath("pop3-spam-notice-wide-en.png") });
  await folders.getByRole("button", { name: /^Junk/ }).click();
  await expect(row(page, "Dobitak na lutriji")).toHaveCount(1);

  // A later message from that sender goes to Junk on the next pull.
  await stack.mail.deliver(
    user.email,
    mail(3, { subject: "Opet dobitak", from: "Prevara <prevara@primer.rs>" }),
  );
  await stack.mail.deliver(user.email, mail(4, { subject: "Od prijatelja" }));
  await checkMail(page);
  await expect(row(page, "Opet dobitak")).toHaveCount(1);
  await folders.getByRole("button", { name: /^Inbox/ }).click();
  await expect(row(page, "Od prijatelja")).toHaveCount(1);
  await expect(row(page, "Opet dobitak")).toHaveCount(0);

  // Not spam: back to the Inbox, and the sender is forgotten.
  await folders.getByRole("button", { name: /^Junk/ }).click();
  await row(page, "Opet dobitak").click();
  await page.getByRole("article", { name: "Message" }).getByRole("button", { name: "Not spam" }).click();
  await expect(row(page, "Opet dobitak")).toHaveCount(0);
  await folders.getByRole("button", { name: /^Inbox/ }).click();
  await expect(row(page, "Opet dobitak")).toHaveCount(1);
  await stack.mail.deliver(
    user.email,
    mail(5, { subject: "Treći put", from: "Prevara <prevara@primer.rs>" }),
  );
  await checkMail(page);
  await expect(row(page, "Treći put")).toHaveCount(1);
});

test("POP3: Shift-click selects a range of the local folder's messages; # deletes just those", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("pop3range");
  for (const n of [1, 2, 3, 4]) await stack.mail.deliver(user.email, mail(n, { subject: `Izvod ${n}` }));
  await signInPop3(page, user);
  await checkMail(page);
  await expect(messageRows(page)).toHaveCount(4);

  // Newest first: 4, 3, 2, 1. The checkbox sets where the range starts; Shift-click ends it.
  await row(page, "Izvod 4").getByRole("checkbox", { name: "Select message" }).check();
  await row(page, "Izvod 2").click({ modifiers: ["Shift"] });
  await expect(page.getByText("3 selected")).toBeVisible();
  await expect(page.getByRole("article", { name: "Message" })).toHaveCount(0);
  await expect(row(page, "Izvod 1").getByRole("checkbox")).not.toBeChecked();
  await page.keyboard.press("#");
  await expect(messageRows(page)).toHaveCount(1);
  await expect(row(page, "Izvod 1")).toHaveCount(1);
});

// Empty Trash deletes for good what the user confirmed: a message filed in the Trash while the
// question was open (here by another tab; a pull's filter can too) is not deleted unseen.
test("POP3: Empty Trash deletes the messages confirmed, and nothing when another tab filed one there meanwhile", async ({
  page,
  context,
  stack,
}) => {
  const user = await stack.newUser("pop3empty");
  for (let i = 1; i <= 3; i += 1) await stack.mail.deliver(user.email, mail(i, { subject: `Poruka ${i}` }));
  await signInPop3(page, user);
  await checkMail(page);
  await expect(messageRows(page)).toHaveCount(3);
  await row(page, "Poruka 1").click();
  await page.keyboard.press("#");
  await expect(messageRows(page)).toHaveCount(2);

  const other = await context.newPage();
  await other.goto("/");
  await expect(messageRows(other)).toHaveCount(2);

  await page
    .getByRole("navigation", { name: "Folders" })
    .getByRole("button", { name: /^Trash/ })
    .click();
  await expect(messageRows(page)).toHaveCount(1);
  page.once("dialog", async (dialog) => {
    expect(dialog.message()).toContain("1");
    await row(other, "Poruka 2").click();
    await other.keyboard.press("#");
    await expect(row(other, "Poruka 2")).toHaveCount(0);
    await dialog.accept();
  });
  await page.getByRole("button", { name: "Empty Trash" }).click();
  await expect(page.getByText("It changed since you confirmed")).toBeVisible();
  await expect(messageRows(page)).toHaveCount(2);

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Empty Trash" }).click();
  await expect(messageRows(page)).toHaveCount(0);
  await expect(page.getByText("No messages")).toBeVisible();
  await other.close();
});
