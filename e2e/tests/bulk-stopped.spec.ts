import type { Page } from "@playwright/test";
import { gatewayEnv, startCountingProxy } from "@pismo/mail-harness";
import { expect, test, type Stack } from "../fixtures/stack";
import { signIn } from "../fixtures/mail-ui";
import { startGatewayProcess } from "../fixtures/gateway-process";

// A whole-folder action goes to the server in steps of 200 messages, and the server may refuse
// one part-way (the mailbox fills up, the folder is deleted on another device). What was done
// stays done and can be undone; the notice says how many and why the rest stayed. The server
// is the test's Dovecot; the one refused command is answered by a proxy in front of it, as a
// full mailbox answers, so that the test knows which step fails.
const COUNT = 410;
const OVERQUOTA = "[OVERQUOTA] Quota exceeded (mailbox for user is full)";

const messagesIn = async (stack: Stack, email: string, folder: string) =>
  (await stack.mail.counts(email, folder)).messages;

async function selectWholeInbox(page: Page, names: { all: string; wholeFolder: string }): Promise<void> {
  await page.getByRole("checkbox", { name: names.all }).check();
  await page.getByRole("button", { name: names.wholeFolder }).click();
}

test("IMAP: a whole-folder archive or Empty Trash the server stops part-way says how many went and why the rest stayed; Undo takes back those moved", async ({
  page,
  stack,
}, testInfo) => {
  test.setTimeout(120_000);
  const user = await stack.newUser("stopped");
  await stack.mail.seed(user.email, {
    count: 0,
    folders: { INBOX: COUNT, Trash: COUNT },
    user: user.email,
    seed: 13,
  });
  const proxy = await startCountingProxy(stack.mail.imapPort);
  const gateway = await startGatewayProcess({
    ...gatewayEnv(stack.mail),
    PISMO_IMAP_PORT: String(proxy.port),
  });
  try {
    await signIn(page, user, { at: gateway.url });
    const grid = page.getByRole("grid", { name: "Messages" });
    await expect(grid.locator('[role="row"][aria-rowindex="1"]')).toBeVisible();

    await selectWholeInbox(page, { all: "Select all", wholeFolder: `Select all ${COUNT} in Inbox` });
    proxy.refuse = { command: /^\S+ UID MOVE /i, nth: 2, text: OVERQUOTA };
    // The selection's Archive, not the folder of that name in the folder list.
    await page.locator("button:not(nav button)", { hasText: /^Archive$/ }).click();
    const notice = page.getByRole("status", { name: "Notice" });
    await expect(notice).toContainText(
      "Archived 200 to Archive. The rest (210) stayed where they were. The mailbox is full: the server refused to store more mail.",
      { timeout: 30_000 },
    );
    proxy.refuse = null;
    await expect(notice.getByRole("button", { name: "Undo" })).toBeVisible();
    // On the server, and in the list: the first step archived, the rest still in the Inbox.
    expect(await messagesIn(stack, user.email, "Archive")).toBe(200);
    expect(await messagesIn(stack, user.email, "INBOX")).toBe(COUNT - 200);
    await expect(grid.locator('[role="row"][aria-rowindex="1"]')).toBeVisible();
    const inbox = page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Inbox/ });
    // The Inbox's unread count, zeroed when the whole folder went, is the server's again.
    await expect(inbox).toHaveAccessibleName(
      `Inbox ${(await stack.mail.counts(user.email, "INBOX")).unseen} unread`,
    );
    await page.screenshot({ path: testInfo.outputPath("stopped-wide-en.png") });

    // Undo: z (the notice's button goes after 8 s, which the checks above may take on a
    // busy machine; z takes back the last action after that too).
    await page.keyboard.press("z");
    // A MOVE is a copy and then an expunge: doveadm may see the first half alone.
    await expect.poll(() => messagesIn(stack, user.email, "INBOX"), { timeout: 30_000 }).toBe(COUNT);
    await expect.poll(() => messagesIn(stack, user.email, "Archive"), { timeout: 30_000 }).toBe(0);

    // Empty Trash, stopped at its second step: how many went for good, and why the rest is there.
    const nav = page.getByRole("navigation", { name: "Folders" });
    await nav.getByRole("button", { name: /^Trash/ }).click();
    await expect(grid.locator('[role="row"][aria-rowindex="1"]')).toBeVisible();
    proxy.refuse = { command: /^\S+ UID STORE \S+ \+FLAGS.*\\Deleted/i, nth: 2, text: OVERQUOTA };
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Empty Trash" }).click();
    await expect(notice).toContainText(
      "Deleted 200 for good. The rest (210) stayed where they were. The mailbox is full",
      { timeout: 30_000 },
    );
    proxy.refuse = null;
    expect(await messagesIn(stack, user.email, "Trash")).toBe(COUNT - 200);
    // The rows the server kept are listed again, and the notice offers no Undo.
    await expect(grid.locator('[role="row"][aria-rowindex="1"]')).toBeVisible();
    await expect(notice.getByRole("button", { name: "Undo" })).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath("stopped-empty-trash-en.png") });
    await nav.getByRole("button", { name: /^Inbox/ }).click();

    // In Serbian, on a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${gateway.url}/?lang=sr`);
    await expect(
      page.getByRole("grid", { name: "Poruke" }).locator('[role="row"][aria-rowindex="1"]'),
    ).toBeVisible();
    await selectWholeInbox(page, {
      all: "Izaberi sve",
      wholeFolder: `Izaberi sve (${COUNT}) u folderu „Prijemno sanduče“`,
    });
    proxy.refuse = { command: /^\S+ UID MOVE /i, nth: 3, text: OVERQUOTA };
    await page.locator("button:not(nav button)", { hasText: /^Arhiviraj$/ }).click();
    await expect(page.getByRole("status", { name: "Obaveštenje" })).toContainText(
      "Arhivirano 400 u folder „Arhiva“. Preostale poruke (10) ostale su gde su bile. Sanduče je puno",
      { timeout: 30_000 },
    );
    await page.screenshot({ path: testInfo.outputPath("stopped-narrow-sr.png") });
    expect(await messagesIn(stack, user.email, "INBOX")).toBe(10);
  } finally {
    await gateway.stop();
    await proxy.close();
  }
});
