import { findFreePorts, gatewayEnv, startCountingProxy } from "@pismo/mail-harness";
import { expect, test } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";
import { startGatewayProcess } from "../fixtures/gateway-process";
import { wireTrpc } from "../fixtures/trpc-wire";

test("after a gateway restart (SIGTERM, a rolling restart) the page reconnects and carries on signed in", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("restart");
  await signIn(page, user);
  const status = page.getByRole("status", { name: "Connection" });
  await expect(status).toHaveText("Live");
  const nav = page.getByRole("navigation", { name: "Folders" });
  await nav.getByRole("button", { name: /^Sent/ }).click();

  await stack.gateway.restart();

  await expect(status).toHaveText("Live", { timeout: 10_000 });
  await expect(page.getByLabel("Email address")).toHaveCount(0);
  await expect(page.getByRole("grid", { name: "Messages" })).toBeVisible();
  // Still in the folder the user had open, and the session works (a folder can be made).
  await expect(nav.getByRole("button", { name: /^Sent/ })).toHaveAttribute("aria-current", /.+/);
  await stack.mail.deliver(
    user.email,
    "From: a@pismo.test\r\nTo: " + user.email + "\r\nSubject: Posle restarta\r\n\r\nTekst.\r\n",
  );
  await nav.getByRole("button", { name: /^Inbox/ }).click();
  await expect(row(page, "Posle restarta")).toBeVisible({ timeout: 10_000 });
});

test("without a session store (PISMO_SESSION_STORE=memory) a restart asks to sign in again, saying why", async ({
  page,
  stack,
}) => {
  const gateway = await startGatewayProcess({ ...gatewayEnv(stack.mail), PISMO_SESSION_STORE: "memory" });
  try {
    const user = await stack.newUser("memrestart");
    await signIn(page, user, { at: gateway.url });
    const status = page.getByRole("status", { name: "Connection" });

    await gateway.restart();

    await expect(
      page.getByRole("alert").filter({ hasText: "Your session has ended. Please sign in again." }),
    ).toBeVisible({ timeout: 20_000 });
    await expect(status).toHaveText("Live");
    await expect(page.getByLabel("Email address")).toBeVisible();
    // Signing in again works without reloading the page.
    await page.getByLabel("Email address").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("grid", { name: "Messages" })).toBeVisible();
  } finally {
    await gateway.stop();
  }
});

test("a page loaded from a gateway that has just started keeps one socket to it after the sign-in", async ({
  page,
  stack,
}) => {
  // Each render of the connection root that React discards opens a socket, which the root it
  // keeps closes (src/trpc/connection.tsx). Until the app's code came with the page's own scripts
  // (bbc7dbd), a load from a gateway that had just started rendered the root three times, and
  // this test failed without that closing (3 sockets); now the root renders once here (it passes
  // without it, checked), and the closing is for development's StrictMode. What stays checked:
  // one socket per page after a cold load and the sign-in's swap.
  const gateway = await startGatewayProcess(gatewayEnv(stack.mail));
  const open = new Set<object>();
  page.on("websocket", (ws) => {
    open.add(ws);
    ws.on("close", () => open.delete(ws));
  });
  try {
    const user = await stack.newUser("onesocket");
    await signIn(page, user, { at: gateway.url });
    // The sign-in's swap (the first socket closed, one with the session opened) is done.
    await expect.poll(() => open.size).toBe(1);
    await page.waitForTimeout(500);
    expect(open.size).toBe(1);
  } finally {
    await gateway.stop();
  }
});

test("a connection lost while the user acts: the page connects once, and new mail is still pushed", async ({
  page,
  stack,
}) => {
  // tRPC's reconnect loop (11.22.1) closed a socket that a request had opened during its retry
  // delay and opened another, losing that request's answer; after one cut the page connected
  // three to five times (src/trpc/reconnect.ts). The request here is a folder switch.
  const user = await stack.newUser("onecut");
  const wire = await wireTrpc(page);
  const opened: number[] = [];
  page.on("websocket", () => opened.push(Date.now()));
  await signIn(page, user);
  const status = page.getByRole("status", { name: "Connection" });
  await expect(status).toHaveText("Live");
  const nav = page.getByRole("navigation", { name: "Folders" });

  const cutAt = Date.now();
  wire.cut();
  await nav.getByRole("button", { name: /^Sent/ }).click();
  await expect(nav.getByRole("button", { name: /^Sent/ })).toHaveAttribute("aria-current", /.+/);
  await expect(status).toHaveText("Live");
  await page.waitForTimeout(1_500);
  expect(opened.filter((t) => t > cutAt)).toHaveLength(1);

  // The push subscription is on the new socket: new mail shows without a reload.
  await nav.getByRole("button", { name: /^Inbox/ }).click();
  await stack.mail.deliver(
    user.email,
    "From: a@pismo.test\r\nTo: " + user.email + "\r\nSubject: Posle prekida\r\n\r\nTekst.\r\n",
  );
  await expect(row(page, "Posle prekida")).toBeVisible({ timeout: 10_000 });
  await expect(nav.getByRole("button", { name: "Inbox 1 unread" })).toBeVisible();
});

test("while the gateway's IMAP connection is down and the page's socket stays up, the status says Reconnecting…, then Live again", async ({
  page,
  stack,
}) => {
  // The gateway reaches Dovecot through a proxy: Dovecot drops the session (doveadm kick) while
  // the proxy leads nowhere, so each reconnect of the gateway fails until it leads to Dovecot
  // again. The page's WebSocket to the gateway is never touched.
  const user = await stack.newUser("imapdown");
  const proxy = await startCountingProxy(stack.mail.imapPort);
  const [nowhere] = await findFreePorts(1);
  const gateway = await startGatewayProcess({
    ...gatewayEnv(stack.mail),
    PISMO_IMAP_PORT: String(proxy.port),
  });
  // The page's sockets to the gateway, as they open and close.
  const sockets: string[] = [];
  const open = new Set<object>();
  page.on("websocket", (ws) => {
    open.add(ws);
    sockets.push(`opened ${ws.url()}`);
    ws.on("close", () => {
      open.delete(ws);
      sockets.push(`closed ${ws.url()}`);
    });
  });
  try {
    await signIn(page, user, { at: gateway.url });
    const status = page.getByRole("status", { name: "Connection" });
    await expect(status).toHaveText("Live");
    // The sign-in's swap is done: one socket, which stays open from here on.
    await expect.poll(() => open.size).toBe(1);
    const signedIn = sockets.length;
    // Every text the status shows from here on.
    await status.evaluate((el) => {
      const texts = [el.textContent ?? ""];
      new MutationObserver(() => {
        const text = el.textContent ?? "";
        if (texts[texts.length - 1] !== text) texts.push(text);
      }).observe(el, { subtree: true, childList: true, characterData: true });
      (window as unknown as { statusTexts: string[] }).statusTexts = texts;
    });
    const shown = () => page.evaluate(() => (window as unknown as { statusTexts: string[] }).statusTexts);

    proxy.targetPort = nowhere!;
    const before = proxy.connections;
    await stack.mail.doveadm(["kick", user.email]);
    await expect(status).toHaveText("Reconnecting…");
    // It stays so through the gateway's failed reconnects (each one a connection to the proxy).
    await expect.poll(() => proxy.connections, { timeout: 20_000 }).toBeGreaterThanOrEqual(before + 2);
    expect(await shown()).toEqual(["Live", "Reconnecting…"]);
    expect(sockets.slice(signedIn)).toEqual([]);

    proxy.targetPort = stack.mail.imapPort;
    await expect(status).toHaveText("Live", { timeout: 30_000 });
    expect(await shown()).toEqual(["Live", "Reconnecting…", "Live"]);
    expect(sockets.slice(signedIn)).toEqual([]);
    // The IMAP connection is really back (IDLE included): new mail is pushed.
    await stack.mail.deliver(
      user.email,
      "From: a@pismo.test\r\nTo: " + user.email + "\r\nSubject: Posle prekida servera\r\n\r\nTekst.\r\n",
    );
    await expect(row(page, "Posle prekida servera")).toBeVisible({ timeout: 10_000 });
  } finally {
    await gateway.stop();
    await proxy.close();
  }
});

test("sign-in failures say what went wrong", async ({ page, stack }) => {
  const user = await stack.newUser("wrongpw");
  await page.goto("/?lang=en");
  await page.getByLabel("Email address").fill(user.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email address or password." })).toBeVisible();

  await page.getByText("Server settings").click();
  await page.getByLabel("Server", { exact: true }).fill("mail.elsewhere.example");
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "This webmail is not allowed to connect to that server." }),
  ).toBeVisible();
});
