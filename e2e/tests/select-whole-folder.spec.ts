import type { Page } from "@playwright/test";
import { expect, test, type Stack } from "../fixtures/stack";
import { signIn } from "../fixtures/mail-ui";

// "Select all" in a long IMAP folder: the page holds only the rows near the view, so the
// checkbox selects those, and "Select all N in …" then selects every message of the folder.
// What the actions did is checked on the server itself (doveadm). A move of them all takes the
// server seconds (Dovecot with fts-xapian: about a millisecond a message): the notice says it
// is under way, and a message opened in another folder meanwhile is shown before the move ends.

const COUNT = 3000;
// The server's share of each whole-folder action: moving 3,000 into the Inbox makes Dovecot
// index each one (fts_autoindex); on a machine whose two cores are both busy that took more
// than 15 s (one CI-like run), and on a machine about three times slower under the whole suite
// an Empty Trash of them had 400 left after 45 s. The waits allow for it; a passing run does
// not wait longer.
const SERVER_WORK = { timeout: 120_000 };

const messagesIn = async (stack: Stack, email: string, folder: string) =>
  (await stack.mail.counts(email, folder)).messages;
const unseenIn = async (stack: Stack, email: string, folder: string) =>
  (await stack.mail.counts(email, folder)).unseen;

async function selectWholeFolder(page: Page): Promise<void> {
  const selectAll = page.getByRole("checkbox", { name: "Select all" });
  await selectAll.check();
  // Only the loaded rows first: fewer than the folder holds.
  const selected = page.getByText(/^\d+ selected$/);
  const loaded = Number((await selected.textContent())?.split(" ")[0]);
  expect(loaded).toBeGreaterThan(0);
  expect(loaded).toBeLessThan(COUNT);
  await page.getByRole("button", { name: `Select all ${COUNT} in Inbox` }).click();
  await expect(page.getByText(`${COUNT} selected`)).toBeVisible();
  await expect(page.getByRole("button", { name: /^Select all \d+ in Inbox$/ })).toHaveCount(0);
}

test("IMAP: Select all reaches the whole folder beyond the rows loaded; Mark as read, a move and its Undo, Delete and Empty Trash act on every message, on the server too", async ({
  page,
  stack,
}) => {
  test.setTimeout(480_000);
  const user = await stack.newUser("wholefolder");
  await stack.mail.seed(user.email, {
    count: 0,
    folders: { INBOX: COUNT },
    user: user.email,
    seed: 11,
  });
  await stack.mail.deliver(
    user.email,
    "From: Vera <vera@primer.rs>\r\nSubject: Plan puta\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPolazimo u sedam.\r\n",
    { folder: "Projekti" },
  );
  await stack.mail.doveadm(["flags", "remove", "-u", user.email, "\\Seen", "mailbox", "INBOX", "all"]);
  expect(await unseenIn(stack, user.email, "INBOX")).toBe(COUNT);
  await signIn(page, user);
  const grid = page.getByRole("grid", { name: "Messages" });
  await expect(grid.locator('[role="row"][aria-rowindex="1"]')).toBeVisible();

  await selectWholeFolder(page);
  await page.getByRole("button", { name: "Mark as read", exact: true }).click();
  await expect.poll(() => unseenIn(stack, user.email, "INBOX"), SERVER_WORK).toBe(0);

  // The selection stays after marking; unchecking clears it, and the offer goes with it.
  await page.getByRole("checkbox", { name: "Select all" }).uncheck();
  await expect(page.getByText(/\d+ selected/)).toHaveCount(0);

  await selectWholeFolder(page);
  await page.getByRole("button", { name: "Move to…" }).first().click();
  await page.getByRole("menuitem", { name: "Archive" }).click();
  const notice = page.getByRole("status", { name: "Notice" });
  await expect(notice).toContainText(`Moving ${COUNT}…`);
  // While the server moves them, another folder's message opens.
  const nav = page.getByRole("navigation", { name: "Folders" });
  await nav.getByRole("button", { name: /^Projekti/ }).click();
  await grid.getByRole("row", { name: /Plan puta/ }).click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Polazimo u sedam.");
  expect(await messagesIn(stack, user.email, "INBOX")).toBeGreaterThan(0);
  await nav.getByRole("button", { name: /^Inbox/ }).click();
  // A MOVE is a copy and then an expunge: another process may see the first step alone.
  await expect.poll(() => messagesIn(stack, user.email, "Archive"), SERVER_WORK).toBe(COUNT);
  await expect.poll(() => messagesIn(stack, user.email, "INBOX"), SERVER_WORK).toBe(0);
  await expect(grid.getByRole("row")).toHaveCount(0);

  await expect(notice).toContainText(`Moved ${COUNT} to Archive`);
  await notice.getByRole("button", { name: "Undo" }).click();
  await expect.poll(() => messagesIn(stack, user.email, "INBOX"), SERVER_WORK).toBe(COUNT);
  await expect.poll(() => messagesIn(stack, user.email, "Archive"), SERVER_WORK).toBe(0);
  await expect(grid.locator('[role="row"][aria-rowindex="1"]')).toBeVisible();

  // Delete them all (to Trash), then Empty Trash: gone for good, on the server too.
  await selectWholeFolder(page);
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(notice).toContainText(`Deleting ${COUNT}…`);
  await expect.poll(() => messagesIn(stack, user.email, "Trash"), SERVER_WORK).toBe(COUNT);
  await expect(notice).toContainText(`Deleted ${COUNT}`);
  await nav.getByRole("button", { name: /^Trash/ }).click();
  await expect(grid.locator('[role="row"][aria-rowindex="1"]')).toBeVisible();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Empty Trash" }).click();
  await expect(grid.getByRole("row")).toHaveCount(0);
  await expect(notice).toContainText(`Deleting ${COUNT}…`);
  await expect.poll(() => messagesIn(stack, user.email, "Trash"), SERVER_WORK).toBe(0);
  await expect(notice).toHaveCount(0);
});

test("IMAP: while Select all N is still being made, the selection's actions and keys wait for it", async ({
  page,
  stack,
}) => {
  const few = 150;
  const user = await stack.newUser("selectwait");
  await stack.mail.seed(user.email, { count: 0, folders: { INBOX: few }, user: user.email, seed: 4 });
  // The folder's UIDs come back a second and a half late: the page's request is held on its way.
  await page.routeWebSocket(/\/trpc$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      if (String(message).includes('"imap.uids"')) setTimeout(() => server.send(message), 1500);
      else server.send(message);
    });
  });
  await signIn(page, user);
  await page.getByRole("checkbox", { name: "Select all" }).check();
  await page.getByRole("button", { name: `Select all ${few} in Inbox` }).click();
  await expect(page.getByRole("button", { name: "Selecting all in Inbox…" })).toBeVisible();
  // The selection's Archive, not the folder of that name in the folder list.
  const archive = page.locator("button:not(nav button)", { hasText: /^Archive$/ });
  await expect(archive).toBeDisabled();
  await page.keyboard.press("e");
  await expect(page.getByText(`${few} selected`)).toBeVisible();
  // The key acted on nothing (it would have archived the rows loaded so far).
  expect(await messagesIn(stack, user.email, "Archive")).toBe(0);
  await archive.click();
  // Dovecot's MOVE copies, then expunges: the Inbox is polled too.
  await expect.poll(() => messagesIn(stack, user.email, "Archive"), SERVER_WORK).toBe(few);
  await expect.poll(() => messagesIn(stack, user.email, "INBOX"), SERVER_WORK).toBe(0);
});
