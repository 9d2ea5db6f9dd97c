import { buildMessage } from "@pismo/mail-harness/seed";
import type { Page } from "@playwright/test";
import { expect, test } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";
import { wireTrpc } from "../fixtures/trpc-wire";

const box = (page: Page) => page.getByRole("search").getByRole("searchbox", { name: "Search mail" });
const results = (page: Page) => page.getByRole("status", { name: "Search results" });
const rows = (page: Page) => page.getByRole("grid", { name: "Messages" }).getByRole("row");

async function search(page: Page, text: string) {
  await box(page).fill(text);
  await box(page).press("Enter");
}

test("IMAP search: from:, a body word in another folder, attachments by size, Latin finds Cyrillic, and the keys", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("search");
  const u = user.email;
  await stack.mail.createFolder(u, "Računi");
  const deliver = (subject: string, text: string, from = "bob@primer.rs", extra = {}) =>
    stack.mail.deliver(u, buildMessage({ from, to: u, subject, text: `${text}\r\n`, ...extra }));
  await deliver("Sastanak u petak", "Vidimo se u petak.", "Ana Petrovic <ana@primer.rs>");
  await deliver("Pozdrav iz Beograda", "Ово је писмо из Београда, поздрав.");
  await deliver("Velika arhiva", "Arhiva je u prilogu.", "bob@primer.rs", {
    attachments: [
      {
        filename: "arhiva.bin",
        contentType: "application/octet-stream",
        content: new Uint8Array(1_300_000).fill(65),
      },
    ],
  });
  await deliver("Mali prilog", "Mali prilog.", "bob@primer.rs", {
    attachments: [{ filename: "a.txt", contentType: "application/octet-stream", content: "kratko" }],
  });
  await stack.mail.deliver(
    u,
    buildMessage({
      from: "eva@primer.rs",
      to: u,
      subject: "Faktura 7",
      text: "Ugovor broj 7 je potpisan.\r\n",
    }),
    { folder: "Računi" },
  );
  await signIn(page, user);
  await expect(row(page, "Sastanak u petak")).toBeVisible();

  // "/" focuses the box from the list; Tab completes the operator suggested for "fr".
  await page.getByRole("grid", { name: "Messages" }).focus();
  await page.keyboard.press("/");
  await expect(box(page)).toBeFocused();
  await page.keyboard.type("fr");
  await expect(
    page.getByRole("listbox", { name: "Search suggestions" }).getByRole("option").first(),
  ).toHaveText(/from:/);
  await page.keyboard.press("Tab");
  await expect(box(page)).toHaveValue("from:");
  await page.keyboard.type("petrovic");
  await page.keyboard.press("Enter");
  await expect(results(page)).toHaveText(/1 found in “Inbox”/);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("Sastanak u petak");

  // Escape leaves search and returns to the folder.
  await box(page).focus();
  await page.keyboard.press("Escape");
  await expect(results(page)).toHaveCount(0);
  await expect(box(page)).toHaveValue("");
  await expect(rows(page)).toHaveCount(4);

  // A word of a message body in another folder, with in:all; the result opens.
  await search(page, "in:all ugovor");
  await expect(results(page)).toHaveText(/1 found in all folders/);
  await rows(page).first().click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Ugovor broj 7 je potpisan.");

  await search(page, "has:attachment larger:1M");
  await expect(results(page)).toHaveText(/1 found/);
  await expect(rows(page).first()).toContainText("Velika arhiva");

  // Serbian in both scripts: a Latin query finds a Cyrillic body.
  await search(page, "pozdrav beograd");
  await expect(results(page)).toHaveText(/1 found/);
  await expect(rows(page).first()).toContainText("Pozdrav iz Beograda");

  // Nothing found: the empty state says what was searched, and where.
  await search(page, "from:nikoga");
  await expect(page.getByText("No messages match “from:nikoga” in “Inbox”.")).toBeVisible();

  // A mistake is shown where it is typed, and nothing is sent.
  await box(page).fill("larger:5Q");
  await expect(box(page)).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("“5Q” is not a size")).toBeVisible();
});

test("IMAP search: new matching mail appears in the results while they are shown", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("searchlive");
  await stack.mail.deliver(
    user.email,
    buildMessage({ from: "ana@primer.rs", to: user.email, subject: "Ponuda 1", text: "Prva ponuda.\r\n" }),
  );
  await signIn(page, user);
  await search(page, "ponuda");
  await expect(rows(page)).toHaveCount(1);
  await stack.mail.deliver(
    user.email,
    buildMessage({ from: "ana@primer.rs", to: user.email, subject: "Ponuda 2", text: "Druga ponuda.\r\n" }),
  );
  await expect(rows(page)).toHaveCount(2, { timeout: 15_000 });
  await expect(rows(page).first()).toContainText("Ponuda 2");
});

test("IMAP search: the results follow many messages marked read at once in another tab, which the server tells as one change", async ({
  page,
  stack,
}) => {
  // Over 100 messages are marked with STORE .SILENT: the session's pages hear one "changed",
  // not a "flags" for each, and the results must read their rows again on it.
  const count = 120;
  const user = await stack.newUser("searchbulk");
  for (let n = 1; n <= count; n++)
    await stack.mail.deliver(
      user.email,
      buildMessage({ from: "ana@primer.rs", to: user.email, subject: `Izvod ${n}`, text: `Izvod ${n}.\r\n` }),
    );
  await signIn(page, user);
  await search(page, "izvod");
  await expect(results(page)).toContainText(String(count));
  const unread = page.getByRole("grid", { name: "Messages" }).getByRole("row", { name: /Unread/ });
  await expect(unread.first()).toBeVisible();

  const other = await page.context().newPage();
  await other.goto(page.url());
  // Select all takes the rows shown: once they are (a check before the list came did nothing).
  await expect(other.getByRole("grid", { name: "Messages" }).getByRole("row").first()).toBeVisible();
  await other.getByRole("checkbox", { name: "Select all" }).check();
  await other.getByRole("button", { name: `Select all ${count} in Inbox` }).click();
  await expect(other.getByText(`${count} selected`)).toBeVisible();
  await other.getByRole("button", { name: "Mark as read", exact: true }).click();
  await expect.poll(async () => (await stack.mail.counts(user.email, "INBOX")).unseen).toBe(0);
  await expect(unread).toHaveCount(0, { timeout: 10_000 });
  await expect(rows(page).first()).toContainText("Izvod");
  await other.close();
});

test("IMAP search: x then # on a result from another folder deletes that result, never the message with its UID in the folder shown", async ({
  page,
  stack,
}) => {
  // The folder's ticks named UIDs of the folder shown: a result of another folder ticked with x
  // was acted on there, on whichever message has its UID in the Inbox.
  const user = await stack.newUser("searchticks");
  const message = (subject: string, text: string) =>
    buildMessage({ from: "ana@primer.rs", to: user.email, subject, text: `${text}\r\n` });
  await stack.mail.deliver(user.email, message("Ostaje u prijemnom", "Ovo se ne briše."));
  await stack.mail.deliver(user.email, message("Stari ugovor", "Ugovor iz arhive."), { folder: "Archive" });
  await signIn(page, user);
  await expect(row(page, "Ostaje u prijemnom")).toBeVisible();
  await search(page, "in:all ugovor");
  await expect(rows(page)).toHaveCount(1);
  await rows(page).first().click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Ugovor iz arhive.");
  await page.keyboard.press("x");
  await page.keyboard.press("#");
  await expect
    .poll(() =>
      stack.mail.doveadm(["-f", "flow", "fetch", "-u", user.email, "hdr.subject", "mailbox", "Trash", "all"]),
    )
    .toContain("Stari ugovor");
  const inbox = await stack.mail.doveadm([
    "-f",
    "flow",
    "fetch",
    "-u",
    user.email,
    "hdr.subject",
    "mailbox",
    "INBOX",
    "all",
  ]);
  expect(inbox).toContain("Ostaje u prijemnom");
});

test("IMAP search: Stop in the middle of a search of every folder", async ({ page, stack }) => {
  test.setTimeout(120_000);
  const user = await stack.newUser("searchstop");
  const folders: Record<string, number> = { INBOX: 10 };
  for (let i = 1; i <= 120; i++) folders[`Arhiva/${String(i).padStart(3, "0")}`] = 5;
  await stack.mail.seed(user.email, { count: 0, folders, user: user.email });
  // The search is caught in the middle: its start, its plan and its first two events reach the
  // page, the rest wait (however fast the server is, the search is still running when Stop is
  // pressed), and reach the page after Stop, which must not show them.
  const wire = await wireTrpc(page);
  await signIn(page, user);
  wire.hold("imap.search", { after: 4 });
  await search(page, "in:all has:attachment");
  // 120 folders, their parent and the special-use ones.
  await expect(results(page)).toHaveText(/Searching [0-2] of 126 folders/);
  await results(page).getByRole("button", { name: "Stop" }).click();
  await expect(results(page)).toHaveText(/Stopped after [0-2] of 126 folders/);
  const stoppedAt = (await results(page).textContent()) ?? "";
  await expect(results(page).getByRole("button", { name: "Stop" })).toHaveCount(0);
  // Nothing more arrives after Stop: what the server had sent meanwhile is let through.
  wire.release();
  await page.waitForTimeout(1500);
  await expect(results(page)).toHaveText(stoppedAt);
  // Reading goes on as usual.
  await box(page).press("Escape");
  await expect(rows(page)).toHaveCount(10);
});

test("IMAP search: the suggestions follow the caret when it is moved back into an earlier term", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("searchcaret");
  await stack.mail.createFolder(user.email, "Računi");
  await stack.mail.deliver(
    user.email,
    buildMessage({ from: "ana@primer.rs", to: user.email, subject: "Zdravo", text: "Zdravo.\r\n" }),
  );
  await signIn(page, user);
  await expect(row(page, "Zdravo")).toBeVisible();

  await box(page).click();
  await page.keyboard.type("in:Ra subject:zdravo");
  const suggestions = page.getByRole("listbox", { name: "Search suggestions" });
  await expect(suggestions.getByRole("option", { name: /Računi/ })).toHaveCount(0);
  // Back to the end of "in:Ra" with the keys: its folders are offered, and Tab completes that term.
  await page.keyboard.press("Home");
  for (let i = 0; i < "in:Ra".length; i += 1) await page.keyboard.press("ArrowRight");
  await expect(suggestions.getByRole("option", { name: /Računi/ })).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(box(page)).toHaveValue(/^in:"?Računi"? subject:zdravo/);
});

test("IMAP search: Shift-click selects a range of the results, and Delete removes just those on the server", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("searchrange");
  for (const n of [1, 2, 3, 4])
    await stack.mail.deliver(
      user.email,
      buildMessage({
        from: "ana@primer.rs",
        to: user.email,
        subject: `Izvod ${n}`,
        text: `Izvod broj ${n}.\r\n`,
      }),
    );
  await stack.mail.deliver(
    user.email,
    buildMessage({ from: "ana@primer.rs", to: user.email, subject: "Nesto drugo", text: "Ostalo.\r\n" }),
  );
  await signIn(page, user);
  await search(page, "izvod");
  await expect(results(page)).toContainText("4");
  await expect(rows(page)).toHaveCount(4);

  // Newest first: 4, 3, 2, 1. The checkbox sets where the range starts; Shift-click ends it.
  await row(page, "Izvod 4").getByRole("checkbox", { name: "Select message" }).check();
  await row(page, "Izvod 2").click({ modifiers: ["Shift"] });
  await expect(page.getByText("3 selected")).toBeVisible();
  await expect(page.getByRole("article", { name: "Message" })).toHaveCount(0);
  for (const n of [4, 3, 2]) await expect(row(page, `Izvod ${n}`).getByRole("checkbox")).toBeChecked();
  await expect(row(page, "Izvod 1").getByRole("checkbox")).not.toBeChecked();

  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const inbox = () =>
    stack.mail.doveadm(["-f", "flow", "fetch", "-u", user.email, "hdr.subject", "mailbox", "INBOX", "all"]);
  await expect.poll(inbox, { timeout: 10_000 }).not.toContain("Izvod 2");
  const left = await inbox();
  expect(left).toContain("Izvod 1");
  expect(left).toContain("Nesto drugo");
  expect(left).not.toContain("Izvod 3");
  expect(left).not.toContain("Izvod 4");
});
