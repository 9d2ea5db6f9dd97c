import { expect, test } from "../fixtures/stack";
import { row, signIn, writeNewMessage } from "../fixtures/mail-ui";
import { checkMail, mail, messageRows, serverUids, signInPop3 } from "../fixtures/pop3";
import { countInFolder } from "../fixtures/sieve";
import { startCluster, type Cluster } from "../fixtures/cluster";
import { passwordFound, readTree } from "../fixtures/secrets";

// Two gateways behind HAProxy (deploy/haproxy.cfg) sharing a private Redis: any gateway resumes
// any session, events cross gateways through pub/sub, and a browser sticks to one gateway (by
// its session cookie) while that gateway is up.

let cluster: Cluster;
test.beforeAll(async ({ stack }) => {
  cluster = await startCluster(stack.mail);
});
test.afterAll(async () => {
  await cluster?.stop();
});

async function leaseHolders(): Promise<string[]> {
  const keys = (await cluster.redis("--scan", "--pattern", "pismo:lease:*")).split("\n").filter(Boolean);
  return Promise.all(keys.map(async (k) => (await cluster.redis("GET", k)).trim()));
}

test("a gateway is killed: its users carry on through the other one without a sign-in", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("cluster-kill");
  await stack.mail.deliver(
    user.email,
    `From: a@pismo.test\r\nTo: ${user.email}\r\nSubject: Pre ubijanja\r\n\r\nTekst pre.\r\n`,
  );
  await signIn(page, user, { at: cluster.url });
  const status = page.getByRole("status", { name: "Connection" });
  await row(page, "Pre ubijanja").click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Tekst pre.");

  // The gateway holding the session's IMAP connection is the one to kill.
  await expect.poll(leaseHolders).toHaveLength(1);
  const [holder] = await leaseHolders();
  const index = cluster.ids.indexOf(holder ?? "");
  expect(index).toBeGreaterThanOrEqual(0);
  await cluster.gateways[index]?.kill();

  await expect(status).toHaveText("Live", { timeout: 10_000 });
  await expect(page.getByLabel("Email address")).toHaveCount(0);
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Tekst pre.");
  // The other gateway took the session's lease and its IMAP connection works (IDLE too).
  await expect.poll(leaseHolders).toEqual([cluster.ids[1 - index]]);
  await stack.mail.deliver(
    user.email,
    `From: a@pismo.test\r\nTo: ${user.email}\r\nSubject: Posle ubijanja\r\n\r\nTekst posle.\r\n`,
  );
  await expect(row(page, "Posle ubijanja")).toBeVisible({ timeout: 10_000 });

  // Back for the other tests (a new process on the same port; HAProxy sees it healthy).
  await cluster.gateways[index]?.restart({ kill: true });
});

test("a folder made through gateway A appears within 1 s on the account's page on gateway B", async ({
  browser,
  stack,
}) => {
  const [a, b] = cluster.gateways;
  if (!a || !b) throw new Error("two gateways expected");
  const user = await stack.newUser("cluster-folder");
  const page = await (await browser.newContext({ baseURL: a.url, locale: "en-US" })).newPage();
  await signIn(page, user);
  const other = await (await browser.newContext({ baseURL: b.url, locale: "en-US" })).newPage();
  await signIn(other, user);

  const nav = (p: typeof page) => p.getByRole("navigation", { name: "Folders" });
  await page.getByRole("button", { name: "New folder" }).click();
  await page.getByLabel("Folder name").fill("Između gatewaya");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(nav(page).getByRole("button", { name: /^Između gatewaya/ })).toBeVisible();
  // The bound is the assertion's own wait (a wall-clock check around it would also count the
  // test runner's delays on a busy machine); the gateways' own count refresh is 20 s apart.
  await expect(nav(other).getByRole("button", { name: /^Između gatewaya/ })).toBeVisible({ timeout: 1_000 });
  await other.context().close();
  await page.context().close();
});

test("two tabs of one session on two gateways: new mail shows in both, whichever holds the connection", async ({
  browser,
  stack,
}) => {
  const [a, b] = cluster.gateways;
  if (!a || !b) throw new Error("two gateways expected");
  const user = await stack.newUser("cluster-tabs");
  const deliver = (subject: string) =>
    stack.mail.deliver(
      user.email,
      `From: a@pismo.test\r\nTo: ${user.email}\r\nSubject: ${subject}\r\n\r\nTekst.\r\n`,
    );
  await deliver("Prva u dva taba");
  const onA = await (await browser.newContext({ baseURL: a.url, locale: "en-US" })).newPage();
  await signIn(onA, user);
  await expect(row(onA, "Prva u dva taba")).toBeVisible();
  // The same browser (same cookie) in a second tab, whose socket goes to the other gateway.
  const onB = await onA.context().newPage();
  await onB.goto(`${b.url}/?lang=en`);
  await expect(row(onB, "Prva u dva taba")).toBeVisible();
  await expect(onB.getByRole("status", { name: "Connection" })).toHaveText("Live");

  // Mail arrives (from a phone's point of view, anywhere): both tabs show it, live.
  await deliver("Druga u dva taba");
  await expect(row(onA, "Druga u dva taba")).toBeVisible({ timeout: 5_000 });
  await expect(row(onB, "Druga u dva taba")).toBeVisible({ timeout: 5_000 });
  // The first tab reads a message (its gateway takes the connection back): both still hear.
  await row(onA, "Druga u dva taba").click();
  await expect(onA.getByRole("article", { name: "Message" })).toContainText("Tekst.");
  await deliver("Treća u dva taba");
  await expect(row(onA, "Treća u dva taba")).toBeVisible({ timeout: 5_000 });
  await expect(row(onB, "Treća u dva taba")).toBeVisible({ timeout: 5_000 });
  await onA.context().close();
});

test("two tabs of one session on two gateways: the holder killed, the tab on the other hears new mail within seconds", async ({
  browser,
  stack,
}) => {
  const user = await stack.newUser("cluster-holder-killed");
  const imapConnections = async (email: string) =>
    (await stack.mail.doveadm(["who", email]))
      .split("\n")
      .filter((l) => l.startsWith(email))
      .map((l) => Number(l.split(/\s+/)[1]))[0] ?? 0;
  const deliver = (subject: string) =>
    stack.mail.deliver(
      user.email,
      `From: a@pismo.test\r\nTo: ${user.email}\r\nSubject: ${subject}\r\n\r\nTekst.\r\n`,
    );
  await deliver("Pre pada držaoca");
  const leaseKeys = async () =>
    new Set((await cluster.redis("--scan", "--pattern", "pismo:lease:*")).split("\n").filter(Boolean));
  const before = await leaseKeys();
  const context = await browser.newContext({ locale: "en-US" });
  const tabs = [await context.newPage(), await context.newPage()];
  await signIn(tabs[0]!, user, { at: cluster.gateways[0]!.url });
  await tabs[1]!.goto(`${cluster.gateways[1]!.url}/?lang=en`);
  for (const tab of tabs) {
    await expect(row(tab, "Pre pada držaoca")).toBeVisible();
    await expect(tab.getByRole("status", { name: "Connection" })).toHaveText("Live");
  }
  // This session's lease: the one key that was not there before.
  await expect.poll(async () => [...(await leaseKeys())].filter((k) => !before.has(k))).toHaveLength(1);
  const [key] = [...(await leaseKeys())].filter((k) => !before.has(k));
  const holder = cluster.ids.indexOf((await cluster.redis("GET", key!)).trim());
  expect(holder).toBeGreaterThanOrEqual(0);
  const survivor = tabs[1 - holder]!;

  // One IMAP connection: the holder's (the other gateway's, handed over, closes in a moment).
  // Killed outright, the holder's lease stays until it lapses (30 s); the tab on the other
  // gateway only listens, so no call of its own takes the lease meanwhile.
  await expect.poll(() => imapConnections(user.email), { timeout: 10_000 }).toBe(1);
  await cluster.gateways[holder]!.kill();
  await deliver("Posle pada držaoca");
  // Without the running mark, 30–40 s (the lease's lapse, then the next look).
  await expect(row(survivor, "Posle pada držaoca")).toBeVisible({ timeout: 8_000 });
  await expect(survivor.getByRole("status", { name: "Connection" })).toHaveText("Live");

  await context.close();
  await cluster.gateways[holder]!.restart({ kill: true });
});

test("sign-out on one device ends the session on both gateways; Redis holds no password", async ({
  browser,
  stack,
}) => {
  const [a, b] = cluster.gateways;
  if (!a || !b) throw new Error("two gateways expected");
  const user = await stack.newUser("cluster-signout");
  const records = async () =>
    new Set((await cluster.redis("--scan", "--pattern", "pismo:s:*")).split("\n").filter(Boolean));
  const before = await records();
  const page = await (await browser.newContext({ baseURL: a.url, locale: "en-US" })).newPage();
  await signIn(page, user);
  const mine = [...(await records())].filter((k) => !before.has(k));
  expect(mine).toHaveLength(1);
  // The same browser (same cookie: cookies do not depend on the port) on the other gateway.
  const onB = await page.context().newPage();
  await onB.goto(`${b.url}/?lang=en`);
  await expect(onB.getByRole("grid", { name: "Messages" })).toBeVisible();
  await expect(onB.getByRole("status", { name: "Connection" })).toHaveText("Live");

  // What the store holds at rest, and every gateway's data dir: no password in any encoding.
  const atRest = Buffer.concat([
    await cluster.dump(),
    ...(await Promise.all(cluster.gateways.map((g) => readTree(g.dataDir)))),
  ]);
  expect(atRest.length).toBeGreaterThan(0);
  expect(passwordFound(atRest, user.password)).toEqual([]);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByLabel("Email address")).toBeVisible();
  await expect(onB.getByLabel("Email address")).toBeVisible({ timeout: 5_000 });
  expect((await records()).has(mine[0] ?? "")).toBe(false);
  // The cookie no longer opens anything on either gateway.
  await onB.reload();
  await expect(onB.getByLabel("Email address")).toBeVisible();
  await page.context().close();
});

test("through the load balancer, a browser's requests reach the gateway holding what it has in flight: a file attached and sent, a POP3 pull", async ({
  browser,
  stack,
}) => {
  const user = await stack.newUser("cluster-sticky");
  const to = await stack.newUser("cluster-sticky-to");
  // The file is uploaded over HTTP and the message sent over the socket: the file must be
  // where the send is (with least connections alone, the upload went to the other gateway:
  // "The attachment upload has expired").
  const page = await (await browser.newContext({ baseURL: cluster.url, locale: "en-US" })).newPage();
  await signIn(page, user);
  const compose = await writeNewMessage(page, {
    to: to.email,
    subject: "Prilog kroz balanser",
    text: "Evo.",
  });
  await compose.locator('input[type="file"]').setInputFiles({
    name: "plan.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("plan kroz balanser"),
  });
  await expect(compose.getByText("plan.txt")).toBeVisible();
  await compose.getByRole("button", { name: "Send" }).click();
  await expect(compose).toHaveCount(0);
  expect(await countInFolder(stack, to.email, "INBOX", "Prilog kroz balanser")).toBe(1);
  expect(await stack.mail.doveadm(["fetch", "-u", to.email, "body", "mailbox", "INBOX"])).toContain(
    "plan.txt",
  );
  await page.context().close();

  // A POP3 pull's bodies come on a socket of their own, which must reach the pull's gateway.
  const pop = await stack.newUser("cluster-sticky-pop");
  for (const n of [1, 2, 3]) await stack.mail.deliver(pop.email, mail(n));
  const popPage = await (await browser.newContext({ baseURL: cluster.url, locale: "en-US" })).newPage();
  await signInPop3(popPage, pop);
  await checkMail(popPage);
  await expect(messageRows(popPage)).toHaveCount(3);
  expect(await serverUids(stack, pop)).toEqual([]);
  await popPage.context().close();
});
