import { buildMessage } from "@pismo/mail-harness/seed";
import type { Page } from "@playwright/test";
import { expect, test, type Stack } from "../fixtures/stack";
import { signIn } from "../fixtures/mail-ui";
import { checkMail, signInPop3 } from "../fixtures/pop3";
import { countInFolder } from "../fixtures/sieve";

// Settings → "After deleting or moving": when the message being read is deleted, archived,
// moved or reported as spam, the next (or previous) one opens in its place, as in Roundcube,
// Thunderbird and Gmail's auto-advance; by default the list comes back, as before (the other
// specs hold that default).

async function withTasks(stack: Stack, name: string, count: number) {
  const user = await stack.newUser(name);
  for (let i = 1; i <= count; i++)
    await stack.mail.deliver(
      user.email,
      buildMessage({
        from: "ana@primer.rs",
        to: user.email,
        subject: `Zadatak ${i}`,
        text: `Broj ${i}`,
        date: new Date(Date.UTC(2026, 2, i, 9)),
      }),
    );
  return user;
}

async function choose(page: Page, choice: RegExp, { pop3 = false } = {}) {
  await page.getByRole("button", { name: "Settings", exact: true }).click();
  const section = page.getByRole("region", { name: "After deleting or moving" });
  const group = section.getByRole("group", { name: /When the message you are reading is deleted/ });
  await group.getByRole("radio", { name: choice }).check();
  if (pop3) {
    // POP3's Settings stand in the reading pane: the same button leaves them.
    await page.getByRole("button", { name: "Settings", exact: true }).click();
    await expect(section).toHaveCount(0);
    return;
  }
  // The dialog's sections fill in from the server as they answer, moving its Close button.
  const dialog = page.getByRole("dialog", { name: "Settings" });
  await expect(dialog.getByRole("button", { name: "Save out of office" })).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toHaveCount(0);
}

/** A POP3 account with five tasks pulled into the browser, and the choice made in its Settings. */
async function pop3WithTasks(page: Page, stack: Stack, name: string, choice: RegExp) {
  const user = await withTasks(stack, name, 5);
  await signInPop3(page, user);
  await checkMail(page);
  await expect(grid(page).getByRole("row")).toHaveCount(5);
  await choose(page, choice, { pop3: true });
}

const grid = (page: Page) => page.getByRole("grid", { name: "Messages" });
const message = (page: Page) => page.getByRole("article", { name: "Message" });
const shown = (page: Page) => message(page).getByRole("heading", { level: 2 });

test("IMAP: with 'Open the next message', deleting, archiving or reporting the open message opens the one below it (the one above at the end), the focus in it; the choice is kept", async ({
  page,
  stack,
}) => {
  const user = await withTasks(stack, "advimap", 5);
  await signIn(page, user);
  await choose(page, /Open the next message/);
  // Kept in this browser: the same choice after a reload.
  await page.reload();
  await expect(grid(page)).toBeVisible();
  await page.getByRole("button", { name: "Settings", exact: true }).click();
  await expect(page.getByRole("radio", { name: /Open the next message/ })).toBeChecked();
  await page.keyboard.press("Escape");

  // Newest first: Zadatak 5, 4, 3, 2, 1.
  await grid(page)
    .getByRole("row", { name: /Zadatak 4/ })
    .click();
  await expect(shown(page)).toHaveText("Zadatak 4");
  await message(page).getByRole("button", { name: "Delete", exact: true }).click();
  await expect(shown(page)).toHaveText("Zadatak 3");
  // The focus is in the message that opened, so its keys act on it.
  await expect(message(page)).toBeFocused();
  await expect(grid(page).getByRole("row", { name: /Zadatak 4/ })).toHaveCount(0);
  await page.keyboard.press("#");
  await expect(shown(page)).toHaveText("Zadatak 2");
  await page.keyboard.press("!");
  await expect(shown(page)).toHaveText("Zadatak 1");
  // The last one goes on to the one above it.
  await page.keyboard.press("e");
  await expect(shown(page)).toHaveText("Zadatak 5");
  await expect(message(page)).toBeFocused();
  // The only one left: back to the list.
  await page.keyboard.press("#");
  await expect(shown(page)).toHaveCount(0);
  await expect(page.getByText("Choose a message to read it.")).toBeVisible();
  await expect(grid(page).getByRole("row")).toHaveCount(0);

  // Each went where its action sends it, on the server.
  expect(await countInFolder(stack, user.email, "Trash", "Zadatak", 3)).toBe(3);
  expect(await countInFolder(stack, user.email, "Junk", "Zadatak 2")).toBe(1);
  expect(await countInFolder(stack, user.email, "Archive", "Zadatak 1")).toBe(1);
});

test("IMAP: 'Open the previous message' in search results and in conversations, and on a phone the message stays on screen", async ({
  page,
  stack,
}) => {
  const user = await withTasks(stack, "advprev", 5);
  await signIn(page, user);
  await choose(page, /Open the previous message/);

  // Search results: the one above opens.
  const box = page.getByRole("search").getByRole("searchbox", { name: "Search mail" });
  await box.fill("Zadatak");
  await box.press("Enter");
  await expect(grid(page).getByRole("row")).toHaveCount(5);
  await grid(page)
    .getByRole("row", { name: /Zadatak 2/ })
    .click();
  await expect(shown(page)).toHaveText("Zadatak 2");
  await message(page).getByRole("button", { name: "Delete", exact: true }).click();
  await expect(shown(page)).toHaveText("Zadatak 3");
  await expect(grid(page).getByRole("row")).toHaveCount(4);
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Back to the folder" }).click();

  // Conversations: the conversation above opens in place of the one deleted.
  await page.getByRole("button", { name: "Conversations" }).click();
  await expect(grid(page).getByRole("row")).toHaveCount(4);
  await grid(page)
    .getByRole("row", { name: /Zadatak 3/ })
    .click();
  const thread = page.getByRole("region", { name: "Conversation" });
  await expect(thread.getByRole("heading", { name: "Zadatak 3" }).first()).toBeVisible();
  await thread.getByRole("button", { name: "Delete conversation" }).click();
  await expect(thread.getByRole("heading", { name: "Zadatak 4" }).first()).toBeVisible();
  await expect(grid(page).getByRole("row")).toHaveCount(3);
  // Turned off with a conversation open, then the window narrowed to a phone's: the list, not
  // an empty reading pane with no way back (it was).
  await page.getByRole("button", { name: "Conversations" }).click();
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(grid(page)).toBeVisible();

  // A phone: the message pane stays, with the one above in it; Back leads to the list.
  await grid(page)
    .getByRole("row", { name: /Zadatak 1/ })
    .click();
  await expect(shown(page)).toHaveText("Zadatak 1");
  await expect(grid(page)).toBeHidden();
  await page.keyboard.press("#");
  await expect(shown(page)).toHaveText("Zadatak 4");
  await expect(grid(page)).toBeHidden();
  await message(page).getByRole("button", { name: "Back" }).click();
  await expect(grid(page).getByRole("row")).toHaveCount(2);
  expect(await countInFolder(stack, user.email, "Trash", "Zadatak", 3)).toBe(3);
});

test("POP3: 'Open the next message' after deleting, archiving or moving the open message, and after Delete on the list", async ({
  page,
  stack,
}) => {
  await pop3WithTasks(page, stack, "advpop", /Open the next message/);

  await grid(page)
    .getByRole("row", { name: /Zadatak 5/ })
    .click();
  await expect(shown(page)).toHaveText("Zadatak 5");
  await message(page).getByRole("button", { name: "Delete", exact: true }).click();
  await expect(shown(page)).toHaveText("Zadatak 4");
  await expect(message(page)).toBeFocused();
  await message(page).getByRole("button", { name: "Archive" }).click();
  await expect(shown(page)).toHaveText("Zadatak 3");
  await message(page)
    .getByRole("button", { name: /Move to/ })
    .click();
  await page.getByRole("menuitem", { name: "Trash" }).click();
  await expect(shown(page)).toHaveText("Zadatak 2");
  // Delete pressed on the list, the open message alone: the list's own key.
  await grid(page).focus();
  await page.keyboard.press("Delete");
  await expect(shown(page)).toHaveText("Zadatak 1");
  await expect(grid(page).getByRole("row")).toHaveCount(1);
  await page.keyboard.press("#");
  await expect(shown(page)).toHaveCount(0);
  await expect(grid(page).getByRole("row")).toHaveCount(0);
  await page.getByRole("button", { name: "Trash", exact: true }).click();
  await expect(grid(page).getByRole("row")).toHaveCount(4);
});

test("POP3: 'Open the previous message' with # pressed twice at once: the second opens the one above, not the one just deleted", async ({
  page,
  stack,
}) => {
  await pop3WithTasks(page, stack, "advpopfast", /Open the previous message/);

  // Newest first: Zadatak 5, 4, 3, 2, 1.
  await grid(page)
    .getByRole("row", { name: /Zadatak 2/ })
    .click();
  await expect(shown(page)).toHaveText("Zadatak 2");
  // The second within a frame of the first: the list's rows are not read again yet and still
  // hold the message the first deleted (it was opened again).
  await message(page).evaluate(
    (el) =>
      new Promise<void>((done) => {
        const hash = () => new KeyboardEvent("keydown", { key: "#", bubbles: true, cancelable: true });
        el.dispatchEvent(hash());
        requestAnimationFrame(() => {
          (document.activeElement ?? document.body).dispatchEvent(hash());
          done();
        });
      }),
  );
  await expect(shown(page)).toHaveText("Zadatak 4");
  await expect(grid(page).getByRole("row")).toHaveCount(3);
  await page.getByRole("button", { name: /^Trash/ }).click();
  await expect(grid(page).getByRole("row")).toHaveCount(2);
  await expect(grid(page).getByRole("row", { name: /Zadatak 2/ })).toHaveCount(1);
  await expect(grid(page).getByRole("row", { name: /Zadatak 3/ })).toHaveCount(1);

  // Conversations turned off with one open, then a phone's width: the list, as in IMAP.
  await page.getByRole("button", { name: "Conversations" }).click();
  await grid(page)
    .getByRole("row", { name: /Zadatak 3/ })
    .click();
  await expect(page.getByRole("region", { name: "Conversation" })).toBeVisible();
  await page.getByRole("button", { name: "Conversations" }).click();
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(grid(page)).toBeVisible();
});

test("a message's row dragged to a folder while it is open: IMAP opens the next one (the choice), POP3 goes back to the list (the default; it stayed open)", async ({
  page,
  stack,
}) => {
  const user = await withTasks(stack, "advdrag", 3);
  await signIn(page, user);
  await choose(page, /Open the next message/);
  await grid(page)
    .getByRole("row", { name: /Zadatak 3/ })
    .click();
  await expect(shown(page)).toHaveText("Zadatak 3");
  await grid(page)
    .getByRole("row", { name: /Zadatak 3/ })
    .dragTo(page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Archive/ }));
  await expect(shown(page)).toHaveText("Zadatak 2");
  await expect(grid(page).getByRole("row")).toHaveCount(2);
  expect(await countInFolder(stack, user.email, "Archive", "Zadatak 3")).toBe(1);

  const other = await stack.newUser("advdragpop");
  await stack.mail.deliver(
    other.email,
    buildMessage({ from: "ana@primer.rs", to: other.email, subject: "Račun", text: "Iznos" }),
  );
  const pop = await page.context().browser()!.newPage();
  await signInPop3(pop, other);
  await checkMail(pop);
  await grid(pop).getByRole("row", { name: /Račun/ }).click();
  await expect(shown(pop)).toHaveText("Račun");
  await grid(pop)
    .getByRole("row", { name: /Račun/ })
    .dragTo(pop.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Trash/ }));
  await expect(grid(pop).getByRole("row")).toHaveCount(0);
  await expect(shown(pop)).toHaveCount(0);
  await pop.close();
});
