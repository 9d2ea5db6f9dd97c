import { expect, test } from "../fixtures/stack";

test("the built UI loads from the gateway, goes live, and reaches the real Dovecot", async ({
  page,
  stack,
}) => {
  const response = await page.goto("/?lang=en");
  expect(response?.status()).toBe(200);
  const csp = response?.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  // Next's inline bootstrap scripts are allowed by hash (csp-hashes.json from the build),
  // never by 'unsafe-inline': the UI going Live below proves the hashes match.
  const scriptSrc = csp.split("; ").find((d) => d.startsWith("script-src ")) ?? "";
  expect(scriptSrc).toMatch(/^script-src 'self'( 'sha256-[A-Za-z0-9+/]+=*')+$/);
  expect(scriptSrc).not.toContain("unsafe-inline");
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });

  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live");
  // server.probe goes browser -> WebSocket -> tRPC -> gateway -> IMAP CAPABILITY on Dovecot,
  // when the server settings are opened (not before: it costs the server a connection).
  await expect(page.getByRole("status", { name: "Server check" })).toHaveText("");
  await page.getByText("Server settings").click();
  await expect(page.getByRole("status", { name: "Server check" })).toContainText(
    `IMAP server ${stack.mail.host}:${stack.mail.imapPort} answers · pushes new mail as it arrives (IDLE)`,
  );
  await expect(page.getByLabel("Email address")).toBeVisible();
  await expect(page.getByRole("radiogroup", { name: "Account type" })).toBeVisible();
  expect(violations).toEqual([]);
});

test("the gateway answers /healthz on the same origin", async ({ request }) => {
  const health = await request.get("/healthz");
  expect(await health.json()).toEqual({ ok: true });
});

test("the UI speaks Serbian and shows the connection state in it", async ({ page }) => {
  await page.goto("/?lang=sr");
  await expect(page.locator("html")).toHaveAttribute("lang", "sr-Latn");
  await expect(page.getByRole("status", { name: "Veza" })).toHaveText("Uživo");
  await expect(page.getByLabel("Adresa e-pošte")).toBeVisible();
});

test("the sign-in form shows without waiting for the WebSocket (no session hint cookie)", async ({
  page,
}) => {
  // A socket that opens but never answers: the form must not wait for it to learn that there
  // is no session (only the gateway's pismo_signed_in hint cookie makes the page wait).
  await page.routeWebSocket(/\/trpc$/, () => {});
  await page.goto("/?lang=en");
  await expect(page.getByLabel("Email address")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
});

test("the theme: System follows the device while the page is open; Dark and Light stay as chosen, after a reload too", async ({
  page,
}) => {
  const html = page.locator("html");
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/?lang=en");
  const theme = page.getByLabel("Theme");
  await expect(theme).toHaveValue("system");
  await expect(html).not.toHaveClass(/\bdark\b/);
  // The device turns dark (and back) with the page open.
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(html).toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: "light" });
  await expect(html).not.toHaveClass(/\bdark\b/);

  await theme.selectOption("dark");
  await expect(html).toHaveClass(/\bdark\b/);
  await page.reload();
  await expect(html).toHaveClass(/\bdark\b/);
  await expect(page.getByLabel("Theme")).toHaveValue("dark");

  // Light stays light on a dark device.
  await page.getByLabel("Theme").selectOption("light");
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(html).not.toHaveClass(/\bdark\b/);
  await page.reload();
  await expect(html).not.toHaveClass(/\bdark\b/);
});

test("a server setting that cannot be right is said next to it, before anything is sent, and Enter tries again", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("badport");
  await page.goto("/?lang=en");
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live");
  await page.getByLabel("Email address").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByText("Server settings").click();
  const port = page.getByLabel("Port");
  await port.fill("99999");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "port" })).toHaveText(
    "The port is a number from 1 to 65535 (IMAP: 143 or 993, POP3: 110 or 995).",
  );
  await expect(port).toBeFocused();
  await expect(port).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Password")).toHaveValue(user.password);

  await port.fill(String(stack.mail.imapPort));
  await port.press("Enter");
  await expect(page.getByRole("grid", { name: "Messages" })).toBeVisible();
});
