import { expect, test } from "../fixtures/stack";
import { signIn } from "../fixtures/mail-ui";

test("after a gateway restart the page reconnects by itself and asks to sign in again, saying why", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("restart");
  await signIn(page, user);
  const status = page.getByRole("status", { name: "Connection" });
  await expect(status).toHaveText("Live");

  await stack.gateway.restart();

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
