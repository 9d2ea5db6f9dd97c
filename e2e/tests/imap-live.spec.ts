import { buildMessage } from "@pismo/mail-harness/seed";
import { expect, test } from "../fixtures/stack";
import { row, secondDevice, signIn } from "../fixtures/mail-ui";
import { wireTrpc } from "../fixtures/trpc-wire";

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
  const name = dialog.getByLabel("Folder name");
  const refused = async (typed: string, why: string | RegExp) => {
    await name.fill(typed);
    await name.press("Enter");
    await expect(dialog.getByRole("alert")).toHaveText(why);
    await expect(name).toHaveValue(typed);
  };
  // Empty: the dialog's own sentence, not the browser's bubble in the browser's language.
  await refused("", "Write the folder's name.");
  await refused("100% hitno", "A folder's name cannot have % or * in it.");
  // Said before anything is sent, in the reader's words: a folder of that name (the Inbox in any
  // case), the server's delimiter, which would make a folder inside another.
  await refused("Racuni", "There is already a folder named “Racuni”.");
  await refused("inbox", "There is already a folder named “Inbox”.");
  await refused(
    "Posao/Hitno",
    "A folder's name cannot have “/” in it: this server puts it between a folder and the folders inside it.",
  );
  // The server's own refusal is shown there too, not in a passing toast (this Dovecot keeps
  // folders as Maildir++ directories, whose names cannot hold a dot).
  await refused(
    "a.b",
    /^The mail server refused the request\. The server refused: Character not allowed in mailbox name: '\.'/,
  );

  await name.fill("Hitno");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(dialog).toBeHidden();
  const folders = page.getByRole("navigation", { name: "Folders" });
  await expect(folders.getByRole("button", { name: /^Hitno/ })).toBeVisible();

  // Renaming says the same, and a folder keeps its own name without complaint.
  await folders.getByRole("button", { name: /^Hitno/ }).click();
  await folders.getByRole("button", { name: "Rename folder" }).click();
  const rename = page.getByRole("dialog", { name: "Rename folder" });
  await rename.getByLabel("Folder name").fill("Racuni");
  await rename.getByLabel("Folder name").press("Enter");
  await expect(rename.getByRole("alert")).toHaveText("There is already a folder named “Racuni”.");
  await rename.getByLabel("Folder name").fill("Hitno i važno");
  await rename.getByLabel("Folder name").press("Enter");
  await expect(rename).toBeHidden();
  await expect(folders.getByRole("button", { name: /^Hitno i važno/ })).toBeVisible();
});

test("a folder renamed here while it is open stays open under its new name, not called gone", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("rename-open");
  await stack.mail.createFolder(user.email, "Projekti");
  await stack.mail.deliver(user.email, fromAna(user.email, "Plan rada"), { folder: "Projekti" });
  // The new name's rows come late (a slow server): the folder tree, asked for at the same
  // time, may be answered first, without the old name. (Whether it is depends on the
  // server's speed: on the machine this was written on the tree came after the page's wait
  // for the rows, so this checks what the user sees, not that race.)
  const wire = await wireTrpc(page);
  await signIn(page, user);
  const folders = page.getByRole("navigation", { name: "Folders" });
  await folders.getByRole("button", { name: /^Projekti/ }).click();
  await expect(row(page, "Plan rada")).toBeVisible();
  wire.delay("imap.list", 400);
  await folders.getByRole("button", { name: "Rename folder" }).click();
  const rename = page.getByRole("dialog", { name: "Rename folder" });
  await rename.getByLabel("Folder name").fill("Projekti 2027");
  await rename.getByLabel("Folder name").press("Enter");
  await expect(rename).toBeHidden();
  await expect(folders.getByRole("button", { name: /^Projekti 2027/ })).toHaveAttribute("aria-current", /.+/);
  await expect(row(page, "Plan rada")).toBeVisible();
  await expect(folders.getByRole("button", { name: /^Inbox/ })).not.toHaveAttribute("aria-current", /.+/);
  await expect(page.getByRole("status").filter({ hasText: /is gone/ })).toHaveCount(0);
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

test("a folder made again on another device while this screen missed it: a delete of its old rows is refused, nothing on the server changes", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("folder-again");
  const fill = async (subjects: string[]) => {
    for (const subject of subjects)
      await stack.mail.save(user.email, fromAna(user.email, subject), { folder: "Rad" });
  };
  await stack.mail.createFolder(user.email, "Rad");
  await fill(["Stara 1", "Stara 2", "Stara 3"]);
  const wire = await wireTrpc(page);
  await signIn(page, user);
  await page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Rad/ }).click();
  await expect(row(page, "Stara 2")).toBeVisible();

  // The screen hears nothing more (a push lost on the way), and a phone deletes the folder and
  // makes one of the same name: new messages under the same UIDs 1 to 3.
  wire.drop("imap.events");
  const sessions = async () =>
    (await stack.mail.doveadm(["who", user.email])).match(/\(([\d ]+)\)/)?.[1] ?? "";
  const before = await sessions();
  await stack.mail.doveadm(["mailbox", "delete", "-u", user.email, "Rad"]);
  // Dovecot drops the session that had the folder selected (IDLE tells it about half a second
  // later) and the gateway makes another; then the phone makes the folder again.
  await expect.poll(sessions, LIVE).not.toBe(before);
  await stack.mail.createFolder(user.email, "Rad");
  await fill(["Nova 1", "Nova 2", "Nova 3"]);

  await row(page, "Stara 2").getByRole("checkbox").check();
  await page.keyboard.press("#");
  // From here the screen hears again. The gateway answers the new listing with what the server
  // has told it; if it selected the folder while it was still empty (a loaded machine: before
  // the three were saved), the three come by IDLE about half a second later, and a dropped push
  // would leave the screen empty (a clean-clone CI run failed so). The delete went with the old
  // rows all the same.
  wire.pass("imap.events");
  await expect(
    page
      .getByRole("alert")
      .or(page.getByRole("status"))
      .filter({ hasText: "This folder was changed on another device" }),
  ).toBeVisible(LIVE);
  // The folder as it is now, listed again; not one of its messages deleted.
  await expect(row(page, "Nova 2")).toBeVisible(LIVE);
  await expect(row(page, "Stara 2")).toHaveCount(0);
  expect((await stack.mail.counts(user.email, "Rad")).messages).toBe(3);
  expect((await stack.mail.counts(user.email, "Trash")).messages).toBe(0);
});

test("a row deleted here stays gone while the server has not yet done it, even when new mail refreshes the list meanwhile", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("leaving");
  for (const subject of ["Prva", "Druga", "Treca"])
    await stack.mail.deliver(user.email, fromAna(user.email, subject));
  const wire = await wireTrpc(page);
  await signIn(page, user);
  await row(page, "Druga").click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Tekst: Druga.");

  // The delete reaches the gateway 3 s late (a slow uplink); mail delivered meanwhile makes the
  // page ask for the list again, and that request, sent after the delete, is answered first,
  // by a server that still holds the message.
  wire.delayAsking("actions.act", 3_000);
  await page.keyboard.press("#");
  await expect(page.getByRole("article", { name: "Message" })).toHaveCount(0);
  await expect(row(page, "Druga")).toHaveCount(0);
  await stack.mail.deliver(user.email, fromAna(user.email, "Cetvrta"));
  await expect(row(page, "Cetvrta")).toBeVisible(LIVE);
  // The answer that brought the new row listed the deleted one too: it is not shown again.
  expect(await row(page, "Druga").count()).toBe(0);
  expect((await stack.mail.counts(user.email, "Trash")).messages).toBe(0);

  await expect.poll(async () => (await stack.mail.counts(user.email, "Trash")).messages, LIVE).toBe(1);
  const grid = page.getByRole("grid", { name: "Messages" });
  await expect(grid.getByRole("row")).toHaveCount(3);
  await expect(row(page, "Druga")).toHaveCount(0);
});
