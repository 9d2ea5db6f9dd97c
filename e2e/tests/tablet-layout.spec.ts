import { buildMessage } from "@pismo/mail-harness/seed";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";

// A tablet held upright (820 × 1180): two columns, the open message beside the list (or beside
// the folders, asked for with the list's folders button), so that the message keeps most of
// the width instead of a third of it between the folders and the list.

const TABLET = { width: 820, height: 1180 };

async function box(l: Locator) {
  const b = await l.boundingBox();
  if (!b) throw new Error("not laid out");
  return b;
}

const folders = (page: Page) => page.getByRole("navigation", { name: "Folders" });
const grid = (page: Page) => page.getByRole("grid", { name: "Messages" });

test("IMAP on a tablet: the message beside the list, the folders on demand in the list's place", async ({
  page,
  stack,
}, testInfo) => {
  const user = await stack.newUser("tablet");
  const text = (subject: string) =>
    buildMessage({ from: "ana@primer.rs", to: user.email, subject, text: `Telo: ${subject}` });
  await stack.mail.deliver(user.email, text("Poruka u sanducetu"));
  await stack.mail.save(user.email, text("Poruka u arhivi"), { folder: "Archive" });
  await page.setViewportSize(TABLET);
  await signIn(page, user);

  await expect(folders(page)).toBeHidden();
  await row(page, "Poruka u sanducetu").click();
  const message = page.getByRole("article", { name: "Message" });
  await expect(message).toContainText("Telo: Poruka u sanducetu");
  await expect(grid(page)).toBeVisible();
  const [list, read] = [await box(grid(page)), await box(message)];
  expect(read.x).toBeGreaterThanOrEqual(list.x + list.width - 1);
  expect(read.width).toBeGreaterThan(TABLET.width / 2);
  await page.screenshot({ path: testInfo.outputPath("tablet-message-beside-list.png") });

  // The folders take the list's place; the open message stays.
  await page.getByRole("button", { name: "Open folder list" }).click();
  await expect(folders(page)).toBeVisible();
  await expect(grid(page)).toBeHidden();
  await expect(message).toContainText("Telo: Poruka u sanducetu");
  await page.screenshot({ path: testInfo.outputPath("tablet-folders.png") });

  await folders(page)
    .getByRole("link", { name: /^Archive/ })
    .or(folders(page).getByRole("button", { name: /^Archive/ }))
    .first()
    .click();
  await expect(row(page, "Poruka u arhivi")).toBeVisible();
  await expect(folders(page)).toBeHidden();

  // A notice of an action sits at the foot of the list, not off to where no folder column is.
  await row(page, "Poruka u arhivi").click();
  await page.keyboard.press("#");
  const notice = page.getByRole("status", { name: "Notice" });
  await expect(notice.getByRole("button", { name: "Undo" })).toBeVisible();
  expect((await box(notice)).x).toBeLessThan(TABLET.width / 2);
  await page.screenshot({ path: testInfo.outputPath("tablet-notice.png") });
});

test("POP3 on a tablet: Check mail over the list, as on a phone, and the pulled message beside it", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("tabletpop");
  await stack.mail.deliver(
    user.email,
    buildMessage({
      from: "ana@primer.rs",
      to: user.email,
      subject: "Preuzeta poruka",
      text: "Telo preuzete poruke.",
    }),
  );
  await page.setViewportSize(TABLET);
  await signIn(page, user, { protocol: "POP3" });

  await expect(folders(page)).toBeHidden();
  await page.getByRole("button", { name: "Check mail" }).click();
  await row(page, "Preuzeta poruka").click();
  const message = page.getByRole("article", { name: "Message" });
  await expect(message).toContainText("Telo preuzete poruke.");
  await expect(grid(page)).toBeVisible();
  expect((await box(page.getByRole("button", { name: "Check mail" }))).x).toBeLessThan(
    (await box(message)).x,
  );
});

// The compose window covers the notices' corner on a tablet and a small laptop: while it is
// open they stand above it, so that an Undo notice never sits over its Send button.
test("notices stand clear of the compose window on a tablet, a small laptop and a phone", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("tabletnotice");
  for (const subject of ["Prva", "Druga", "Treća"])
    await stack.mail.deliver(
      user.email,
      buildMessage({ from: "ana@primer.rs", to: user.email, subject, text: subject }),
    );
  await page.setViewportSize(TABLET);
  await signIn(page, user);
  await row(page, "Prva").click();
  await page.keyboard.press("c");
  const compose = page.getByRole("dialog", { name: "New message" });
  await expect(compose).toBeVisible();
  await row(page, "Prva").click();
  await page.getByRole("article", { name: "Message" }).getByRole("button", { name: "Delete" }).click();
  const notice = page.getByRole("status", { name: "Notice" });
  await expect(notice).toContainText("Deleted 1");
  const send = compose.getByRole("button", { name: "Send" });
  // A landscape phone and a short laptop window too: there the notice stands at the window's
  // top edge, on the screen, not above it.
  const sizes = [
    TABLET,
    { width: 1024, height: 768 },
    { width: 390, height: 844 },
    { width: 844, height: 390 },
    { width: 1100, height: 560 },
  ];
  for (const size of sizes) {
    await page.setViewportSize(size);
    const [n, s] = [await box(notice), await box(send)];
    const apart =
      n.y + n.height <= s.y || s.y + s.height <= n.y || n.x + n.width <= s.x || s.x + s.width <= n.x;
    expect(apart, `the notice over Send at ${size.width} × ${size.height}`).toBe(true);
    expect(
      n.y >= 0 && n.y + n.height <= size.height,
      `the notice on screen at ${size.width} × ${size.height}`,
    ).toBe(true);
    // Send takes the click itself (nothing over it).
    await send.click({ trial: true });
  }
  // Closed, the notices go back to their corner.
  await page.setViewportSize(TABLET);
  await compose.getByRole("button", { name: "Close" }).click();
  await expect(compose).toHaveCount(0);
  expect((await box(notice)).y).toBeGreaterThan(TABLET.height - 100);
});
