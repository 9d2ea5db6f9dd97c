import { buildMessage, exchangeDay as day, lunchExchange } from "@pismo/mail-harness/seed";
import type { Page } from "@playwright/test";
import { expect, test, type Stack } from "../fixtures/stack";
import { signIn } from "../fixtures/mail-ui";

const LIVE = { timeout: 10_000 };

/** A three-message exchange (Ana writes, the user replies in Sent, Ana answers) and one other message. */
async function seedExchange(stack: Stack, me: string): Promise<void> {
  for (const m of lunchExchange(me))
    await stack.mail.deliver(me, m.raw, { folder: m.folder, flags: m.seen ? ["\\Seen"] : [], date: m.date });
}

const grid = (page: Page) => page.getByRole("grid", { name: "Messages" });
const conversationRow = (page: Page, subject: string) =>
  grid(page).getByRole("row", { name: new RegExp(subject) });

test("IMAP: an exchange across Inbox and Sent is one conversation; a new reply joins it live; moving it moves its messages", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("convo");
  await seedExchange(stack, user.email);
  await signIn(page, user);

  const toggle = page.getByRole("button", { name: "Conversations" });
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");

  const lunch = conversationRow(page, "Ručak u petak");
  await expect(lunch).toHaveAccessibleName(/Ručak u petak, 3 messages/);
  await expect(lunch).toHaveAccessibleName(/Unread/);
  await expect(grid(page).getByRole("row")).toHaveCount(2);
  await expect(grid(page).getByRole("row").first()).toHaveAccessibleName(/Ana Anić, me/);

  await lunch.click();
  const thread = page.getByRole("region", { name: "Conversation" });
  const articles = thread.getByRole("article", { name: /, / });
  // Only the outer articles carry "sender, date"; each open message has its own "Message".
  const outer = thread.locator("article[data-thread-item]");
  await expect(outer).toHaveCount(3);
  await expect(outer.nth(0)).toHaveAttribute("aria-label", /^Ana Anić, /);
  await expect(outer.nth(1)).toHaveAttribute("aria-label", new RegExp(`^${user.email}, `));
  // The read ones are one line; the unread (and last) one is open with its body.
  await expect(outer.nth(0)).toHaveAttribute("data-expanded", "false");
  await expect(outer.nth(1)).toHaveAttribute("data-expanded", "false");
  await expect(outer.nth(2)).toHaveAttribute("data-expanded", "true");
  await expect(outer.nth(2)).toContainText("Super, vidimo se!");
  await expect(outer.nth(0)).not.toContainText("Da li stižeš u petak?");
  // Opening it marked it read: the row says so.
  await expect(lunch).not.toHaveAccessibleName(/Unread/, LIVE);

  // A collapsed one opens with Enter (focused with p, from the last one).
  await outer.nth(2).focus();
  await page.keyboard.press("p");
  await expect(outer.nth(1)).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(outer.nth(1)).toHaveAttribute("data-expanded", "true");
  await expect(outer.nth(1)).toContainText("Stižem oko podne.");
  await page.keyboard.press("n");
  await expect(outer.nth(2)).toBeFocused();
  await thread.getByRole("button", { name: "Expand all" }).click();
  await expect(outer.nth(0)).toContainText("Da li stižeš u petak?");
  expect(await articles.count()).toBeGreaterThanOrEqual(3);

  // A reply delivered from outside joins the conversation, in the list and in the open view.
  await stack.mail.deliver(
    user.email,
    buildMessage({
      from: { name: "Ana Anić", address: "ana@primer.rs" },
      to: user.email,
      subject: "Re: Ručak u petak",
      text: "Ponesi i kišobran.",
      date: day(5),
      messageId: "late@primer.rs",
      inReplyTo: "answer@primer.rs",
      references: ["orig@primer.rs", "reply@pismo.test", "answer@primer.rs"],
    }),
  );
  await expect(lunch).toHaveAccessibleName(/4 messages/, LIVE);
  await expect(outer).toHaveCount(4, LIVE);
  await expect(outer.nth(3)).toContainText("Ponesi i kišobran.");

  // Moving the conversation moves all its messages in this folder; the reply stays in Sent.
  await thread.getByRole("button", { name: "Move conversation to…" }).click();
  await thread.getByRole("menuitem", { name: "Archive" }).click();
  await expect(lunch).toHaveCount(0, LIVE);
  await expect(grid(page).getByRole("row")).toHaveCount(1);
  const count = async (folder: string) => (await stack.mail.counts(user.email, folder)).messages;
  await expect.poll(() => count("Archive")).toBe(3);
  expect(await count("INBOX")).toBe(1);
  expect(await count("Sent")).toBe(1);
});

test("IMAP: the switch is remembered per folder; j/k go between conversations", async ({ page, stack }) => {
  const user = await stack.newUser("convokeys");
  await seedExchange(stack, user.email);
  await signIn(page, user);
  await page.getByRole("button", { name: "Conversations" }).click();
  await expect(conversationRow(page, "Ručak u petak")).toBeVisible();

  await grid(page).focus();
  await page.keyboard.press("j");
  const thread = page.getByRole("region", { name: "Conversation" });
  await expect(thread.getByRole("heading", { name: "Ručak u petak", exact: true }).first()).toBeVisible();
  await grid(page).focus();
  await page.keyboard.press("j");
  await expect(thread.getByRole("heading", { name: "Nevezana poruka", exact: true }).first()).toBeVisible();
  await grid(page).focus();
  await page.keyboard.press("k");
  await expect(thread.getByRole("heading", { name: "Ručak u petak", exact: true }).first()).toBeVisible();

  // Sent has its own choice (single messages), the Inbox keeps conversations after a reload.
  const nav = page.getByRole("navigation", { name: "Folders" });
  await nav.getByRole("button", { name: /^Sent/ }).click();
  await expect(page.getByRole("button", { name: "Conversations" })).toHaveAttribute("aria-pressed", "false");
  await page.reload();
  await expect(page.getByRole("button", { name: "Conversations" })).toHaveAttribute("aria-pressed", "true");
  await expect(conversationRow(page, "Ručak u petak")).toHaveAccessibleName(/3 messages/);
});

test("IMAP: r in a conversation answers the message it was pressed in, else the newest, not whichever opened last", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("convoreply");
  await seedExchange(stack, user.email);
  await signIn(page, user);
  await page.getByRole("button", { name: "Conversations" }).click();
  await conversationRow(page, "Ručak u petak").click();
  const thread = page.getByRole("region", { name: "Conversation" });
  const outer = thread.locator("article[data-thread-item]");
  await expect(outer.nth(2)).toContainText("Super, vidimo se!");
  // The first message opened after the newest: its keys were asked first.
  await outer.nth(0).getByRole("button").first().click();
  await expect(outer.nth(0)).toContainText("Da li stižeš u petak?");
  await thread.getByRole("heading").first().click();
  await page.keyboard.press("r");
  const reply = page.getByRole("dialog", { name: "Reply" });
  const text = reply.getByRole("textbox", { name: "Message text" });
  await expect(text).toContainText("Super, vidimo se!");
  await expect(text).not.toContainText("Da li stižeš u petak?");
  await text.press("Escape");
  await expect(reply).toHaveCount(0);

  // Pressed in the first message: that one.
  await outer.nth(0).focus();
  await page.keyboard.press("r");
  await expect(reply.getByRole("textbox", { name: "Message text" })).toContainText("Da li stižeš u petak?");
});
