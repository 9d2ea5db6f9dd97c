import type { Page } from "@playwright/test";
import { expect, test } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";

/** Every tRPC request the page sends over its WebSocket, as text, in order. */
function recordRequests(page: Page): string[] {
  const sent: string[] = [];
  page.on("websocket", (ws) => ws.on("framesent", (f) => sent.push(String(f.payload))));
  return sent;
}

const asks = (sent: string[], path: string, what: RegExp) =>
  sent.filter((s) => s.includes(`"${path}"`) && what.test(s)).length;

test("pressing a message row asks for the message before the button is released", async ({ page, stack }) => {
  const user = await stack.newUser("press-row");
  await stack.mail.seed(user.email, { count: 0, folders: { INBOX: 12 }, user: user.email });
  const sent = recordRequests(page);
  await signIn(page, user);
  const target = page.getByRole("grid", { name: "Messages" }).getByRole("row").nth(5);
  await expect(target).toBeVisible();
  const uid = await target.getAttribute("data-message-id");
  const box = await target.boundingBox();
  if (!uid || !box) throw new Error("no row to press");
  // A drag or a slow press shows no message, but the time between press and release is used.
  await page.waitForTimeout(300);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await expect.poll(() => asks(sent, "imap.open", new RegExp(`"uid":${uid}\\b`))).toBe(1);
  await expect(page.getByRole("article", { name: "Message" })).toHaveCount(0);
  await page.mouse.up();
  await expect(page.getByRole("article", { name: "Message" })).toBeVisible();
  // The view took the answer of the press: the message was asked for once (marking it read
  // is a mutation of its own).
  await page.waitForTimeout(300);
  expect(asks(sent, "imap.open", new RegExp(`"uid":${uid}\\b`))).toBe(1);
});

test("pressing a folder asks for its rows and watches it before the button is released; a press released elsewhere gives the watch back", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("press-folder");
  await stack.mail.seed(user.email, {
    count: 0,
    folders: { INBOX: 5, Mapa: 5, Druga: 5 },
    user: user.email,
  });
  const sent = recordRequests(page);
  await signIn(page, user);
  await expect(row(page, ".")).toHaveCount(5);
  const nav = page.getByRole("navigation", { name: "Folders" });
  await page.waitForTimeout(300);

  const mapa = nav.getByRole("button", { name: /^Mapa/ });
  const box = await mapa.boundingBox();
  if (!box) throw new Error("no folder to press");
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await expect.poll(() => asks(sent, "imap.list", /"folder":"Mapa"/)).toBe(1);
  expect(asks(sent, "imap.watch", /"folder":"Mapa"/)).toBe(1);
  await expect(mapa).not.toHaveAttribute("aria-current", "page");
  await page.mouse.up();
  await expect(mapa).toHaveAttribute("aria-current", "page");
  await expect(row(page, ".")).toHaveCount(5);

  // Pressed, then released over the message list: no click, so Mapa stays the folder shown
  // and the one IDLE watches again.
  const druga = nav.getByRole("button", { name: /^Druga/ });
  const other = await druga.boundingBox();
  if (!other) throw new Error("no folder to press");
  const watchedMapa = asks(sent, "imap.watch", /"folder":"Mapa"/);
  await page.mouse.move(other.x + other.width / 2, other.y + other.height / 2);
  await page.mouse.down();
  await expect.poll(() => asks(sent, "imap.watch", /"folder":"Druga"/)).toBe(1);
  await page.mouse.move(box.x + 600, box.y + 200, { steps: 4 });
  await page.mouse.up();
  await expect.poll(() => asks(sent, "imap.watch", /"folder":"Mapa"/)).toBe(watchedMapa + 1);
  await expect(mapa).toHaveAttribute("aria-current", "page");
});
