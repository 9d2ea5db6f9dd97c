import { buildMessage } from "@pismo/mail-harness/seed";
import { expect, test } from "../fixtures/stack";
import { wireTrpc } from "../fixtures/trpc-wire";

// Where this browser lists the Inbox as conversations, the sign-in's answer carries the first
// conversations (not single messages): the list paints from it, asking the socket for none of it.

test("a sign-in to an Inbox listed as conversations paints them from the sign-in's answer, asking the socket for none", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("firstthreads");
  await stack.mail.deliver(
    user.email,
    buildMessage({
      from: "ana@primer.rs",
      to: user.email,
      subject: "Ručak u petak",
      text: "Ko dolazi?",
      messageId: "rucak@primer.rs",
    }),
  );
  await stack.mail.deliver(
    user.email,
    buildMessage({
      from: "boris@primer.rs",
      to: user.email,
      subject: "Re: Ručak u petak",
      text: "Ja dolazim.",
      headers: { "In-Reply-To": "<rucak@primer.rs>", References: "<rucak@primer.rs>" },
    }),
  );
  await stack.mail.deliver(
    user.email,
    buildMessage({ from: "vesna@primer.rs", to: user.email, subject: "Nešto drugo", text: "Zdravo" }),
  );
  // The view this browser remembers for the account's Inbox (what the Conversations button sets).
  await page.addInitScript(
    ([key]) => localStorage.setItem(key!, JSON.stringify({ INBOX: true })),
    [`pismo.conversations:${user.email.toLowerCase()}`],
  );
  // Every request the page sends over a socket after it submitted the form.
  const wire = await wireTrpc(page);
  await page.goto("/?lang=en");
  await page.getByLabel("Email address").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  wire.recording = true;
  await page.getByRole("button", { name: "Sign in" }).click();
  const grid = page.getByRole("grid", { name: "Messages" });
  await expect(page.getByRole("button", { name: "Conversations" })).toHaveAttribute("aria-pressed", "true");
  // Two conversations: the lunch (two messages) and the other one.
  await expect(grid.getByRole("row")).toHaveCount(2);
  await expect(grid.getByRole("row", { name: /Ručak u petak/ })).toHaveAccessibleName(
    /Ručak u petak, 2 messages/,
  );
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live");
  // Time for anything that would refetch behind the painted screen.
  await page.waitForTimeout(1_500);
  expect(wire.asked).not.toContain("imap.conversations");
  expect(wire.asked).not.toContain("imap.list");
  expect(wire.asked).not.toContain("imap.folders");
});
