import { expect, test } from "../fixtures/stack";
import { checkMail, mail, messageRows, signInPop3 } from "../fixtures/pop3";

// The same rules UI for a POP3 account: the rule runs in the browser on the next pull, and out
// of office is explained rather than offered (nothing of POP3 runs on the server).
test("the same rule made for a POP3 account applies on the next pull", async ({ page, stack }) => {
  const user = await stack.newUser("pop3rules");
  await signInPop3(page, user);
  const folders = page.getByRole("navigation", { name: "Folders" });
  await folders.getByRole("button", { name: "New folder" }).click();
  await page.getByRole("dialog", { name: "New folder" }).getByLabel("Folder name").fill("Računi 2026");
  await page.getByRole("dialog", { name: "New folder" }).getByRole("button", { name: "Create" }).click();

  await page.getByRole("button", { name: "Settings" }).click();
  const filters = page.getByRole("region", { name: "Filters" });
  await filters.getByRole("button", { name: "New rule" }).click();
  const rule = page.getByRole("dialog", { name: "Rule" });
  // Only what can run in the browser is offered.
  await expect(rule.getByRole("checkbox", { name: "Forward to" })).toHaveCount(0);
  await expect(rule.getByRole("checkbox", { name: "Reject with message" })).toHaveCount(0);
  await rule.getByLabel("Value").fill("[INVOICE]");
  await rule.getByRole("checkbox", { name: "Move to folder" }).check();
  await rule.getByLabel("Move to folder: Folder").selectOption({ label: "Računi 2026" });
  await rule.getByRole("button", { name: "Save" }).click();
  await expect(filters.getByRole("list", { name: "Rules" })).toContainText("[INVOICE]");
  await expect(page.getByRole("region", { name: "Out of office" }).getByRole("note")).toContainText(
    "POP3 mail is sorted in this browser",
  );

  await stack.mail.deliver(user.email, mail(1, { subject: "[INVOICE] 2026-0042" }));
  await stack.mail.deliver(user.email, mail(2, { subject: "Lunch" }));
  await folders.getByRole("button", { name: /^Inbox/ }).click();
  await checkMail(page);
  await expect(messageRows(page)).toHaveCount(1);
  await expect(messageRows(page).first()).toHaveAccessibleName(/Lunch/);
  await folders.getByRole("button", { name: /^Računi 2026/ }).click();
  await expect(messageRows(page)).toHaveCount(1);
  await expect(messageRows(page).first()).toHaveAccessibleName(/\[INVOICE\]/);

  // Switched off, the rule sleeps: the next invoice stays in the Inbox.
  await page.getByRole("button", { name: "Settings" }).click();
  await filters.getByRole("switch", { name: /^On:/ }).click();
  await stack.mail.deliver(user.email, mail(3, { subject: "[INVOICE] 2026-0043" }));
  await folders.getByRole("button", { name: /^Inbox/ }).click();
  await checkMail(page);
  await expect(messageRows(page)).toHaveCount(2);
});

test("POP3: Create rule from message fills the rule; cancelled, it goes back to the message, saved, to the rules", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("pop3fromrule");
  await stack.mail.deliver(user.email, mail(1, { subject: "Plan za jun", from: "Šef <sef@firma.rs>" }));
  await signInPop3(page, user);
  await checkMail(page);
  await messageRows(page).first().click();
  const message = page.getByRole("article", { name: "Message" });
  await expect(message).toContainText("Telo poruke 1.");
  const fromMessage = page.getByRole("button", { name: "Create rule from message" });
  await fromMessage.click();
  const rule = page.getByRole("dialog", { name: "Rule" });
  await expect(rule.getByLabel("Value").first()).toHaveValue("sef@firma.rs");
  await expect(rule.getByLabel("Value").nth(1)).toHaveValue("Plan za jun");

  // Escape: back to the message, not to Settings.
  await page.keyboard.press("Escape");
  await expect(rule).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Filters" })).toHaveCount(0);
  await expect(message).toContainText("Telo poruke 1.");

  // Saved: the rule is shown among the others.
  await fromMessage.click();
  await rule.getByRole("checkbox", { name: "Mark as read" }).check();
  await rule.getByRole("button", { name: "Save" }).click();
  await expect(rule).toHaveCount(0);
  await expect(
    page.getByRole("region", { name: "Filters" }).getByRole("list", { name: "Rules" }),
  ).toContainText("sef@firma.rs");
});
