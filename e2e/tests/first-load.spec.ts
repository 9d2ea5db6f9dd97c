import { buildMessage } from "@pismo/mail-harness/seed";
import { expect, test } from "../fixtures/stack";
import { row } from "../fixtures/mail-ui";

// What a cold sign-in loads before the Inbox's first rows are painted: the framework, the form,
// the mail view and the shown language's catalog. Validation is the gateway's (zod stays out of
// it, as does the search index), and the sign-in's answer comes compressed.

test("a cold sign-in loads neither zod, the search index, nor the other language before the first rows, and its answer comes compressed", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("firstload");
  await stack.mail.deliver(
    user.email,
    buildMessage({ from: "a@primer.rs", to: user.email, subject: "Prvi red", text: "Prvi red" }),
  );
  const scripts: Array<{ url: string; body: Promise<string> }> = [];
  let painted = false;
  page.on("response", (response) => {
    if (!painted && response.request().resourceType() === "script")
      scripts.push({ url: response.url(), body: response.text() });
  });
  const signInAnswer = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/session");
  await page.goto("/?lang=en");
  await page.getByLabel("Email address").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(row(page, "Prvi red")).toBeVisible();
  painted = true;

  const answer = await signInAnswer;
  expect(answer.status()).toBe(200);
  expect(["br", "gzip"]).toContain((await answer.allHeaders())["content-encoding"]);

  expect(scripts.length).toBeGreaterThan(0);
  const loaded = await Promise.all(scripts.map(async (s) => ({ url: s.url, body: await s.body })));
  const carrying = (marker: string) => loaded.filter((s) => s.body.includes(marker)).map((s) => s.url);
  // zod's schema classes are named by these strings even in the minified build.
  expect(carrying('"$ZodType"')).toEqual([]);
  expect(carrying('"$ZodObject"')).toEqual([]);
  // The POP3 store's search index (its saved segments' table) is not part of IMAP's first load.
  expect(carrying('segments:"++id"')).toEqual([]);
  // The English catalog is there, the Serbian one is not.
  expect(carrying("Webmail for your hosting account").length).toBe(1);
  expect(carrying("Prijavite se")).toEqual([]);
});
