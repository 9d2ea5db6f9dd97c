import { buildMessage } from "@pismo/mail-harness/seed";
import { MESSAGE_IFRAME_SANDBOX } from "@pismo/protocol/html";
import { expect, test } from "../fixtures/stack";
import { row } from "../fixtures/mail-ui";
import { wireTrpc } from "../fixtures/trpc-wire";

// An IMAP sign-in answers with what the first screen shows (the folder tree, the Inbox's first
// rows sized to the screen): the page paints from that answer, and the WebSocket that carries
// the new cookie opens behind it without asking for any of it again.

test("an IMAP sign-in paints the Inbox and its folders from the sign-in's answer, asking the socket for none of it", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("firstscreen");
  for (const subject of ["Prvi red", "Drugi red"])
    await stack.mail.deliver(
      user.email,
      buildMessage({ from: "a@primer.rs", to: user.email, subject, text: subject }),
    );
  // Every request the page sends over a socket after it submitted the form.
  const wire = await wireTrpc(page);
  await page.goto("/?lang=en");
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live");
  await page.getByLabel("Email address").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  wire.recording = true;
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(row(page, "Prvi red")).toBeVisible();
  await expect(row(page, "Drugi red")).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Inbox/ }),
  ).toBeVisible();
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live");
  // The first open's sandboxed frame finds its process started: an empty, hidden frame with the
  // message frame's sandbox is on the page once the mailbox has painted.
  const warm = page.locator("iframe[data-frame-warmup]");
  await expect(warm).toHaveAttribute("sandbox", MESSAGE_IFRAME_SANDBOX);
  await expect(warm).toHaveAttribute("srcdoc", "");
  await expect(warm).toBeHidden();
  // Time for anything that would refetch behind the painted screen.
  await page.waitForTimeout(1_500);
  expect(wire.asked).not.toContain("session.current");
  expect(wire.asked).not.toContain("imap.folders");
  expect(wire.asked).not.toContain("imap.list");
  // What the first screen still asks for itself: the quota (after the rows), the push.
  expect(wire.asked).toContain("imap.events");
});
