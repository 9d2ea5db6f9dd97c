import { buildMessage } from "@pismo/mail-harness/seed";
import { expect, test } from "../fixtures/stack";
import { row, secondDevice, signIn } from "../fixtures/mail-ui";

// Generous bounds: timing goals live in the benchmark, not in tests.
const LIVE = { timeout: 10_000 };

/** A plain message from Ana, its text "Tekst: <subject>." */
const fromAna = (to: string, subject: string) =>
  buildMessage({ from: { name: "Ana", address: "ana@pismo.test" }, to, subject, text: `Tekst: ${subject}.` });

test("a folder made on one device appears on another without a reload", async ({
  page,
  browser,
  stack,
  baseURL,
}) => {
  const user = await stack.newUser("folders");
  const other = await secondDevice(browser, baseURL);
  await signIn(page, user);
  await signIn(other, user);

  await page.getByRole("button", { name: "New folder" }).click();
  await page.getByLabel("Folder name").fill("Projekti Šabac");
  await page.getByRole("button", { name: "Create", exact: true }).click();

  const nav = (p: typeof page) => p.getByRole("navigation", { name: "Folders" });
  await expect(nav(page).getByRole("button", { name: /^Projekti Šabac/ })).toBeVisible();
  await expect(nav(other).getByRole("button", { name: /^Projekti Šabac/ })).toBeVisible(LIVE);
  // It is a real folder on the server.
  expect(await stack.mail.doveadm(["mailbox", "list", "-u", user.email])).toContain("Projekti Šabac");

  // Renamed on B, renamed on A.
  await nav(other)
    .getByRole("button", { name: /^Projekti Šabac/ })
    .click();
  await other.getByRole("button", { name: "Rename folder" }).click();
  await other.getByLabel("Folder name").fill("Projekti Čačak");
  await other.getByRole("button", { name: "Rename", exact: true }).click();
  await expect(nav(page).getByRole("button", { name: /^Projekti Čačak/ })).toBeVisible(LIVE);
  await expect(nav(page).getByRole("button", { name: /^Projekti Šabac/ })).toHaveCount(0);
  await other.context().close();
});

test("new mail delivered to the server appears in every open browser without a reload", async ({
  page,
  browser,
  stack,
  baseURL,
}) => {
  const user = await stack.newUser("push");
  const other = await secondDevice(browser, baseURL);
  await signIn(page, user);
  await signIn(other, user);

  await stack.mail.deliver(
    user.email,
    buildMessage({
      from: { name: "Jelena Šćekić", address: "jelena@primer.rs" },
      to: user.email,
      subject: "Stiglo uživo",
      text: "Zdravo!",
    }),
  );

  await expect(row(page, "Stiglo uživo")).toBeVisible(LIVE);
  await expect(row(other, "Stiglo uživo")).toBeVisible(LIVE);
  await expect(
    page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: "Inbox 1 unread" }),
  ).toBeVisible();
  await expect(page).toHaveTitle(/^\(1\) Inbox/);
  await other.context().close();
});

test("a message read on one device shows as read on the other", async ({ page, browser, stack, baseURL }) => {
  const user = await stack.newUser("seen");
  await stack.mail.deliver(
    user.email,
    buildMessage({ from: "marko@primer.rs", to: user.email, subject: "Pročitaj me", text: "Tekst poruke." }),
  );
  const other = await secondDevice(browser, baseURL);
  await signIn(page, user);
  await signIn(other, user);
  await expect(row(other, "Pročitaj me")).toHaveAttribute("data-seen", "false");

  await row(page, "Pročitaj me").click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Tekst poruke.");
  await expect(row(page, "Pročitaj me")).toHaveAttribute("data-seen", "true");
  await expect(row(other, "Pročitaj me")).toHaveAttribute("data-seen", "true", LIVE);

  // And back: unread on B shows unread on A.
  await row(other, "Pročitaj me").click();
  await other.getByRole("button", { name: "Mark as unread" }).click();
  await expect(row(page, "Pročitaj me")).toHaveAttribute("data-seen", "false", LIVE);
  // The server agrees.
  const flags = await stack.mail.doveadm(["fetch", "-u", user.email, "flags", "mailbox", "INBOX"]);
  expect(flags).not.toContain("\\Seen");
  await other.context().close();
});

test("a folder name the server would refuse keeps the dialog open with the name and why; a taken one says so", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("foldername");
  await stack.mail.createFolder(user.email, "Racuni");
  await signIn(page, user);
  await page.getByRole("button", { name: "New folder" }).click();
  const dialog = page.getByRole("dialog", { name: "New folder" });
  await dialog.getByLabel("Folder name").fill("100% hitno");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(dialog.getByRole("alert")).toHaveText("A folder's name cannot have % or * in it.");
  await expect(dialog.getByLabel("Folder name")).toHaveValue("100% hitno");

  // The server's own refusal (the name is taken) is shown there too, not in a passing toast.
  await dialog.getByLabel("Folder name").fill("Racuni");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(dialog.getByRole("alert")).not.toHaveText("A folder's name cannot have % or * in it.");
  await expect(dialog.getByRole("alert")).not.toBeEmpty();
  await expect(dialog.getByLabel("Folder name")).toHaveValue("Racuni");

  await dialog.getByLabel("Folder name").fill("Hitno");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Hitno/ }),
  ).toBeVisible();
});

test("a folder deleted or renamed on another device while it is open here: back to the Inbox, saying why", async ({
  page,
  browser,
  stack,
  baseURL,
}) => {
  const user = await stack.newUser("folder-gone");
  for (const [folder, subject] of [
    ["Projekti", "Plan rada"],
    ["Putovanja", "Karte za voz"],
  ] as const) {
    await stack.mail.createFolder(user.email, folder);
    await stack.mail.deliver(user.email, fromAna(user.email, subject), { folder });
  }
  const other = await secondDevice(browser, baseURL);
  await signIn(page, user);
  await signIn(other, user);
  const nav = (p: typeof page) => p.getByRole("navigation", { name: "Folders" });
  const gone = (name: string) => page.getByRole("status").filter({ hasText: `The folder “${name}” is gone` });

  // Both devices show the folder.
  const showBoth = async (folder: string, subject: string) => {
    await nav(page)
      .getByRole("button", { name: new RegExp(`^${folder}`) })
      .click();
    await expect(row(page, subject)).toBeVisible();
    await nav(other)
      .getByRole("button", { name: new RegExp(`^${folder}`) })
      .click();
  };

  // Deleted on B while A shows it.
  await showBoth("Projekti", "Plan rada");
  await other.getByRole("button", { name: "Delete folder" }).click();
  await other.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }).click();
  await expect(gone("Projekti")).toBeVisible(LIVE);
  await expect(page.getByRole("heading", { name: "Inbox" })).toBeVisible();
  await expect(row(page, "Plan rada")).toHaveCount(0);

  // Renamed on B while A shows it.
  await showBoth("Putovanja", "Karte za voz");
  await other.getByRole("button", { name: "Rename folder" }).click();
  await other.getByLabel("Folder name").fill("Putovanja 2026");
  await other.getByRole("button", { name: "Rename", exact: true }).click();
  await expect(gone("Putovanja")).toBeVisible(LIVE);
  await expect(nav(page).getByRole("button", { name: /^Putovanja 2026/ })).toBeVisible();
  await expect(row(page, "Karte za voz")).toHaveCount(0);
  await other.context().close();
});

test("the open message deleted on another device closes here, saying why, and leaves the selection", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("open-gone");
  for (const subject of ["Ostaje", "Nestaje"])
    await stack.mail.deliver(user.email, fromAna(user.email, subject));
  await signIn(page, user);
  await row(page, "Ostaje").getByRole("checkbox").check();
  await row(page, "Nestaje").click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Tekst: Nestaje.");

  // A phone's mail app deletes both (expunged on the server, not through Pismo).
  await stack.mail.doveadm(["expunge", "-u", user.email, "mailbox", "INBOX", "all"]);
  await expect(
    page.getByRole("status").filter({ hasText: "The open message was deleted or moved on another device." }),
  ).toBeVisible(LIVE);
  await expect(page.getByRole("article", { name: "Message" })).toHaveCount(0);
  await expect(row(page, "Ostaje")).toHaveCount(0);
  // Nothing is left selected to act on.
  await expect(page.getByText(/selected/)).toHaveCount(0);
});
