import { readFileSync } from "node:fs";
import { expect, test } from "../fixtures/stack";
import { checkMail, mail, messageRows, serverUids, signInPop3, signOutPop3 } from "../fixtures/pop3";

// POP3 downloads all mail into this browser and removes it from the
// server, so another device (browser B, a separate profile) gets nothing; the downloaded mail
// is read, sorted and deleted here.
test("a pull in browser A empties the server, and browser B then gets nothing", async ({
  page,
  browser,
  stack,
}) => {
  const user = await stack.newUser("pop12");
  for (let i = 1; i <= 5; i += 1) await stack.mail.deliver(user.email, mail(i));
  const onServer = await serverUids(stack, user);
  expect(onServer).toHaveLength(5);

  await signInPop3(page, user);
  await checkMail(page);
  await expect(page.getByText("New messages downloaded: 5.").first()).toBeVisible();
  await expect(messageRows(page)).toHaveCount(5);
  const ids = await messageRows(page).evaluateAll((rows) =>
    rows.map((r) => r.getAttribute("data-message-id")),
  );
  expect(ids.sort()).toEqual([...onServer].sort());
  expect(await serverUids(stack, user)).toEqual([]);

  // Everything done to a received message is done here, in this browser.
  await page.getByRole("row", { name: /Poruka 3/ }).click();
  const message = page.getByRole("article", { name: "Message" });
  await expect(message.getByRole("heading", { name: "Poruka 3" })).toBeVisible();
  await expect(message).toContainText("Telo poruke 3.");
  await expect(page.getByRole("row", { name: /Poruka 3/ })).toHaveAttribute("data-seen", "true");
  await message.getByRole("button", { name: "Mark as unread" }).click();
  await expect(page.getByRole("row", { name: /Poruka 3/ })).toHaveAttribute("data-seen", "false");
  await message.getByRole("button", { name: "Flag" }).click();
  await message.getByRole("button", { name: "Delete" }).click();
  await expect(messageRows(page)).toHaveCount(4);
  await page
    .getByRole("navigation", { name: "Folders" })
    .getByRole("button", { name: /^Trash/ })
    .click();
  await expect(messageRows(page)).toHaveCount(1);
  await page
    .getByRole("navigation", { name: "Folders" })
    .getByRole("button", { name: /^Inbox/ })
    .click();
  await page.getByRole("searchbox", { name: "Search mail" }).fill("poruka 5");
  await expect(messageRows(page)).toHaveCount(1);
  await page.getByRole("searchbox", { name: "Search mail" }).fill("");

  // Another device finds the server empty: the pull removed the messages.
  const other = await browser.newContext({ baseURL: stack.gateway.url });
  try {
    const b = await other.newPage();
    await signInPop3(b, user);
    await checkMail(b);
    await expect(b.getByText("No new mail.")).toBeVisible();
    await expect(messageRows(b)).toHaveCount(0);
  } finally {
    await other.close();
  }
  // A still has its mail after B's visit, and after a reload (it lives in IndexedDB).
  await page.reload();
  await expect(messageRows(page)).toHaveCount(4);
});

test("signing out asks whether to keep the downloaded mail, and wiping removes it", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("popout");
  for (let i = 1; i <= 2; i += 1) await stack.mail.deliver(user.email, mail(i));
  await signInPop3(page, user);
  await checkMail(page);
  await expect(messageRows(page)).toHaveCount(2);

  // The pull removed both from the server: the dialog says this browser holds their only copy
  // and offers them as an mbox file before anything is removed.
  await page.getByRole("button", { name: "Sign out" }).click();
  const dialog = page.getByRole("dialog", { name: "Sign out" });
  await expect(dialog.getByRole("note")).toHaveText(
    "2 messages are only in this browser, not on the server. If you remove mail from this browser they are lost for good: export them first to keep a copy.",
  );
  const download = page.waitForEvent("download");
  await dialog.getByRole("button", { name: "Export mail only in this browser (mbox)" }).click();
  const file = await download;
  const mbox = readFileSync(await file.path(), "latin1");
  expect(mbox.match(/^From /gm)).toHaveLength(2);
  expect(mbox).toContain("Subject: Poruka 1");
  expect(mbox).toContain("Subject: Poruka 2");
  await dialog.getByRole("button", { name: "Keep mail in this browser" }).click();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await signInPop3(page, user);
  await expect(messageRows(page)).toHaveCount(2);

  await signOutPop3(page, "remove");
  await signInPop3(page, user);
  await expect(page.getByRole("grid", { name: "Messages" })).toContainText(
    "No mail in this browser yet. Check mail downloads what is waiting on the server.",
  );
});

// Mail is anybody's: a message whose HTML names a character that cannot exist (`&#99999999;`)
// once failed its parse, its batch and so every pull after it, and the server filled up behind it.
test("a message with impossible character references is pulled with the others, and the pull after it goes on", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("pophostile");
  await stack.mail.deliver(user.email, mail(1));
  await stack.mail.deliver(
    user.email,
    [
      "From: x@primer.rs",
      `To: ${user.email}`,
      "Subject: Nemoguci znakovi",
      "MIME-Version: 1.0",
      "Content-Type: text/html; charset=utf-8",
      "",
      "<p>pre &#99999999; &#x110000; &#xD800; posle</p>",
      "",
    ].join("\r\n"),
  );
  await stack.mail.deliver(user.email, mail(3));

  await signInPop3(page, user);
  await checkMail(page);
  await expect(page.getByText("New messages downloaded: 3.").first()).toBeVisible();
  await expect(messageRows(page)).toHaveCount(3);
  expect(await serverUids(stack, user)).toEqual([]);

  await page.getByRole("row", { name: /Nemoguci znakovi/ }).click();
  const body = page.getByRole("article", { name: "Message" }).frameLocator('iframe[title="Message body"]');
  await expect(body.locator("body")).toContainText("posle");

  await stack.mail.deliver(user.email, mail(4));
  await checkMail(page);
  await expect(messageRows(page)).toHaveCount(4);
});
