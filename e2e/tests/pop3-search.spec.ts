import { expect, test } from "../fixtures/stack";
import { checkMail, mail, messageRows, signInPop3 } from "../fixtures/pop3";

// POP3 mail has no server to ask: the browser searches its own store, as the user types,
// ignoring case, diacritics and script, body included.
test("POP3 search finds Saša by typing sasa, a body word with đ by dj, and says what it searched", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("pop3search");
  await stack.mail.deliver(
    user.email,
    mail(1, { subject: "Dogovor", from: "Saša Jovanović <sasa@primer.rs>" }),
  );
  await stack.mail.deliver(user.email, mail(2, { subject: "Ručak u četvrtak" }));
  await stack.mail.deliver(
    user.email,
    [
      "From: Milan <milan@primer.rs>",
      `To: ${user.email}`,
      "Subject: Izveštaj",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: 8bit",
      "",
      "Sutra je sastanak u Đakovici.",
      "",
    ].join("\r\n"),
  );
  await signInPop3(page, user);
  await checkMail(page);
  await expect(messageRows(page)).toHaveCount(3);

  const box = page.getByRole("search").getByRole("searchbox", { name: "Search mail" });
  await box.pressSequentially("sasa");
  await expect(messageRows(page)).toHaveCount(1);
  await expect(messageRows(page).first()).toContainText("Dogovor");
  await expect(page.getByRole("status", { name: "Search results" })).toHaveText("1 found in “Inbox”");

  // The body is searched too, and "dj" is đ.
  await box.fill("djakovici");
  await expect(messageRows(page)).toHaveCount(1);
  await expect(messageRows(page).first()).toContainText("Izveštaj");

  await box.fill("nigde");
  await expect(page.getByText("No messages match “nigde” in “Inbox”.")).toBeVisible();

  await box.press("Escape");
  await expect(messageRows(page)).toHaveCount(3);
});
