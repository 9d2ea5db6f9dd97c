import type { Page } from "@playwright/test";
import { buildMessage } from "@pismo/mail-harness/seed";
import { expect, test } from "../fixtures/stack";
import { signIn } from "../fixtures/mail-ui";
import { wireTrpc } from "../fixtures/trpc-wire";

const box = (page: Page) => page.getByRole("search").getByRole("searchbox", { name: "Search mail" });
const results = (page: Page) => page.getByRole("status", { name: "Search results" });
const grid = (page: Page) => page.getByRole("grid", { name: "Messages" });

test("IMAP search paints the newest matching rows the page already holds before the server answers; the answer replaces them", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("firstrows");
  const deliver = (from: { name: string; address: string }, subject: string) =>
    stack.mail.deliver(
      user.email,
      buildMessage({ from, to: user.email, subject, text: `Telo poruke: ${subject}.\r\n` }),
    );
  const jelena = { name: "Jelena Petrović", address: "jelena@primer.rs" };
  const marko = { name: "Marko Marković", address: "marko@primer.rs" };
  // Oldest first: UIDs follow delivery.
  await deliver(jelena, "Zapisnik sa sastanka");
  await deliver(marko, "Ponuda za januar");
  await deliver(jelena, "Putni nalog");
  await deliver(marko, "Godišnji odmor");
  await deliver(
    { name: '<img src=x onerror="window.__pwned=1">Jelena', address: "zlo@primer.rs" },
    "<b>Račun</b>",
  );
  await deliver(jelena, "Izveštaj za novembar");

  // The server's search answers can be held back (a slow server search), its mail events
  // dropped (a push that never arrived).
  const wire = await wireTrpc(page);
  await signIn(page, user);
  await expect(grid(page).getByRole("row")).toHaveCount(6);
  const idOf = async (subject: string) =>
    (await grid(page)
      .getByRole("row", { name: new RegExp(subject) })
      .getAttribute("data-message-id")) ?? "";
  const nalog = await idOf("Putni nalog");

  // Another client deletes "Putni nalog" and the push of it never reaches the page: the list
  // the page holds still shows it.
  wire.drop("imap.events");
  await stack.mail.doveadm(["expunge", "-u", user.email, "mailbox", "INBOX", "subject", "Putni nalog"]);
  await expect.poll(() => wire.dropped.some((m) => m.includes("expunge"))).toBe(true);
  await expect(grid(page).getByRole("row")).toHaveCount(6);

  // The server is slow to answer: the rows the page holds answer first.
  wire.hold("imap.search");
  await box(page).fill("from:jelena");
  await box(page).press("Enter");
  await expect(results(page)).toContainText("Searching “Inbox”…");
  await expect(grid(page).getByRole("row")).toHaveCount(4);
  const rows = grid(page).getByRole("row");
  await expect(rows.nth(0)).toContainText("Izveštaj za novembar");
  await expect(rows.nth(1)).toContainText("<b>Račun</b>");
  await expect(rows.nth(2)).toContainText("Putni nalog");
  await expect(rows.nth(3)).toContainText("Zapisnik sa sastanka");
  // Rows of a search: "folder/uid", so they open as the server's results do.
  await expect(rows.nth(2)).toHaveAttribute("data-message-id", `INBOX/${nalog.split("/").at(-1)}`);
  // Hostile names are text, as in the list: no element, no script.
  await expect(rows.nth(1)).toContainText('<img src=x onerror="window.__pwned=1">Jelena');
  await expect(grid(page).locator("img, b")).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  // Still searching: no count, never "no messages".
  await expect(grid(page)).not.toContainText("No messages");
  expect(wire.held.length).toBeGreaterThan(0);

  // The server's answer comes: the deleted message is not in it and leaves the results.
  wire.pass("imap.events");
  wire.release();
  await expect(results(page)).toHaveText("3 found in “Inbox”");
  await expect(grid(page).getByRole("row")).toHaveCount(3);
  await expect(grid(page).getByRole("row", { name: /Putni nalog/ })).toHaveCount(0);
  await expect(grid(page).getByRole("row").first()).toContainText("Izveštaj za novembar");

  // A search the rows cannot answer (a word may be in a body) waits for the server.
  wire.hold("imap.search");
  await box(page).fill("sastanka");
  await box(page).press("Enter");
  await expect(results(page)).toContainText("Searching “Inbox”…");
  await expect(grid(page).getByRole("row")).toHaveCount(0);
  await expect(grid(page)).not.toContainText("No messages");
  wire.release();
  await expect(results(page)).toHaveText("1 found in “Inbox”");
  await expect(grid(page).getByRole("row")).toHaveCount(1);
});
