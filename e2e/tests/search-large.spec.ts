import type { Page } from "@playwright/test";
import { expect, test } from "../fixtures/stack";
import { signIn } from "../fixtures/mail-ui";

const box = (page: Page) => page.getByRole("search").getByRole("searchbox", { name: "Search mail" });
const results = (page: Page) => page.getByRole("status", { name: "Search results" });
const grid = (page: Page) => page.getByRole("grid", { name: "Messages" });

test("IMAP search of a large Inbox: the newest matches paint with the rows the search streamed, then the complete count", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("bigsearch");
  // Larger than the part a search looks at first (2,000 messages); about a tenth from Jelena.
  await stack.mail.seed(user.email, { count: 0, folders: { INBOX: 3000 }, user: user.email, seed: 11 });
  // What the page asks the gateway for, and what it hears back, over its one WebSocket.
  const sent: string[] = [];
  const received: string[] = [];
  page.on("websocket", (ws) => {
    ws.on("framesent", (f) => sent.push(String(f.payload)));
    ws.on("framereceived", (f) => received.push(String(f.payload)));
  });
  await signIn(page, user);
  await expect(grid(page).getByRole("row").first()).toBeVisible();

  await box(page).fill("from:jelena");
  await box(page).press("Enter");
  await expect(results(page)).toHaveText(/^\d+ found in “Inbox”/);
  const count = Number(/^(\d+)/.exec((await results(page).textContent()) ?? "")?.[1]);
  expect(count).toBeGreaterThan(200);
  await expect(grid(page)).toHaveAttribute("aria-rowcount", String(count));

  // The newest match is the first row; its row came with the search's answer, so the page
  // never asked for the first window's rows.
  const first = grid(page).getByRole("row").first();
  await expect(first).toContainText(/Jelena/);
  const id = (await first.getAttribute("data-message-id")) ?? "";
  const uid = Number(id.split("/").at(-1));
  expect(uid).toBeGreaterThan(0);
  const asked = sent.filter((m) => m.includes("imap.searchRows"));
  expect(asked.filter((m) => m.includes(`"uid":${uid}}`))).toEqual([]);

  // Rows further down are fetched as they scroll into view, as for any result list.
  await grid(page).evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(grid(page).getByRole("row").last()).toContainText(/Jelena/);

  // A scan (no text: the unread mail) is searched newest part first: its first matches come
  // as a partial answer before the complete one, and the status waits for the complete count.
  received.length = 0;
  await box(page).fill("is:unread");
  await box(page).press("Enter");
  await expect(results(page)).toHaveText(/^\d+ found in “Inbox”/);
  const partial = received.findIndex((m) => m.includes('"type":"partial"'));
  const complete = received.findIndex((m) => m.includes('"type":"folder"'));
  expect(partial).toBeGreaterThanOrEqual(0);
  expect(partial).toBeLessThan(complete);
  const unread = Number(/^(\d+)/.exec((await results(page).textContent()) ?? "")?.[1]);
  await expect(grid(page)).toHaveAttribute("aria-rowcount", String(unread));
});
