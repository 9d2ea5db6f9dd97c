import { expect, test } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";
import { checkMail, mail, messageRows, signInPop3 } from "../fixtures/pop3";
import {
  attention,
  clickNotification,
  enableDesktopNotifications,
  faviconUnread,
  loseWindowFocus,
  permissionPrompts,
  recordNotifications,
  regainWindowFocus,
  shownNotifications,
} from "../fixtures/notifications";

test("permission is asked only when the user turns desktop notifications on, never at load", async ({
  page,
  context,
  stack,
}, testInfo) => {
  await recordNotifications(context);
  const user = await stack.newUser("notify-ask");
  await signIn(page, user);
  await page.waitForTimeout(500);
  expect(await permissionPrompts(page)).toBe(0);
  await page.getByRole("button", { name: "Notifications" }).click();
  await expect(page.getByRole("checkbox", { name: /Desktop notifications/ })).not.toBeChecked();
  await page.screenshot({ path: testInfo.outputPath("notifications-setting-en.png") });
  expect(await permissionPrompts(page)).toBe(0);
  await page.getByRole("checkbox", { name: /Desktop notifications/ }).click();
  await expect.poll(() => permissionPrompts(page)).toBe(1);
  // Headless Chromium answers a prompt nobody can see with "denied": the panel says so.
  await expect(page.getByText(/blocks notifications/)).toBeVisible();
  // Escape from inside the panel closes it and gives the focus back to the bell (it was left on
  // the page's body); Tab out of the panel closes it too.
  const bell = page.getByRole("button", { name: "Notifications" });
  const panel = page.getByRole("group", { name: "New mail" });
  await panel.getByRole("checkbox", { name: /Play a sound/ }).focus();
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
  await expect(bell).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(panel).toBeVisible();
  await panel.getByRole("checkbox", { name: /Play a sound/ }).focus();
  await page.keyboard.press("Tab");
  await expect(panel).toHaveCount(0);
  await bell.click();
  await page.getByLabel("Language").selectOption("sr");
  await expect(page.getByRole("checkbox", { name: /Obaveštenja na radnoj površini/ })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("notifications-setting-sr.png") });
});

test("IMAP: new Inbox mail notifies once, not while the focused tab shows the Inbox; a click opens it; the favicon counts", async ({
  page,
  context,
  stack,
}) => {
  test.setTimeout(90_000);
  await context.grantPermissions(["notifications"]);
  await recordNotifications(context);
  const user = await stack.newUser("notify-imap");
  await signIn(page, user);
  await enableDesktopNotifications(page);
  expect(await faviconUnread(page)).toBe("0");

  // Looking at the Inbox in the focused tab: the new row is the news; no notification.
  expect(await attention(page)).toEqual({ visible: true, focused: true });
  await stack.mail.deliver(user.email, mail(1, { subject: "Vidim je u listi", from: "Ana <ana@primer.rs>" }));
  await expect(row(page, "Vidim je u listi")).toBeVisible({ timeout: 10_000 });
  await expect.poll(() => faviconUnread(page)).toBe("1");
  await page.waitForTimeout(1_500);
  expect(await shownNotifications(page)).toEqual([]);

  // The Inbox is on screen but the window has no focus (the user works elsewhere): notified.
  const elsewhere = await loseWindowFocus(context, page);
  await stack.mail.deliver(user.email, mail(2, { subject: "Dok radim drugo", from: "Ana <ana@primer.rs>" }));
  await expect
    .poll(() => shownNotifications(page), { timeout: 10_000 })
    .toEqual([{ title: "Ana", body: "Dok radim drugo" }]);
  await expect.poll(() => faviconUnread(page)).toBe("2");
  await regainWindowFocus(context, page, elsewhere);

  // Focused, but in another folder: notified, once, and a click opens the message.
  await page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Sent/ }).click();
  await stack.mail.deliver(
    user.email,
    mail(3, { subject: "Iz drugog foldera", from: "Marko <marko@primer.rs>" }),
  );
  // Outside the watched folder the Inbox is seen by the gateway's periodic LIST-STATUS (20 s).
  await expect.poll(() => shownNotifications(page), { timeout: 30_000 }).toHaveLength(2);
  expect((await shownNotifications(page))[1]).toEqual({ title: "Marko", body: "Iz drugog foldera" });
  await page.waitForTimeout(1_000);
  expect(await shownNotifications(page)).toHaveLength(2);

  await clickNotification(page, 1);
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Iz drugog foldera");
  await expect(
    page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Inbox/ }),
  ).toHaveAttribute("aria-current", /.+/);
});

test("IMAP: an unread message moved into the Inbox here (Not spam) is not announced as new mail; mail that comes meanwhile is", async ({
  page,
  context,
  stack,
}) => {
  test.setTimeout(90_000);
  await context.grantPermissions(["notifications"]);
  await recordNotifications(context);
  const user = await stack.newUser("notify-moved");
  await stack.mail.deliver(user.email, mail(1, { subject: "Nije prevara", from: "Ana <ana@primer.rs>" }), {
    folder: "Junk",
  });
  await signIn(page, user);
  await enableDesktopNotifications(page);
  // In Junk, focused: new Inbox mail is announced (seen by the gateway's LIST-STATUS).
  await page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Junk/ }).click();
  await row(page, "Nije prevara").getByRole("checkbox", { name: "Select message" }).check();
  await page.getByRole("button", { name: "Not spam", exact: true }).click();
  await expect.poll(async () => (await stack.mail.counts(user.email, "INBOX")).unseen).toBe(1);
  await stack.mail.deliver(user.email, mail(2, { subject: "Stvarno nova", from: "Marko <marko@primer.rs>" }));
  await expect.poll(() => shownNotifications(page), { timeout: 30_000 }).toHaveLength(1);
  await page.waitForTimeout(1_000);
  expect(await shownNotifications(page)).toEqual([{ title: "Marko", body: "Stvarno nova" }]);
});

test("POP3: one notification after a pull that brought new mail, none after an empty pull or while watching the Inbox", async ({
  page,
  context,
  stack,
}) => {
  await context.grantPermissions(["notifications"]);
  await recordNotifications(context);
  const user = await stack.newUser("notify-pop3");
  await signInPop3(page, user);
  await enableDesktopNotifications(page);

  // Watching the Inbox in the focused tab: the pull's rows are the news.
  await stack.mail.deliver(user.email, mail(1, { subject: "Prva poruka" }));
  await checkMail(page);
  await expect(messageRows(page)).toHaveCount(1);
  await page.waitForTimeout(1_000);
  expect(await shownNotifications(page)).toEqual([]);
  await expect.poll(() => faviconUnread(page)).toBe("1");

  // In another folder: two messages in one pull make one notification.
  await page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Sent/ }).click();
  await stack.mail.deliver(user.email, mail(2, { subject: "Druga poruka", from: "Ana <ana@primer.rs>" }));
  await stack.mail.deliver(user.email, mail(3, { subject: "Treća poruka", from: "Ana <ana@primer.rs>" }));
  await checkMail(page);
  await expect.poll(() => shownNotifications(page), { timeout: 10_000 }).toHaveLength(1);
  expect((await shownNotifications(page))[0]?.title).toBe("2 new messages");
  await expect.poll(() => faviconUnread(page)).toBe("3");

  // A pull with nothing new: no notification.
  await checkMail(page);
  await page.waitForTimeout(1_000);
  expect(await shownNotifications(page)).toHaveLength(1);

  await clickNotification(page, 0);
  await expect(page.getByRole("article", { name: "Message" })).toBeVisible();
});
