import { expect, test } from "../fixtures/stack";
import { allRowIds, checkMail, mail, serverUids, signInPop3 } from "../fixtures/pop3";
import { wireTrpc } from "../fixtures/trpc-wire";

// Checking mail downloads everything at once, which hurts on a slow line. Pismo
// says what waits, shows progress in messages and bytes, and can be cancelled without loss.
test("a 200-message pull shows its progress and can be cancelled without losing anything", async ({
  page,
  stack,
}) => {
  test.setTimeout(180_000);
  const user = await stack.newUser("pop5");
  // 50 MB: large enough that the pull is still running when Cancel is pressed (200 messages
  // of 40 KB are now all stored within about half a second of the bar's first figures).
  for (let i = 1; i <= 200; i += 1) await stack.mail.deliver(user.email, mail(i, { padKb: 250 }));
  const onServer = await serverUids(stack, user);
  expect(onServer).toHaveLength(200);

  await signInPop3(page, user);
  await page.getByRole("button", { name: "Check mail" }).click();
  const bar = page.getByRole("progressbar", { name: "Downloading mail" });
  await expect(bar).toHaveAttribute("aria-valuemax", "200");
  await expect(page.getByText(/^Waiting on the server: 200 new \(\d+(\.\d)? MB\)$/)).toBeVisible();
  await expect(page.getByText(/^\d+(\.\d)? (KB|MB|B) of \d+(\.\d)? MB$/)).toBeVisible();
  await expect
    .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 30_000, intervals: [50] })
    .toBeGreaterThanOrEqual(10);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByText(/Download cancelled/)).toBeVisible();
  // The list redraws at most once a second while mail streams in: let its last redraw land.
  await page.waitForTimeout(1_200);

  // Nothing was removed from the server; what arrived is here, once.
  expect(await serverUids(stack, user)).toEqual(onServer);
  const firstIds = await allRowIds(page);
  expect(firstIds.length).toBeGreaterThanOrEqual(10);
  expect(firstIds.length).toBeLessThan(200);
  expect(new Set(firstIds).size).toBe(firstIds.length);

  // The next check fetches exactly the rest (most of 50 MB), then the server is empty.
  await checkMail(page, { timeout: 120_000 });
  await expect(page.getByText(`New messages downloaded: ${200 - firstIds.length}.`).first()).toBeVisible();
  await expect(page.getByRole("grid", { name: "Messages" })).toHaveAttribute("aria-rowcount", "200");
  const allIds = await allRowIds(page);
  expect([...allIds].sort()).toEqual([...onServer].sort());
  expect(await serverUids(stack, user)).toEqual([]);
});

test("a connection cut during a pull ends it saying so, nothing lost; the next check brings the rest", async ({
  page,
  stack,
}) => {
  test.setTimeout(180_000);
  const user = await stack.newUser("pop-cut");
  for (let i = 1; i <= 200; i += 1) await stack.mail.deliver(user.email, mail(i, { padKb: 250 }));
  const onServer = await serverUids(stack, user);
  const wire = await wireTrpc(page);
  await signInPop3(page, user);
  await page.getByRole("button", { name: "Check mail" }).click();
  const bar = page.getByRole("progressbar", { name: "Downloading mail" });
  await expect
    .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 30_000, intervals: [50] })
    .toBeGreaterThanOrEqual(10);
  wire.cut();
  // Said as a dropped connection, not as the bad input tRPC's resent pull met (same channel).
  await expect(
    page.getByRole("alert").filter({ hasText: /The connection dropped during the check/ }),
  ).toBeVisible();
  await expect(page.getByText(/entered values are not valid/)).toHaveCount(0);
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live");

  await checkMail(page, { timeout: 120_000 });
  await expect(page.getByRole("grid", { name: "Messages" })).toHaveAttribute("aria-rowcount", "200");
  const allIds = await allRowIds(page);
  expect([...allIds].sort()).toEqual([...onServer].sort());
  expect(await serverUids(stack, user)).toEqual([]);
});
