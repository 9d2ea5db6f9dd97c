import { buildMessage } from "@pismo/mail-harness/seed";
import { expect, test } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";

test("opening a message with a 10 MB attachment moves only its text to the browser", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("lazy");
  const big = new Uint8Array(10 * 1024 * 1024).map((_, i) => (i * 7919) % 251);
  await stack.mail.deliver(
    user.email,
    buildMessage({
      from: { name: "Računovodstvo", address: "racuni@primer.rs" },
      to: user.email,
      subject: "Godišnji izveštaj",
      text: "Izveštaj je u prilogu.",
      attachments: [{ filename: "izveštaj-2026.pdf", contentType: "application/pdf", content: big }],
    }),
  );

  let bytes = 0;
  await signIn(page, user);
  page.on("websocket", (ws) =>
    ws.on("framereceived", (f) => {
      bytes += typeof f.payload === "string" ? Buffer.byteLength(f.payload) : f.payload.length;
    }),
  );
  page.on("response", async (r) => {
    bytes += Number(r.headers()["content-length"] ?? 0);
  });
  // Count from a fresh socket: reload so the page's own WebSocket is observed from its start.
  await page.reload();
  await expect(row(page, "Godišnji izveštaj")).toBeVisible();
  await page.waitForTimeout(300);
  // From here on, only what opening the message costs.
  bytes = 0;
  await row(page, "Godišnji izveštaj").click();
  const message = page.getByRole("article", { name: "Message" });
  await expect(message).toContainText("Izveštaj je u prilogu.");
  await expect(message.getByRole("link", { name: /izveštaj-2026\.pdf/ })).toBeVisible();
  await page.waitForTimeout(500);
  expect(bytes).toBeLessThan(200_000);

  // The attachment comes only when asked for, whole and byte-exact.
  const download = page.waitForEvent("download");
  await message.getByRole("link", { name: /izveštaj-2026\.pdf/ }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("izveštaj-2026.pdf");
  const { readFile } = await import("node:fs/promises");
  const got = await readFile(await file.path());
  expect(got.length).toBe(big.length);
  expect(Buffer.compare(got, Buffer.from(big))).toBe(0);
});

test("Serbian mail in windows-1250 and iso-8859-2 reads correctly, in the Serbian UI", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("charset");
  await stack.mail.deliver(
    user.email,
    buildMessage({
      from: { name: "Đorđe Čolić", address: "djordje@primer.rs" },
      to: user.email,
      subject: "Šifra za ćevapčiće",
      text: "Čačak, Šabac, Niš — đak žuri.",
      charset: "windows-1250",
      transferEncoding: "8bit",
    }),
  );
  await stack.mail.deliver(
    user.email,
    buildMessage({
      from: "zorica@primer.rs",
      to: user.email,
      subject: "Žuti šešir",
      text: "Ćao, žuti šešir je đavolski lep.",
      charset: "iso-8859-2",
      headerEncoding: "Q",
    }),
  );
  // A charset no decoder knows, shown with a best guess and a note in the UI's language (the
  // parser's English detail is not said); 8-bit text that declares none.
  const raw = (subject: string, contentType: string, body: Buffer) =>
    Buffer.concat([
      Buffer.from(
        [
          "From: kodovi@primer.rs",
          `To: ${user.email}`,
          `Subject: ${subject}`,
          "Date: Tue, 1 Dec 2026 10:00:00 +0100",
          "MIME-Version: 1.0",
          `Content-Type: ${contentType}`,
          "Content-Transfer-Encoding: 8bit",
          "",
          "",
        ].join("\r\n"),
      ),
      body,
    ]);
  await stack.mail.deliver(
    user.email,
    raw("Nepoznat kod", "text/plain; charset=x-mac-serbian", Buffer.from("Tekst bez posebnih slova.\r\n")),
  );
  await stack.mail.deliver(
    user.email,
    raw("Bez koda", "text/plain", Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0d, 0x0a])),
  );
  await page.goto("/?lang=sr");
  await page.getByLabel("Adresa e-pošte").fill(user.email);
  await page.getByLabel("Lozinka").fill(user.password);
  await page.getByRole("button", { name: "Prijavi se" }).click();
  const grid = page.getByRole("grid", { name: "Poruke" });
  await grid.getByRole("row", { name: /Šifra za ćevapčiće/ }).click();
  await expect(page.getByRole("article", { name: "Poruka" })).toContainText("Čačak, Šabac, Niš — đak žuri.");
  await expect(page.getByRole("article", { name: "Poruka" })).toContainText("<djordje@primer.rs>");
  await grid.getByRole("row", { name: /Žuti šešir/ }).click();
  await expect(page.getByRole("article", { name: "Poruka" })).toContainText(
    "Ćao, žuti šešir je đavolski lep.",
  );
  await expect(page.getByRole("article", { name: "Poruka" }).getByRole("note")).toHaveCount(0);

  await grid.getByRole("row", { name: /Nepoznat kod/ }).click();
  const message = page.getByRole("article", { name: "Poruka" });
  await expect(message).toContainText("Tekst bez posebnih slova.");
  await expect(message.getByRole("note")).toHaveText(
    "Ova poruka koristi kodnu stranu koja nije poznata (x-mac-serbian); tekst je prikazan po najboljoj pretpostavci, pa neka slova možda nisu tačna.",
  );
  await grid.getByRole("row", { name: /Bez koda/ }).click();
  // Dovecot's BODYSTRUCTURE names US-ASCII for it (RFC 2045's default), read as windows-1252.
  await expect(message).toContainText("Café");
});

test("delete moves to Trash, and a move by menu lands in the chosen folder", async ({ page, stack }) => {
  const user = await stack.newUser("acts");
  for (const subject of ["Prva", "Druga"])
    await stack.mail.deliver(
      user.email,
      buildMessage({ from: "a@primer.rs", to: user.email, subject, text: subject }),
    );
  await signIn(page, user);
  await row(page, "Prva").click();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(row(page, "Prva")).toHaveCount(0);
  await row(page, "Druga").click();
  await page.getByRole("article", { name: "Message" }).getByRole("button", { name: "Move to…" }).click();
  await page.getByRole("menuitem", { name: "Archive" }).click();
  await expect(row(page, "Druga")).toHaveCount(0);
  const nav = page.getByRole("navigation", { name: "Folders" });
  await nav.getByRole("button", { name: /^Trash/ }).click();
  await expect(row(page, "Prva")).toBeVisible();
  await nav.getByRole("button", { name: /^Archive/ }).click();
  await expect(row(page, "Druga")).toBeVisible();
});

test("the storage meter shows the quota and warns when nearly full", async ({ page, stack }) => {
  const user = await stack.newUser("quota", { quotaBytes: 1_024_000 });
  const filler = "x".repeat(76) + "\r\n";
  await stack.mail.deliver(
    user.email,
    buildMessage({ from: "a@primer.rs", to: user.email, subject: "Veliko", text: filler.repeat(10_800) }),
  );
  await signIn(page, user);
  const meter = page.getByRole("meter", { name: "Mailbox storage" });
  await expect(meter).toHaveAttribute("aria-valuemax", "1024000");
  await expect(meter).toContainText("of 1 MB");
  await expect(page.getByRole("alert").filter({ hasText: /mailbox is \d+% full/ })).toBeVisible();
});

test("the storage meter follows mail as it comes: the warning shows without a reload", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("quota-live", { quotaBytes: 1_024_000 });
  await signIn(page, user);
  const meter = page.getByRole("meter", { name: "Mailbox storage" });
  await expect(meter).toHaveAttribute("aria-valuemax", "1024000");
  const warning = page.getByRole("alert").filter({ hasText: /mailbox is \d+% full/ });
  await expect(warning).toHaveCount(0);
  // Through Dovecot (as delivery does), which counts it against the quota.
  const filler = "x".repeat(76) + "\r\n";
  await stack.mail.save(
    user.email,
    buildMessage({ from: "a@primer.rs", to: user.email, subject: "Veliko", text: filler.repeat(10_800) }),
  );
  await expect(row(page, "Veliko")).toBeVisible({ timeout: 10_000 });
  await expect(warning).toBeVisible({ timeout: 10_000 });
});

test("a message opened further down leaves no view of the one before behind, shown or hidden", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("leaving");
  for (let i = 1; i <= 12; i++)
    await stack.mail.deliver(
      user.email,
      buildMessage({
        from: { name: "Milica", address: "milica@primer.rs" },
        to: user.email,
        subject: `Poruka broj ${i}`,
        text: `Tekst poruke broj ${i}.`,
      }),
    );
  await signIn(page, user);
  const grid = page.getByRole("grid", { name: "Messages" });
  const article = page.getByRole("article", { name: "Message" });
  // The newest first: row 2 is message 11; j shows 10 (its neighbours 11 and 9 rendered out of sight).
  await grid.getByRole("row").nth(1).click();
  await expect(article.getByRole("heading", { name: "Poruka broj 11" })).toBeVisible();
  await page.keyboard.press("j");
  await expect(article.getByRole("heading", { name: "Poruka broj 10" })).toBeVisible();
  await expect(page.locator("article h2", { hasText: "Poruka broj 9" })).toHaveCount(1);
  // A message far from those: they are hidden at once, then taken off the page.
  await grid.getByRole("row", { name: /Poruka broj 3\b/ }).click();
  await expect(article.getByRole("heading", { name: "Poruka broj 3" })).toBeVisible();
  await expect(article).toHaveCount(1);
  for (const gone of [9, 10, 11])
    await expect(page.locator("article h2", { hasText: new RegExp(`Poruka broj ${gone}$`) })).toHaveCount(0);
  // What stays: the open message and the neighbours fetched ahead for it, no more.
  await expect(page.locator("article h2", { hasText: /Poruka broj (2|4)$/ })).toHaveCount(2);
  expect(await page.locator("article").count()).toBe(3);
});
