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

test("two tabs of one browser press Check mail at once: one pulls, the other says another tab is checking; each message is stored once", async ({
  page,
  context,
  stack,
}) => {
  test.setTimeout(120_000);
  // One pull per account in this browser (a Web Lock named after the account's database, 7c708e4):
  // the tab that does not get it asks the gateway for nothing, not even a pull it would refuse.
  const count = 40;
  const user = await stack.newUser("pop-tabs");
  // 4 MB: the first tab's pull still holds the lock when the second tab's press lands.
  for (let i = 1; i <= count; i += 1) await stack.mail.deliver(user.email, mail(i, { padKb: 100 }));
  const onServer = await serverUids(stack, user);
  expect(onServer).toHaveLength(count);

  const wires = [await wireTrpc(page)];
  await signInPop3(page, user);
  const other = await context.newPage();
  wires.push(await wireTrpc(other));
  await other.goto("/?lang=en");
  const tabs = [page, other];
  for (const tab of tabs) await expect(tab.getByRole("button", { name: "Check mail" })).toBeEnabled();
  // The pull's body channels each tab opens (a second WebSocket beside tRPC's).
  const bodyChannels = [0, 0];
  tabs.forEach((tab, i) =>
    tab.on("websocket", (ws) => {
      if (ws.url().includes("/pop3-bodies")) bodyChannels[i] = (bodyChannels[i] ?? 0) + 1;
    }),
  );
  for (const wire of wires) wire.recording = true;

  await Promise.all(tabs.map((tab) => tab.getByRole("button", { name: "Check mail" }).click()));
  const busy = (tab: typeof page) =>
    tab.getByRole("alert").filter({ hasText: "Another tab is already checking this account's mail." });
  await expect
    .poll(async () => (await busy(page).count()) + (await busy(other).count()), { timeout: 30_000 })
    .toBe(1);
  const waiting = (await busy(page).count()) === 1 ? 0 : 1;
  const pulling = 1 - waiting;
  const puller = tabs[pulling]!;
  const waiter = tabs[waiting]!;
  await expect(puller.getByText(`New messages downloaded: ${count}.`).first()).toBeVisible({
    timeout: 60_000,
  });
  await expect(busy(puller)).toHaveCount(0);
  await expect(busy(waiter)).toBeVisible();
  expect(wires[pulling]!.asked.filter((path) => path === "pop3.pull")).toHaveLength(1);
  expect(wires[waiting]!.asked).not.toContain("pop3.pull");
  expect(bodyChannels[waiting]).toBe(0);

  // Stored once, seen in both tabs (they share the store); the server emptied (no copy left,
  // the default).
  for (const tab of tabs)
    await expect(tab.getByRole("grid", { name: "Messages" })).toHaveAttribute("aria-rowcount", String(count));
  const ids = await allRowIds(puller);
  expect(ids).toHaveLength(count);
  expect([...ids].sort()).toEqual([...onServer].sort());
  expect(await serverUids(stack, user)).toEqual([]);
  // The waiting tab's own check afterwards finds nothing new and stores nothing twice.
  await checkMail(waiter);
  await expect(waiter.getByText("No new mail.")).toBeVisible();
  await expect(waiter.getByRole("grid", { name: "Messages" })).toHaveAttribute(
    "aria-rowcount",
    String(count),
  );
  expect(await allRowIds(waiter)).toHaveLength(count);
  await other.close();
});
