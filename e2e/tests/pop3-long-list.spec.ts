import { expect, test } from "../fixtures/stack";
import { checkMail, messageRows, signInPop3 } from "../fixtures/pop3";

// A pulled folder of thousands of messages is read from IndexedDB a window at a time: only
// the rows near the view are in the page, the grid still says how many there are, and
// scrolling (or End and Home) reaches every one of them.
test("a POP3 folder of 2,500 pulled messages keeps only a window of rows in the page", async ({
  page,
  stack,
}) => {
  test.setTimeout(180_000);
  const COUNT = 2_500;
  const user = await stack.newUser("pop3long", { quotaBytes: 1024 ** 3 });
  await stack.mail.seed(user.email, { count: 0, folders: { INBOX: COUNT }, seed: 7 });

  await signInPop3(page, user);
  // Thousands of messages: the pull takes longer than the helper's usual half minute on a slow machine.
  await checkMail(page, { timeout: 120_000 });
  await expect(page.getByText(`New messages downloaded: ${COUNT}.`).first()).toBeVisible();
  const grid = page.getByRole("grid", { name: "Messages" });
  await expect(grid).toHaveAttribute("aria-rowcount", String(COUNT));
  await expect(grid.locator('[role="row"][aria-rowindex="1"]')).toBeVisible();
  const inPage = await messageRows(page).count();
  expect(inPage).toBeGreaterThan(5);
  expect(inPage).toBeLessThan(100);

  // Scrolled to the end: the last message is there, and the window moved with the view.
  await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  const lastRow = grid.locator(`[role="row"][aria-rowindex="${COUNT}"]`);
  await expect(lastRow).toBeVisible();
  await expect(grid.locator('[role="row"][aria-rowindex="1"]')).toHaveCount(0);
  expect(await messageRows(page).count()).toBeLessThan(100);
  const lastId = await lastRow.getAttribute("data-message-id");

  // The keys reach across windows. From the top, End opens the oldest (read from the store,
  // not from the rows in the page) and brings it into view.
  const toTop = () => grid.evaluate((el) => el.scrollTo({ top: 0 }));
  await toTop();
  await expect(grid.locator('[role="row"][aria-rowindex="1"]')).toBeVisible();
  await grid.focus();
  await page.keyboard.press("End");
  await expect(lastRow).toHaveAttribute("aria-selected", "true");
  await expect(lastRow).toBeInViewport();
  await expect(lastRow).toHaveAttribute("data-message-id", lastId ?? "");
  // Scrolled away from the open message, k still moves from it: to the one before the oldest.
  await toTop();
  await expect(lastRow).toHaveCount(0);
  await page.keyboard.press("k");
  const beforeLast = grid.locator(`[role="row"][aria-rowindex="${COUNT - 1}"]`);
  await expect(beforeLast).toHaveAttribute("aria-selected", "true");
  await expect(beforeLast).toBeInViewport();
  // Home goes back to the newest.
  await page.keyboard.press("Home");
  const firstRow = grid.locator('[role="row"][aria-rowindex="1"]');
  await expect(firstRow).toHaveAttribute("aria-selected", "true");
  await expect(firstRow).toBeInViewport();
  expect(await messageRows(page).count()).toBeLessThan(100);
});
