import { expect, test } from "../fixtures/stack";

// The page's HTML carries the sign-in form, so it is on screen at the first paint, before the
// framework and the app's code (~200 kB) have loaded; the app's own form then takes its place.
// Here the app's code is held back while a person types: nothing is sent from the written-in
// form, what was typed carries over with the cursor, and a signed-in browser never sees it.

const CHUNKS = "**/_next/static/chunks/*.js";

test("the sign-in form is there before the app's code; what is typed carries over, nothing is sent early, and a signed-in browser does not see it", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("shell");
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(CHUNKS, async (route) => {
    await held;
    await route.continue();
  });
  const requests: string[] = [];
  page.on("request", (r) => requests.push(`${r.method()} ${r.url()}`));
  await page.goto("/?lang=sr", { waitUntil: "commit" });

  // The HTML's form, in the language the app will show (Serbian here, from ?lang=).
  await expect(page.getByRole("heading", { name: "Prijavite se na svoju poštu" })).toBeVisible();
  await page.getByLabel("Adresa e-pošte").fill(user.email);
  await page.getByLabel("Adresa e-pošte").press("Tab");
  await expect(page.getByLabel("Lozinka")).toBeFocused();
  await page.keyboard.type(user.password);
  await page.keyboard.press("Enter");
  // Its button waits for the app; Enter sends nothing, and the password never reaches an address.
  await expect(page.getByRole("button", { name: "Prijavi se" })).toBeDisabled();
  await page.waitForTimeout(300);
  expect(
    requests.filter((r) => r.startsWith("POST") || r.includes(encodeURIComponent(user.password))),
  ).toEqual([]);
  expect(page.url()).not.toContain("Lozinka");

  // The app arrives: its form holds what was typed, the cursor still in the password field.
  release();
  await expect(page.getByRole("status", { name: "Veza" })).toBeVisible();
  await expect(page.getByLabel("Adresa e-pošte")).toHaveValue(user.email);
  await expect(page.getByLabel("Lozinka")).toHaveValue(user.password);
  await expect(page.getByLabel("Lozinka")).toBeFocused();
  await expect(page.locator("#sign-in-shell")).toBeEmpty();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("grid", { name: "Poruke" })).toBeVisible();

  // Signed in, a reload shows no sign-in form while the app's code is held back again.
  let releaseAgain = () => {};
  const heldAgain = new Promise<void>((resolve) => (releaseAgain = resolve));
  await page.unroute(CHUNKS);
  await page.route(CHUNKS, async (route) => {
    await heldAgain;
    await route.continue();
  });
  await page.reload({ waitUntil: "commit" });
  await page.waitForTimeout(500);
  await expect(page.getByLabel("Lozinka")).toBeHidden();
  releaseAgain();
  await expect(page.getByRole("grid", { name: "Poruke" })).toBeVisible();
});
