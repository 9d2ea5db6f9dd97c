import type { Page } from "@playwright/test";
import { expect, test, type Stack } from "../fixtures/stack";
import { row, signIn, signOut, writeNewMessage } from "../fixtures/mail-ui";
import { checkMail, signInPop3, signOutPop3 } from "../fixtures/pop3";

// Enter never sends: it confirms an address or moves from Subject to the text. Only Send and
// Ctrl/Cmd+Enter send, and a message without a subject or text is sent only when the user
// says so. Then: the message kept in this browser is offered back after a closed tab.

const inboxCount = async (stack: Stack, email: string) => (await stack.mail.counts(email, "INBOX")).messages;

/** Postfix delivers through its queue: a message sent by mistake would arrive within seconds. */
async function nothingArrives(page: Page, stack: Stack, email: string) {
  await page.waitForTimeout(3000);
  expect(await inboxCount(stack, email)).toBe(0);
}

/** Signs in with one message in the Inbox, "Plan puta", and opens it. */
async function openPlanPuta(page: Page, stack: Stack, user: { email: string; password: string }) {
  await stack.mail.deliver(
    user.email,
    "From: Vera <vera@primer.rs>\r\nSubject: Plan puta\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPolazimo u sedam.\r\n",
  );
  await signIn(page, user);
  await row(page, "Plan puta").click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Polazimo u sedam.");
}

test("IMAP: Enter in To confirms the address and sends nothing; Subject's Enter goes to the text; an empty subject asks first; Ctrl+Enter sends", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("enterkeys");
  const bob = await stack.newUser("enterrcpt");
  await signIn(page, ana);
  await page.getByRole("button", { name: "Compose" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  const to = compose.getByLabel("To");
  const subject = compose.getByLabel("Subject");
  const body = compose.getByRole("textbox", { name: "Message text" });

  // As a new user would: the address, then Enter. Addresses are not spell-checked.
  await expect(to).toBeFocused();
  await expect(to).toHaveAttribute("spellcheck", "false");
  await to.pressSequentially(bob.email);
  await to.press("Enter");
  await expect(to).toHaveValue(`${bob.email}, `);
  await expect(compose.getByText("Recipients confirmed: 1")).toBeAttached();
  await expect(compose).toBeVisible();
  await nothingArrives(page, stack, bob.email);

  // Tab: To, the Cc/Bcc switch, Subject, the text toolbar; Shift+Tab back.
  await to.press("Tab");
  await expect(compose.getByRole("button", { name: "Cc/Bcc" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(subject).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(compose.getByRole("button", { name: "Cc/Bcc" })).toBeFocused();
  await page.keyboard.press("Tab");

  // Enter in an empty Subject moves to the text and sends nothing.
  await subject.press("Enter");
  await expect(body).toBeFocused();
  await page.keyboard.type("Tekst bez naslova, čćšđž.");

  // Send with an empty subject asks; Cancel loses nothing and sends nothing.
  await compose.getByRole("button", { name: "Send" }).click();
  const ask = page.getByRole("dialog", { name: "Send without a subject?" });
  await expect(ask).toBeVisible();
  await ask.getByRole("button", { name: "Cancel" }).click();
  await expect(ask).toBeHidden();
  await expect(subject).toBeFocused();
  await expect(to).toHaveValue(`${bob.email}, `);
  await expect(body).toContainText("Tekst bez naslova, čćšđž.");
  await nothingArrives(page, stack, bob.email);

  // Ctrl+Enter sends, after the same question.
  await body.click();
  await page.keyboard.press("Control+Enter");
  await expect(ask).toBeVisible();
  await ask.getByRole("button", { name: "Send anyway" }).click();
  await expect(compose).toHaveCount(0);
  await expect.poll(() => inboxCount(stack, bob.email), { timeout: 15_000 }).toBe(1);
  expect(await stack.mail.doveadm(["fetch", "-u", bob.email, "body", "mailbox", "INBOX"])).toContain(
    "Tekst bez naslova",
  );
});

test("IMAP: r opens the reply ready to type: the caret in its text, above the quote; replaced at once, it is kept in Drafts", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("replycaret");
  await openPlanPuta(page, stack, ana);
  await expect(page.getByRole("article", { name: "Message" })).toBeFocused();
  await page.keyboard.press("r");
  const reply = page.getByRole("dialog", { name: "Reply" });
  const body = reply.getByRole("textbox", { name: "Message text" });
  await expect(body).toBeFocused();
  // Typed at once, it goes above the quote, not into it; r typed there is text, not a key.
  await page.keyboard.type("Dolazim, ponesi kartu.");
  const text = (await body.innerText()).trim();
  expect(text.startsWith("Dolazim, ponesi kartu.")).toBe(true);
  expect(text.indexOf("Polazimo u sedam.")).toBeGreaterThan(text.indexOf("Dolazim"));
  await expect(reply.getByLabel("To")).toHaveValue(/vera@primer\.rs/);

  // Replaced at once by a new message (before its autosave): what was typed is in Drafts, and
  // the page says so (the window it was in went away without being closed).
  await page.getByRole("button", { name: "Compose" }).click();
  await expect(page.getByRole("dialog", { name: "New message" })).toBeVisible();
  const notice = page
    .getByRole("status")
    .filter({ hasText: "The message you were writing is kept in Drafts." });
  await expect(notice).toBeVisible();
  // The notice does not stand between the pointer and the new window's Send: beside the window
  // on a laptop's screen, over it on a narrower one, where clicks go through it.
  for (const width of [1280, 1024, 800]) {
    await page.setViewportSize({ width, height: 720 });
    const send = page.getByRole("dialog", { name: "New message" }).getByRole("button", { name: "Send" });
    const at = await send.boundingBox();
    if (!at) throw new Error("Send is not on screen");
    await expect(notice).toBeVisible();
    const hit = await page.evaluate(
      ({ x, y }) => document.elementFromPoint(x, y)?.closest("button")?.textContent ?? null,
      { x: at.x + at.width / 2, y: at.y + at.height / 2 },
    );
    expect(hit, `at ${width} px`).toBe("Send");
  }
  await expect.poll(async () => (await stack.mail.counts(ana.email, "Drafts")).messages).toBe(1);
  const saved = await stack.mail.doveadm(["fetch", "-u", ana.email, "body", "mailbox", "Drafts", "all"]);
  expect(saved).toContain("Dolazim, ponesi kartu.");
});

test("IMAP: Compose over a new message nobody typed into replaces it and says nothing of Drafts", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("composetwice");
  await signIn(page, ana);
  await page.getByRole("button", { name: "Compose" }).click();
  await expect(page.getByRole("dialog", { name: "New message" })).toBeVisible();
  await page.getByRole("button", { name: "Compose" }).click();
  await expect(page.getByRole("dialog", { name: "New message" })).toHaveCount(1);
  // A toast would show within a render of the replace; give it time to, then look once (a
  // retrying assertion would pass when the toast had gone).
  await page.waitForTimeout(500);
  expect(await page.getByRole("status").filter({ hasText: "kept in Drafts" }).count()).toBe(0);
  expect((await stack.mail.counts(ana.email, "Drafts")).messages).toBe(0);
});

/** The page's tRPC requests, with the one whose text holds `marker` handed to `hold` to pass on. */
async function holdRequest(
  page: Page,
  marker: string,
  hold: (message: string, pass: (m: string) => void) => void,
) {
  await page.routeWebSocket(/\/trpc$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      if (String(message).includes(marker)) hold(String(message), (m) => server.send(m));
      else server.send(message);
    });
  });
}

const localCopy = (page: Page) => page.evaluate(() => localStorage.getItem("pismo.compose"));

test("IMAP: Send, then Compose before the gateway answered: the message keeps its Undo notice, goes once, and is not offered back", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("sendreplaced");
  const bob = await stack.newUser("sendreplrcpt");
  // Send reaches the gateway a second late: time enough to open a new message over it.
  await holdRequest(page, '"compose.sendLater"', (message, pass) => setTimeout(() => pass(message), 1000));
  await signIn(page, ana);
  const first = await writeNewMessage(page, {
    to: bob.email,
    subject: "Poslato u letu",
    text: "Šaljem, pa pišem drugo.",
  });
  await expect.poll(async () => (await localCopy(page)) ?? "").toContain("Šaljem, pa pišem drugo.");
  await first.getByRole("button", { name: "Send" }).click();
  await page.getByRole("button", { name: "Compose" }).click();
  const next = page.getByRole("dialog", { name: "New message" });
  await expect(next.getByLabel("Subject")).toHaveValue("");

  // Held for Undo as if its window had stayed; then sent once.
  const notice = page.getByRole("status").filter({ has: page.getByRole("button", { name: "Undo" }) });
  await expect(notice).toContainText(/Sending in \d+ s/);
  await expect.poll(() => inboxCount(stack, bob.email), { timeout: 20_000 }).toBe(1);
  await expect(page.getByRole("status").filter({ hasText: "Message sent." })).toBeVisible();
  // The answer closed nothing: the new message is still open, and nothing went to Drafts.
  await expect(next).toBeVisible();
  expect((await stack.mail.counts(ana.email, "Drafts")).messages).toBe(0);
  // The sent message's copy in this browser is gone: a reload offers nothing back.
  expect(await localCopy(page)).toBeNull();
});

test("IMAP: Send, then Compose, and the gateway refuses the message: it is kept in Drafts and the page says so", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("sendrefused");
  const bob = await stack.newUser("sendrefrcpt");
  // Send reaches the gateway a second late, with a delay it refuses (over Undo send's 30 s).
  await holdRequest(page, '"compose.sendLater"', (message, pass) =>
    setTimeout(() => pass(message.replace(/"delaySeconds":\d+/, '"delaySeconds":31')), 1000),
  );
  await signIn(page, ana);
  const first = await writeNewMessage(page, {
    to: bob.email,
    subject: "Nije otišlo",
    text: "Gateway je odbio, a ja sam pisao drugo.",
  });
  await first.getByRole("button", { name: "Send" }).click();
  await page.getByRole("button", { name: "Compose" }).click();
  const next = page.getByRole("dialog", { name: "New message" });
  await expect(next.getByLabel("Subject")).toHaveValue("");

  await expect(
    page.getByRole("alert").filter({
      hasText: "The message was not sent. Some of the entered values are not valid. It is kept in Drafts.",
    }),
  ).toBeVisible();
  await expect.poll(async () => (await stack.mail.counts(ana.email, "Drafts")).messages).toBe(1);
  const saved = await stack.mail.doveadm(["fetch", "-u", ana.email, "body", "mailbox", "Drafts", "all"]);
  expect(saved).toContain("Gateway je odbio, a ja sam pisao drugo.");
  await expect(next).toBeVisible();
  // Drafts holds it: this browser's copy is not kept to offer it back a second time.
  expect(await localCopy(page)).toBeNull();
  await nothingArrives(page, stack, bob.email);
});

test("IMAP: Send, then Compose, and neither the send nor Drafts takes the message: it is kept beside the new window's copy and offered back after it", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("sendnowhere");
  const bob = await stack.newUser("sendnowhrcpt");
  // A server refusing everything: Send (a delay over 30 s, two seconds late) and every draft
  // save (a procedure that does not exist).
  await page.routeWebSocket(/\/trpc$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const text = String(message);
      if (text.includes('"compose.sendLater"'))
        setTimeout(() => server.send(text.replace(/"delaySeconds":\d+/, '"delaySeconds":31')), 2000);
      else server.send(text.replaceAll('"compose.saveDraft"', '"compose.noSuchProcedure"'));
    });
  });
  await signIn(page, ana);
  const first = await writeNewMessage(page, {
    to: bob.email,
    subject: "Nigde nije stiglo",
    text: "Ni poslato ni u nacrtima.",
  });
  await first.getByRole("button", { name: "Send" }).click();
  // The new window is typed into at once: its copy holds this browser's slot.
  const next = await writeNewMessage(page, { to: "", subject: "Druga poruka", text: "Pisana posle." });
  await expect(
    page.getByRole("alert").filter({
      hasText:
        "The message was not sent. Some of the entered values are not valid. It could not be saved in Drafts: this browser keeps it and offers it back when Pismo next opens.",
    }),
  ).toBeVisible();
  await expect(next.getByLabel("Subject")).toHaveValue("Druga poruka");

  // The next page offers both: the open window's message, then the one that went nowhere.
  await page.reload();
  const offer = page.getByRole("region", { name: "Unsent message" });
  await expect(offer).toContainText("Druga poruka");
  await expect(offer).toContainText("You were writing this message when the page closed");
  await offer.getByRole("button", { name: "Discard" }).click();
  await expect(offer).toContainText("Nigde nije stiglo");
  await expect(offer).toContainText("This message could neither be sent nor saved in Drafts");
  await offer.getByRole("button", { name: "Continue the draft" }).click();
  const again = page.getByRole("dialog", { name: "New message" });
  await expect(again.getByLabel("Subject")).toHaveValue("Nigde nije stiglo");
  await expect(again.getByRole("textbox", { name: "Message text" })).toContainText(
    "Ni poslato ni u nacrtima.",
  );
  await expect(offer).toHaveCount(0);
  await nothingArrives(page, stack, bob.email);
});

test("IMAP: keys pressed on the compose window's buttons or its blank parts are not the mail's shortcuts for the message behind it", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("composeshortcuts");
  await openPlanPuta(page, stack, ana);
  await page.getByRole("button", { name: "Compose" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  const to = compose.getByLabel("To");
  await expect(to).toBeFocused();
  await to.pressSequentially("vera@primer.rs");
  // From To, Tab goes to the Cc/Bcc button: what is typed there meant for the subject must
  // archive, flag, delete and answer nothing.
  // (The first Tab may confirm the address and stay.)
  await to.press("Tab");
  if (await to.evaluate((el) => el === document.activeElement)) await to.press("Tab");
  await expect(to).not.toBeFocused();
  await expect(compose.locator(":focus")).toHaveCount(1);
  await page.waitForTimeout(1_600); // past the typing hold that follows c
  for (const key of ["e", "s", "#", "a", "k"]) await page.keyboard.press(key);
  // A click on the window's blank part, then the same keys.
  const box = (await compose.boundingBox())!;
  await page.mouse.click(box.x + box.width - 8, box.y + box.height / 2);
  for (const key of ["e", "#"]) await page.keyboard.press(key);
  await expect(compose).toBeVisible();
  await expect(page.getByRole("dialog", { name: /^Reply/ })).toHaveCount(0);
  expect(await stack.mail.counts(ana.email, "INBOX")).toMatchObject({ messages: 1 });
  expect(
    await stack.mail.doveadm(["-f", "flow", "fetch", "-u", ana.email, "flags", "mailbox", "INBOX", "all"]),
  ).not.toContain("Flagged");
  await expect(row(page, "Plan puta")).toBeVisible();
});

test("IMAP: an address that is not one is named on Enter and kept as typed", async ({ page, stack }) => {
  const ana = await stack.newUser("enterbad");
  await signIn(page, ana);
  await page.getByRole("button", { name: "Compose" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  await compose.getByLabel("To").fill("ana@pismo.test, nije adresa");
  await compose.getByLabel("To").press("Enter");
  await expect(compose.getByRole("alert")).toHaveText("Not an email address: nije adresa");
  await expect(compose.getByLabel("To")).toHaveValue("ana@pismo.test, nije adresa");
});

test("POP3: Enter in To sends nothing; Ctrl+Enter sends a complete message without asking", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("popenter");
  const bob = await stack.newUser("popenterrcpt");
  await signInPop3(page, ana);
  await page.getByRole("button", { name: "Compose" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  await compose.getByLabel("To").pressSequentially(bob.email);
  await compose.getByLabel("To").press("Enter");
  await expect(compose.getByLabel("To")).toHaveValue(`${bob.email}, `);
  await nothingArrives(page, stack, bob.email);

  await compose.getByLabel("Subject").fill("POP3 prečica");
  await compose.getByLabel("Subject").press("Enter");
  await page.keyboard.type("Poslato prečicom.");
  await page.keyboard.press("Control+Enter");
  await expect(compose).toHaveCount(0);
  await expect(page.getByRole("dialog", { name: /Send without/ })).toHaveCount(0);
  await expect.poll(() => inboxCount(stack, bob.email), { timeout: 15_000 }).toBe(1);
});

/** Closes the page mid-compose and opens a new one in the same browser (cookies and storage kept). */
async function closeAndReturn(page: Page, opts: { lang?: "en" | "sr" } = {}): Promise<Page> {
  const context = page.context();
  await page.close({ runBeforeUnload: false });
  const again = await context.newPage();
  await again.goto(`/?lang=${opts.lang ?? "en"}`);
  return again;
}

const shots = (name: string) => `${process.env.SHOTS_DIR ?? "test-results/shots"}/${name}.png`;

test("IMAP: the message being written when the tab closed is offered back with its text", async ({
  browser,
  baseURL,
  stack,
}) => {
  const ana = await stack.newUser("offerimap");
  const context = await browser.newContext({ baseURL, locale: "en-US", timezoneId: "Europe/Belgrade" });
  const first = await context.newPage();
  await signIn(first, ana);
  await writeNewMessage(first, {
    to: "nekome@pismo.test",
    subject: "Pismo u pola rečenice",
    text: "Počeo sam da pišem i onda se kartica zatvorila",
  });
  await expect
    .poll(() => first.evaluate(() => localStorage.getItem("pismo.compose") ?? ""))
    .toContain("kartica zatvorila");

  const again = await closeAndReturn(first);
  const offer = again.getByRole("region", { name: "Unsent message" });
  await expect(offer).toBeVisible();
  await expect(offer).toContainText("Pismo u pola rečenice");
  await again.setViewportSize({ width: 1280, height: 800 });
  await again.screenshot({ path: shots("draft-offer-en-wide") });
  await again.setViewportSize({ width: 390, height: 800 });
  await again.screenshot({ path: shots("draft-offer-en-narrow") });
  await again.setViewportSize({ width: 1280, height: 800 });

  await offer.getByRole("button", { name: "Continue the draft" }).click();
  const compose = again.getByRole("dialog", { name: "New message" });
  await expect(compose.getByLabel("To")).toHaveValue("nekome@pismo.test");
  await expect(compose.getByLabel("Subject")).toHaveValue("Pismo u pola rečenice");
  await expect(compose.getByRole("textbox", { name: "Message text" })).toContainText(
    "Počeo sam da pišem i onda se kartica zatvorila",
  );
  await expect(offer).toHaveCount(0);

  // In Serbian, the same offer (the copy stays until sent or discarded).
  const sr = await closeAndReturn(again, { lang: "sr" });
  const offerSr = sr.getByRole("region", { name: "Neposlata poruka" });
  await expect(offerSr).toContainText("Pismo u pola rečenice");
  await sr.setViewportSize({ width: 1280, height: 800 });
  await sr.screenshot({ path: shots("draft-offer-sr-wide") });
  await sr.setViewportSize({ width: 390, height: 800 });
  await sr.screenshot({ path: shots("draft-offer-sr-narrow") });
  await context.close();
});

test("POP3: the unsent message is offered back after a closed tab, and Discard drops the offer", async ({
  browser,
  baseURL,
  stack,
}) => {
  const ana = await stack.newUser("offerpop");
  const context = await browser.newContext({ baseURL, locale: "en-US", timezoneId: "Europe/Belgrade" });
  const first = await context.newPage();
  await signInPop3(first, ana);
  await writeNewMessage(first, {
    to: "nekome@pismo.test",
    subject: "POP3 nedovršeno",
    text: "Tekst sačuvan samo u pregledaču",
  });
  await expect
    .poll(() => first.evaluate(() => localStorage.getItem("pismo.compose") ?? ""))
    .toContain("samo u pregledaču");

  let again = await closeAndReturn(first);
  await expect(again.getByRole("button", { name: "Check mail" })).toBeVisible();
  const offer = again.getByRole("region", { name: "Unsent message" });
  await expect(offer).toContainText("POP3 nedovršeno");
  await offer.getByRole("button", { name: "Continue the draft" }).click();
  const compose = again.getByRole("dialog", { name: "New message" });
  await expect(compose.getByRole("textbox", { name: "Message text" })).toContainText(
    "Tekst sačuvan samo u pregledaču",
  );

  again = await closeAndReturn(again);
  await again
    .getByRole("region", { name: "Unsent message" })
    .getByRole("button", { name: "Discard" })
    .click();
  await expect(again.getByRole("region", { name: "Unsent message" })).toHaveCount(0);
  again = await closeAndReturn(again);
  await expect(again.getByRole("button", { name: "Check mail" })).toBeVisible();
  await checkMail(again);
  await expect(again.getByRole("region", { name: "Unsent message" })).toHaveCount(0);
  await context.close();
});

// Closed with ✕ once Drafts holds it, a message is not "left behind": the next page does not
// offer it back as if the tab had closed mid-sentence (it is in Drafts).
test("IMAP and POP3: a draft closed with ✕ after it was saved is not offered back on the next page", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("closedraft");
  for (const protocol of ["IMAP", "POP3"] as const) {
    if (protocol === "IMAP") await signIn(page, ana);
    else await signInPop3(page, ana);
    const compose = await writeNewMessage(page, {
      to: "nekome@pismo.test",
      subject: `Sačuvano pa zatvoreno ${protocol}`,
      text: "Ovo je u nedovršenim porukama.",
    });
    await expect(compose.getByText(/Draft saved/)).toBeVisible({ timeout: 15_000 });
    await compose.getByRole("button", { name: "Close" }).click();
    await expect(compose).toHaveCount(0);
    await expect.poll(() => page.evaluate(() => localStorage.getItem("pismo.compose"))).toBeNull();
    await page.reload();
    await expect(page.getByRole("button", { name: "Compose" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Unsent message" })).toHaveCount(0);
    if (protocol === "POP3") await signOutPop3(page, "keep");
    else {
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    }
  }
});

test("IMAP and POP3: Escape closes the compose window, its message kept in Drafts, and gives the focus back to what opened it; an open list of suggestions takes the first Escape", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("composeescape");
  await stack.mail.deliver(
    ana.email,
    "From: Vera <vera@primer.rs>\r\nSubject: Izlet\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nIdemo li?\r\n",
  );
  await signIn(page, ana);
  const grid = page.getByRole("grid", { name: "Messages" });

  // c from the list, then Escape: the list has the focus again, and Drafts the message.
  await grid.focus();
  await page.keyboard.press("c");
  const compose = page.getByRole("dialog", { name: "New message" });
  await expect(compose.getByLabel("To")).toBeFocused();
  await page.keyboard.type("nekome@pismo.test");
  await compose.getByLabel("Subject").fill("Pobeglo na Escape");
  await page.keyboard.press("Escape");
  await expect(compose).toHaveCount(0);
  await expect(grid).toBeFocused();
  await expect.poll(async () => (await stack.mail.counts(ana.email, "Drafts")).messages).toBe(1);
  expect(await stack.mail.doveadm(["fetch", "-u", ana.email, "hdr", "mailbox", "Drafts", "all"])).toContain(
    "Pobeglo na Escape",
  );

  // Reply's button, then Escape in the text: back on Reply. Nothing typed, nothing kept.
  await row(page, "Izlet").click();
  const message = page.getByRole("article", { name: "Message" });
  await expect(message).toContainText("Idemo li?");
  await message.getByRole("button", { name: "Reply", exact: true }).click();
  const reply = page.getByRole("dialog", { name: "Reply" });
  await expect(reply.getByRole("textbox", { name: "Message text" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(reply).toHaveCount(0);
  await expect(message.getByRole("button", { name: "Reply", exact: true })).toBeFocused();
  expect((await stack.mail.counts(ana.email, "Drafts")).messages).toBe(1);

  // Suggestions open under To: the first Escape closes them, the second the window.
  await page.getByRole("button", { name: "Compose" }).click();
  await compose.getByLabel("To").pressSequentially("ver");
  const suggestions = compose.getByRole("listbox");
  await expect(suggestions).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(suggestions).toHaveCount(0);
  await expect(compose.getByLabel("To")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(compose).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Compose" })).toBeFocused();

  // POP3: the same key; the message goes to this browser's Drafts.
  await signOut(page);
  await signInPop3(page, ana);
  await page.getByRole("button", { name: "Compose" }).click();
  await compose.getByLabel("To").fill("nekome@pismo.test");
  await compose.getByLabel("Subject").fill("Lokalno na Escape");
  await compose.getByRole("textbox", { name: "Message text" }).fill("Ostaje u ovom pregledaču.");
  await page.keyboard.press("Escape");
  await expect(compose).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Compose" })).toBeFocused();
  await page.getByRole("button", { name: /^Drafts/ }).click();
  await expect(
    page.getByRole("grid", { name: "Messages" }).getByRole("row", { name: /Lokalno na Escape/ }),
  ).toBeVisible();
});

test("IMAP: a file removed with the keyboard leaves the focus on the next file's ✕, and with none left on the message text", async ({
  page,
  stack,
}) => {
  const ana = await stack.newUser("removefocus");
  await signIn(page, ana);
  await page.getByRole("button", { name: "Compose" }).click();
  const compose = page.getByRole("dialog", { name: "New message" });
  await compose.locator('input[type="file"]').setInputFiles(
    ["prvi.txt", "drugi.txt", "treći.txt"].map((name) => ({
      name,
      mimeType: "text/plain",
      buffer: Buffer.from(`${name}\n`),
    })),
  );
  const remove = (name: string) => compose.getByRole("button", { name: `Remove ${name}` });
  await expect(remove("treći.txt")).toBeVisible();
  await expect(compose.getByRole("list", { name: "Attachments" }).getByRole("listitem")).toHaveCount(3);
  await remove("drugi.txt").focus();
  await page.keyboard.press("Enter");
  await expect(remove("drugi.txt")).toHaveCount(0);
  await expect(remove("treći.txt")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(remove("prvi.txt")).toBeFocused();
  await page.keyboard.press("Space");
  await expect(compose.getByRole("list", { name: "Attachments" })).toHaveCount(0);
  await expect(compose.getByRole("textbox", { name: "Message text" })).toBeFocused();
});
