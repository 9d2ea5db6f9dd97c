import { expect, test } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";
import { activeScript, countInFolder, putActiveScript, sendSmtp } from "../fixtures/sieve";
import { wireTrpc } from "../fixtures/trpc-wire";

// Server-side filters: rules made in the UI become a Sieve script on the server (managed over
// ManageSieve), which Pigeonhole runs at delivery for every device, with no browser open.

test("a rule made in the UI files mail delivered afterwards, with no browser open", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("sieve");
  const bob = await stack.newUser("bob");
  await stack.mail.createFolder(alice.email, "Računi/2026");
  await signIn(page, alice);

  await page.getByRole("button", { name: "Settings" }).click();
  const settings = page.getByRole("dialog", { name: "Settings" });
  await expect(settings.getByRole("heading", { name: "Filters" })).toBeVisible();
  await settings.getByRole("button", { name: "New rule" }).click();
  const rule = page.getByRole("dialog", { name: "Rule" });
  await rule.getByLabel("Name").fill("Invoices");
  await rule.getByLabel("Field").selectOption("subject");
  await rule.getByLabel("Test").selectOption({ label: "contains" });
  await rule.getByLabel("Value").fill("[INVOICE]");
  await rule.getByRole("checkbox", { name: "Move to folder" }).check();
  await rule.getByLabel("Move to folder: Folder").selectOption("Računi/2026");
  await rule.getByRole("button", { name: "Save" }).click();
  await expect(rule).toBeHidden();
  await expect(settings.getByRole("list", { name: "Rules" })).toContainText("Invoices");
  await expect(settings.getByRole("list", { name: "Rules" })).toContainText("Računi");

  // The active script is there for any client to see.
  await expect.poll(async () => (await activeScript(stack, alice)).name).toBe("pismo");
  const { script } = await activeScript(stack, alice);
  expect(script).toContain('if allof (header :contains "subject" "[INVOICE]") {');
  expect(script).toContain('fileinto "Računi/2026";');

  // No browser open: the server alone files the mail.
  await page.context().close();
  await sendSmtp(stack, bob, alice.email, "[INVOICE] 2026-0042");
  await sendSmtp(stack, bob, alice.email, "Lunch on Friday");
  expect(await countInFolder(stack, alice.email, "Računi/2026", "[INVOICE]")).toBe(1);
  expect(await countInFolder(stack, alice.email, "INBOX", "Lunch")).toBe(1);
  expect(await countInFolder(stack, alice.email, "INBOX", "[INVOICE]", 0, 0)).toBe(0);
});

test("out of office answers bob exactly once and shows a banner while on", async ({ page, stack }) => {
  const alice = await stack.newUser("away");
  const bob = await stack.newUser("bob");
  await signIn(page, alice);
  await page.getByRole("button", { name: "Settings" }).click();
  const settings = page.getByRole("dialog", { name: "Settings" });
  const vacation = settings.getByRole("switch", { name: "Out of office" });
  await expect(vacation).toHaveAttribute("aria-checked", "false");
  await vacation.click();
  await expect(vacation).toHaveAttribute("aria-checked", "true");
  await settings.getByLabel("Subject").fill("Odsutna do ponedeljka");
  await settings.getByLabel("Message", { exact: true }).fill('Back on Monday.\n"; discard; \\ stays text.');
  await settings.getByLabel("Reply to the same sender at most once every (days)").fill("1");
  await settings.getByRole("button", { name: "Save out of office" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Filters saved." })).toBeVisible();
  await settings.getByRole("button", { name: "Close" }).click();
  await expect(page.getByRole("status", { name: "Out of office" })).toContainText("Out of office is on");

  await sendSmtp(stack, bob, alice.email, "Are you there? 1");
  await sendSmtp(stack, bob, alice.email, "Are you there? 2");
  expect(await countInFolder(stack, alice.email, "INBOX", "Are you there", 2)).toBe(2);
  expect(await countInFolder(stack, bob.email, "INBOX", "Odsutna")).toBe(1);
  await page.waitForTimeout(2000);
  expect(await countInFolder(stack, bob.email, "INBOX", "Odsutna", 2, 0)).toBe(1);
  const { script } = await activeScript(stack, alice);
  expect(script).toContain('"Back on Monday.\n\\"; discard; \\\\ stays text."');
});

test("a hand-written script is shown as text, checked by the server, and kept", async ({ page, stack }) => {
  const alice = await stack.newUser("hand");
  const hand =
    'require ["fileinto"];\r\n# mine\r\nif header :contains "from" "boss" { fileinto "INBOX"; }\r\n';
  await putActiveScript(stack, alice, "roundcube", hand);
  await signIn(page, alice);
  await page.getByRole("button", { name: "Settings" }).click();
  const settings = page.getByRole("dialog", { name: "Settings" });
  const text = settings.getByLabel("Sieve script");
  await expect(text).toHaveValue(hand.replace(/\r\n/g, "\n"));
  await expect(settings.getByRole("button", { name: "New rule" })).toHaveCount(0);
  await text.fill("if true { nope; }");
  await settings.getByRole("button", { name: "Check with the server" }).click();
  await expect(settings.getByRole("alert")).toContainText("nope");
  await settings.getByRole("button", { name: "Save script" }).click();
  await expect(settings.getByRole("alert")).toContainText("nope");
  expect(await activeScript(stack, alice)).toEqual({ name: "roundcube", script: hand });
});

test("Create rule from message opens the Rule editor with the sender; cancelled, it goes back to the message, saved, to the rules", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("from");
  await stack.mail.deliver(
    alice.email,
    "From: Šef <sef@firma.rs>\r\nTo: x@pismo.test\r\nSubject: Plan za jun\r\nMessage-ID: <m1@firma.rs>\r\n\r\nTelo.\r\n",
  );
  await signIn(page, alice);
  await row(page, "Plan za jun").click();
  await page.getByRole("button", { name: "Create rule from message" }).click();
  const rule = page.getByRole("dialog", { name: "Rule" });
  await expect(rule.getByLabel("Value").first()).toHaveValue("sef@firma.rs");
  await expect(rule.getByLabel("Value").nth(1)).toHaveValue("Plan za jun");

  // Escape: back to the message, not to a Settings the user never opened.
  const fromMessage = page.getByRole("button", { name: "Create rule from message" });
  await page.keyboard.press("Escape");
  await expect(rule).toHaveCount(0);
  await expect(page.getByRole("dialog", { name: "Settings" })).toBeHidden();
  await expect(fromMessage).toBeFocused();
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Telo.");

  // Cancel does the same; Save shows the rule among the others, in Settings.
  await fromMessage.click();
  await rule.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("dialog", { name: "Settings" })).toBeHidden();
  await expect(fromMessage).toBeFocused();
  await fromMessage.click();
  await rule.getByLabel("Name").fill("Šef");
  await rule.getByRole("checkbox", { name: "Mark as read" }).check();
  await rule.getByRole("button", { name: "Save" }).click();
  await expect(rule).toHaveCount(0);
  const settings = page.getByRole("dialog", { name: "Settings" });
  await expect(settings.getByRole("list", { name: "Rules" })).toContainText("Šef");
  await expect(settings.getByRole("status").filter({ hasText: "Filters saved." })).toBeVisible();
});

test("Escape in the Rule editor closes only it: Settings stays open, the rule unsaved; Escape again closes Settings", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("sieveesc");
  await signIn(page, alice);
  await page.getByRole("button", { name: "Settings" }).click();
  const settings = page.getByRole("dialog", { name: "Settings" });
  await settings.getByRole("button", { name: "New rule" }).click();
  const rule = page.getByRole("dialog", { name: "Rule" });
  await rule.getByLabel("Name").fill("Half made");
  // A rule half made: Escape asks first, as Settings does, and No keeps it.
  const asked: string[] = [];
  page.once("dialog", (d) => {
    asked.push(d.message());
    void d.dismiss();
  });
  await rule.getByLabel("Name").press("Escape");
  await expect.poll(() => asked).toEqual(["Close the rule without saving your changes?"]);
  await expect(rule.getByLabel("Name")).toHaveValue("Half made");
  page.once("dialog", (d) => void d.accept());
  await rule.getByLabel("Name").press("Escape");
  await expect(rule).toBeHidden();
  await expect(settings).toBeVisible();
  await expect(settings.getByRole("button", { name: "New rule" })).toBeFocused();
  await expect(settings).not.toContainText("Half made");
  await page.keyboard.press("Escape");
  await expect(settings).toBeHidden();
  expect((await activeScript(stack, alice)).script).not.toContain("Half made");
});

test("a rule or an out-of-office reply that is not complete says what is missing, in the UI's language; days are typed as typed", async ({
  page,
  stack,
}, testInfo) => {
  const alice = await stack.newUser("ruleerr");
  await signIn(page, alice);
  await page.getByLabel("Language").selectOption("sr");
  await page.getByRole("button", { name: "Podešavanja" }).click();
  const settings = page.getByRole("dialog", { name: "Podešavanja" });
  await settings.getByRole("button", { name: "Novo pravilo" }).click();
  const rule = page.getByRole("dialog", { name: "Pravilo" });
  await rule.getByRole("button", { name: "Sačuvaj" }).click();
  // Not "conditions.0.value: must not be empty".
  await expect(rule.getByRole("alert")).toHaveText("Uslov 1: upišite šta se traži (u jednom redu).");
  await page.screenshot({ path: testInfo.outputPath("rule-error-sr.png") });
  // A size of 0 and a forward address without "@": the form's words, in Serbian, not the
  // browser's bubble in its own language (which stopped the Save before the form could speak).
  await rule.getByLabel("Polje").selectOption("size");
  await rule.getByLabel("KB").fill("0");
  await rule.getByRole("button", { name: "Sačuvaj" }).click();
  await expect(rule.getByRole("alert")).toHaveText("Uslov 1: veličina od najmanje 1 kB.");
  await rule.getByLabel("KB").fill("5");
  await rule.getByRole("checkbox", { name: "Prosledi na" }).check();
  await rule.getByLabel("Adresa").fill("ana");
  await rule.getByLabel("Adresa").press("Enter");
  await expect(rule.getByRole("alert")).toHaveText(
    "Prosledi na: upišite jednu adresu e-pošte, na primer ana@primer.rs.",
  );
  // Cancel on a rule half made asks first, in Serbian.
  const asked: string[] = [];
  page.once("dialog", (d) => {
    asked.push(d.message());
    void d.accept();
  });
  await rule.getByRole("button", { name: "Otkaži" }).click();
  await expect.poll(() => asked).toEqual(["Zatvoriti pravilo bez čuvanja izmena?"]);
  // The editor is gone with its owner's state, and the focus is back where it was.
  await expect(settings.getByRole("button", { name: "Novo pravilo" })).toBeFocused();

  await page.getByLabel("Jezik").selectOption("en");
  const vacation = page.getByRole("dialog", { name: "Settings" });
  await vacation.getByRole("switch", { name: "Out of office" }).click();
  await vacation.getByLabel("Subject").fill("Odsutna");
  // Cleared, then typed: the field once put 1 back at the clearing, so "30" became "130".
  const days = vacation.getByLabel("Reply to the same sender at most once every (days)");
  await days.click();
  await days.press("ControlOrMeta+a");
  await days.press("Backspace");
  await expect(days).toHaveValue("");
  await days.pressSequentially("30");
  await expect(days).toHaveValue("30");
  await vacation.getByRole("button", { name: "Save out of office" }).click();
  await expect(vacation.getByRole("alert")).toHaveText("An out-of-office reply needs a message.");
  await vacation.getByLabel("Message", { exact: true }).fill("Vraćam se u ponedeljak.");
  await vacation.getByRole("button", { name: "Save out of office" }).click();
  await expect.poll(async () => (await activeScript(stack, alice)).script).toContain(":days 30");
  // Out of range, then Save: refused with why, the "0" kept to mend. The click on Save leaves the
  // field first, which once put 30 back and saved it under "Filters saved.".
  await days.fill("0");
  await vacation.getByRole("button", { name: "Save out of office" }).click();
  await expect(vacation.getByRole("alert")).toHaveText(
    "Reply to the same sender at most once in 1 to 365 days.",
  );
  await expect(days).toHaveValue("0");
  await days.fill("7");
  // Enter in a field saves, as the button does.
  await days.press("Enter");
  await expect(vacation.getByRole("alert")).toHaveCount(0);
  await expect.poll(async () => (await activeScript(stack, alice)).script).toContain(":days 7");
});

test("a rule whose save does not reach the server keeps its editor open with the rule and why", async ({
  page,
  stack,
}) => {
  const alice = await stack.newUser("rulelost");
  const wire = await wireTrpc(page);
  wire.cutOn("rules.save", { reaches: false, afterMs: 0 });
  await signIn(page, alice);
  await page.getByRole("button", { name: "Settings" }).click();
  const settings = page.getByRole("dialog", { name: "Settings" });
  await settings.getByRole("button", { name: "New rule" }).click();
  const rule = page.getByRole("dialog", { name: "Rule" });
  await rule.getByLabel("Name").fill("Racuni");
  await rule.getByLabel("Value").fill("[RACUN]");
  await rule.getByRole("checkbox", { name: "Mark as read" }).check();
  await rule.getByRole("button", { name: "Save" }).click();
  await expect(rule.getByRole("alert")).toBeVisible();
  await expect(rule.getByLabel("Name")).toHaveValue("Racuni");
  // Connected again, the same Save keeps it.
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live", { timeout: 10_000 });
  await rule.getByRole("button", { name: "Save" }).click();
  await expect(rule).toBeHidden();
  await expect(settings.getByRole("list", { name: "Rules" })).toContainText("Racuni");
  await expect(settings.getByRole("status").filter({ hasText: "Filters saved." })).toBeVisible();
});
