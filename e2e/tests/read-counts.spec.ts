import type { Page } from "@playwright/test";
import { buildMessage } from "@pismo/mail-harness/seed";
import { expect, test } from "../fixtures/stack";
import { row, secondDevice, signIn } from "../fixtures/mail-ui";
import { wireTrpc } from "../fixtures/trpc-wire";

// A read mark changes the unread count by what the page knew of the row: the device that
// reads or marks unread moves its count without asking the server for the whole folder tree
// again (a LIST-STATUS of every folder, on the one IMAP connection the next open waits for),
// and the other device's count follows the change too (its refresh asks for the counts after
// the rows: Dovecot answers STATUS of the selected folder from the connection's view).

const LIVE = { timeout: 10_000 };

test("reading and marking unread move the unread count on both devices without listing the folders again", async ({
  page,
  browser,
  stack,
  baseURL,
}) => {
  const user = await stack.newUser("readcounts");
  await stack.mail.deliver(
    user.email,
    buildMessage({ from: "marko@primer.rs", to: user.email, subject: "Brojač", text: "Tekst poruke." }),
  );
  const other = await secondDevice(browser, baseURL);
  const here = await wireTrpc(page);
  const there = await wireTrpc(other);
  await signIn(page, user);
  await signIn(other, user);
  const inbox = (p: Page, name: RegExp) =>
    p.getByRole("navigation", { name: "Folders" }).getByRole("button", { name });
  for (const p of [page, other]) await expect(inbox(p, /^Inbox 1 unread$/)).toBeVisible();
  // Past what the sign-in itself asks for.
  await page.waitForTimeout(1_000);
  here.recording = true;

  await row(page, "Brojač").click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Tekst poruke.");
  for (const p of [page, other]) await expect(inbox(p, /^Inbox$/)).toBeVisible(LIVE);

  // Past the refresh the read on the first device caused on this one.
  await other.waitForTimeout(1_000);
  there.recording = true;
  await row(other, "Brojač").click();
  await other.getByRole("button", { name: "Mark as unread" }).click();
  for (const p of [page, other]) await expect(inbox(p, /^Inbox 1 unread$/)).toBeVisible(LIVE);
  // The server agrees.
  const flags = await stack.mail.doveadm(["fetch", "-u", user.email, "flags", "mailbox", "INBOX"]);
  expect(flags).not.toContain("\\Seen");

  // Time for anything that would refetch behind the counts.
  await page.waitForTimeout(1_000);
  expect(here.asked).toContain("imap.open");
  expect(there.asked).toContain("imap.setFlags");
  // The device that acted, each in its turn.
  expect(here.asked.slice(0, here.asked.indexOf("imap.open") + 3)).not.toContain("imap.folders");
  expect(there.asked).not.toContain("imap.folders");
  await other.context().close();
});

test("mail that came to a folder IDLE was not on is in the folder's count as soon as its rows show", async ({
  page,
  stack,
}) => {
  // The gateway lists every folder's counts every 20 s (from the sign-in on); everything below
  // happens well before that, so only the rows' own answer can bring the count.
  const user = await stack.newUser("unwatched");
  await signIn(page, user);
  const nav = page.getByRole("navigation", { name: "Folders" });
  await expect(nav.getByRole("button", { name: /^Archive$/ })).toBeVisible();
  await stack.mail.save(
    user.email,
    buildMessage({ from: "marko@primer.rs", to: user.email, subject: "U arhivi", text: "Tekst." }),
    { folder: "Archive" },
  );

  await nav.getByRole("button", { name: /^Archive/ }).click();
  await expect(row(page, "U arhivi")).toBeVisible();
  await expect(nav.getByRole("button", { name: /^Archive 1 unread$/ })).toBeVisible({ timeout: 3_000 });
});
