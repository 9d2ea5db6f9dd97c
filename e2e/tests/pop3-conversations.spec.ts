import { expect, test } from "../fixtures/stack";
import { checkMail, signInPop3 } from "../fixtures/pop3";

const raw = (o: { id: string; subject: string; date: string; text: string; refs?: string[] }, to: string) =>
  [
    "From: Ana Anić <ana@primer.rs>",
    `To: ${to}`,
    `Subject: ${o.subject}`,
    `Date: ${o.date}`,
    `Message-ID: <${o.id}>`,
    ...(o.refs
      ? [`In-Reply-To: <${o.refs.at(-1)}>`, `References: ${o.refs.map((r) => `<${r}>`).join(" ")}`]
      : []),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    o.text,
    "",
  ].join("\r\n");

/** An RFC 5322 date this many hours from now: the local Sent reply is dated when it is sent. */
const at = (hours: number) => new Date(Date.now() + hours * 3_600_000).toUTCString();

test("POP3: the pulled mail and the locally Sent reply are one conversation; a new reply joins it; moving it moves its messages here", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("pop3convo");
  await stack.mail.deliver(
    user.email,
    raw(
      {
        id: "orig@primer.rs",
        subject: "Izlet",
        date: at(-24),
        text: "Idemo li u subotu?",
      },
      user.email,
    ),
  );
  await signInPop3(page, user);
  await checkMail(page);

  // The user replies from this browser: the copy is kept in the local Sent.
  const grid = page.getByRole("grid", { name: "Messages" });
  await grid.getByRole("row", { name: /Izlet/ }).click();
  await page
    .getByRole("article", { name: "Message" })
    .getByRole("button", { name: "Reply", exact: true })
    .click();
  const reply = page.getByRole("dialog", { name: "Reply" });
  await reply.getByRole("textbox", { name: "Message text" }).press("Control+Home");
  await reply.getByRole("textbox", { name: "Message text" }).pressSequentially("Može, u osam.");
  await reply.getByRole("button", { name: "Send" }).click();
  await expect(reply).toHaveCount(0);

  await stack.mail.deliver(
    user.email,
    raw(
      {
        id: "answer@primer.rs",
        subject: "Re: Izlet",
        date: at(1),
        text: "Dogovoreno!",
        refs: ["orig@primer.rs"],
      },
      user.email,
    ),
  );
  await checkMail(page);

  const toggle = page.getByRole("button", { name: "Conversations" });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  const row = grid.getByRole("row", { name: /Izlet, 3 messages/ });
  await expect(row).toBeVisible();
  await expect(grid.getByRole("row")).toHaveCount(1);
  await row.click();
  const thread = page.getByRole("region", { name: "Conversation" });
  const outer = thread.locator("article[data-thread-item]");
  await expect(outer).toHaveCount(3);
  // Thread order: the original, the user's reply (sent now), Ana's answer (an hour later).
  await expect(outer.nth(1)).toHaveAttribute("aria-label", new RegExp(`^${user.email}, `));
  await expect(outer.nth(2)).toContainText("Dogovoreno!");
  // Read, so one line until opened; the reply went out as HTML, shown in its sandbox.
  await expect(outer.nth(1)).toHaveAttribute("data-expanded", "false");
  await outer.nth(1).getByRole("button").click();
  await expect(outer.nth(1).frameLocator('iframe[title="Message body"]').locator("body")).toContainText(
    "Može, u osam.",
  );

  // A new reply, pulled, joins the open conversation.
  await stack.mail.deliver(
    user.email,
    raw(
      {
        id: "late@primer.rs",
        subject: "Re: Izlet",
        date: at(2),
        text: "Ponesi kabanicu.",
        refs: ["orig@primer.rs", "answer@primer.rs"],
      },
      user.email,
    ),
  );
  await checkMail(page);
  await expect(grid.getByRole("row", { name: /Izlet, 4 messages/ })).toBeVisible();
  await expect(outer).toHaveCount(4);
  await expect(outer.nth(3)).toContainText("Ponesi kabanicu.");

  // Moving the conversation moves the Inbox's three; the Sent reply stays in Sent.
  await thread.getByRole("button", { name: "Move conversation to…" }).click();
  await thread.getByRole("menuitem", { name: "Trash" }).click();
  await expect(grid.getByRole("row")).toHaveCount(0);
  const nav = page.getByRole("navigation", { name: "Folders" });
  await nav.getByRole("button", { name: /^Trash/ }).click();
  // Trash shows single messages (its own choice): the three moved ones.
  await expect(grid.getByRole("row")).toHaveCount(3);
  await nav.getByRole("button", { name: /^Sent/ }).click();
  await expect(page.getByRole("button", { name: "Conversations" })).toHaveAttribute("aria-pressed", "false");
  await expect(grid.getByRole("row", { name: /Re: Izlet/ })).toHaveCount(1);
});
