import { expect, test } from "../fixtures/stack";
import { checkMail, mail, messageRows, signInPop3 } from "../fixtures/pop3";

// POP3 mail lives on "the local computer" — here, this browser. Once pulled it
// can be read, searched and sorted with the gateway gone.
test("mail already downloaded reads, searches and moves with the gateway unreachable", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("offline");
  await stack.mail.deliver(user.email, mail(1, { subject: "Putni nalog za Niš" }));
  await stack.mail.deliver(user.email, mail(2, { subject: "Zapisnik sa sastanka" }));
  await signInPop3(page, user);
  await checkMail(page);
  await expect(messageRows(page)).toHaveCount(2);

  await stack.gateway.stop();
  try {
    await expect(page.getByRole("status", { name: "Connection" })).not.toHaveText("Live", {
      timeout: 15_000,
    });

    await messageRows(page).filter({ hasText: "Zapisnik sa sastanka" }).click();
    await expect(page.getByRole("article", { name: "Message" })).toContainText("Zapisnik sa sastanka");
    await expect(messageRows(page).filter({ hasText: "Zapisnik sa sastanka" })).toHaveAttribute(
      "data-seen",
      "true",
    );

    await page.getByRole("searchbox", { name: "Search mail" }).fill("niš");
    await expect(messageRows(page)).toHaveCount(1);
    await expect(messageRows(page).first()).toContainText("Putni nalog za Niš");
    await page.getByRole("searchbox", { name: "Search mail" }).fill("");

    await messageRows(page).filter({ hasText: "Putni nalog za Niš" }).click();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await expect(messageRows(page)).toHaveCount(1);
    await page
      .getByRole("navigation", { name: "Folders" })
      .getByRole("button", { name: /^Trash/ })
      .click();
    await expect(messageRows(page).filter({ hasText: "Putni nalog za Niš" })).toHaveCount(1);
  } finally {
    // The worker's other tests need their gateway back.
    await stack.gateway.restart();
  }
});
